import {
  changedFields,
  chinaMonth,
  dormancyOf,
  dormancyPolicy,
  duplicateGroups,
  formatSeason,
  importFieldOf,
  inSeason,
  isExampleRow,
  isPendingReview,
  mergeInputSchema,
  parseSeason,
  registrationFromRow,
  reviewInputSchema,
  statusAfterReview,
  subjectChange,
  subjectUpdateInputSchema,
  type ImportRowCells,
} from '@/domain/directory';
import type { Subject } from '@/domain/subject';
import { creditCode, idCard } from './fixtures';

const id = idCard('320703', '19650815', '032');

function subject(overrides: Partial<Subject> = {}): Subject {
  return {
    _id: 'sub_1',
    type: 'smallholder',
    name: '王建国',
    identityKind: 'id_card',
    identityDisplay: '320***********0321',
    identityFingerprint: 'fp-1',
    contactName: '王建国',
    phone: '13812345678',
    address: '连云区墟沟街道东山村三组',
    divisionCode: '320703001',
    products: ['青菜'],
    aboveScale: false,
    status: 'approved',
    ownerId: 'wx-1',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function row(overrides: ImportRowCells = {}): ImportRowCells {
  return {
    name: '王建国',
    type: '种养殖户（小农户）',
    identityKind: '居民身份证号码',
    identityNumber: id,
    contactName: '王建国',
    phone: '13812345678',
    address: '连云区墟沟街道东山村三组',
    divisionCode: '墟沟街道',
    products: '青菜、番茄',
    aboveScale: '否',
    seasonMonths: '',
    ...overrides,
  };
}

describe('review', () => {
  it('needs a reason to return or reject, not to approve', () => {
    expect(reviewInputSchema.safeParse({ subjectId: 's', decision: 'approve' }).success).toBe(true);
    const r = reviewInputSchema.safeParse({ subjectId: 's', decision: 'reject', reason: ' ' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['reason']);
    expect(r.error?.issues[0]?.message).toContain('不予通过时请填写原因');
    expect(
      reviewInputSchema.safeParse({ subjectId: 's', decision: 'request_changes', reason: '补照片' })
        .success,
    ).toBe(true);
  });

  it('maps decisions to statuses', () => {
    expect(statusAfterReview('approve')).toBe('approved');
    expect(statusAfterReview('request_changes')).toBe('registered');
    expect(statusAfterReview('reject')).toBe('rejected');
  });

  it('is pending until reviewed, and again after a resubmission', () => {
    const fresh = subject({ status: 'registered' });
    expect(isPendingReview(fresh)).toBe(true);
    const returned = { ...fresh, reviewedAt: '2026-01-02T00:00:00.000Z' };
    expect(isPendingReview(returned)).toBe(false);
    expect(isPendingReview({ ...returned, submittedAt: '2026-01-03T00:00:00.000Z' })).toBe(true);
    expect(isPendingReview(subject({ status: 'approved' }))).toBe(false);
  });
});

describe('seasons', () => {
  it('reads seasons as people write them', () => {
    expect(parseSeason('全年')).toEqual([]);
    expect(parseSeason('')).toEqual([]);
    expect(parseSeason('3-10月')).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(parseSeason('3月至5月')).toEqual([3, 4, 5]);
    expect(parseSeason('11-2月')).toEqual([1, 2, 11, 12]);
    expect(parseSeason('３，４、9月')).toEqual([3, 4, 9]);
    expect(parseSeason('1-12月')).toEqual([]);
    expect(parseSeason('春季')).toBeNull();
    expect(parseSeason('13月')).toBeNull();
  });

  it('formats seasons, over the new year too', () => {
    expect(formatSeason([])).toBe('全年');
    expect(formatSeason([3, 4, 5, 9])).toBe('3-5月、9月');
    expect(formatSeason([1, 2, 11, 12])).toBe('11-2月');
  });

  it('counts months in China time', () => {
    // 2026-05-31 20:00 UTC is 1 June in China.
    expect(chinaMonth(new Date('2026-05-31T20:00:00.000Z'))).toBe(6);
    expect(inSeason([6], new Date('2026-05-31T20:00:00.000Z'))).toBe(true);
    expect(inSeason(undefined, new Date())).toBe(true);
    expect(inSeason([], new Date())).toBe(true);
  });
});

describe('dormancy (在册不运行)', () => {
  const now = new Date('2026-12-15T02:00:00.000Z');
  const none = { lastIssuedAt: null, keptUntil: null };

  it('is dormant with no certificate for the period, outside its season', () => {
    const s = subject({ seasonMonths: [4, 5, 6, 7, 8, 9] });
    const d = dormancyOf(s, { ...none, lastIssuedAt: '2026-06-01T00:00:00.000Z' }, now);
    expect(d).toMatchObject({ dormant: true, inSeason: false, idleDays: 197 });
  });

  it('is not dormant inside its season, or year-round with a recent certificate', () => {
    expect(dormancyOf(subject({ seasonMonths: [12] }), none, now).dormant).toBe(false);
    const recent = { ...none, lastIssuedAt: '2026-10-01T00:00:00.000Z' };
    expect(dormancyOf(subject({ seasonMonths: [5] }), recent, now).dormant).toBe(false);
  });

  it('year-round subjects are never out of season', () => {
    expect(dormancyOf(subject(), none, now).dormant).toBe(false);
  });

  it('counts from entry when nothing was ever issued; new subjects are not dormant', () => {
    const late = subject({ seasonMonths: [5], createdAt: '2026-11-01T00:00:00.000Z' });
    expect(dormancyOf(late, none, now)).toMatchObject({ dormant: false, idleDays: 44 });
  });

  it("a supervisor's keep holds it off until then; retired subjects are out", () => {
    const s = subject({ seasonMonths: [5] });
    expect(dormancyOf(s, { ...none, keptUntil: '2027-01-01T00:00:00.000Z' }, now)).toMatchObject({
      dormant: false,
      kept: true,
    });
    expect(dormancyOf(subject({ seasonMonths: [5], status: 'retired' }), none, now).dormant).toBe(
      false,
    );
  });

  it('takes the period as policy data', () => {
    const s = subject({ seasonMonths: [5] });
    const last = { ...none, lastIssuedAt: '2026-10-01T00:00:00.000Z' };
    expect(dormancyOf(s, last, now, dormancyPolicy(60)).dormant).toBe(true);
    expect(() => dormancyPolicy(7)).toThrow('30–730');
  });
});

describe('duplicates (一人多身份)', () => {
  const enterprise = creditCode('91320703MA1WXY123');
  it('groups by ID number, credit code, and name with phone', () => {
    const subjects = [
      subject({ _id: 'a', identityFingerprint: 'X', phone: '13800000001', name: '甲' }),
      subject({ _id: 'b', identityFingerprint: 'X', phone: '13800000002', name: '乙' }),
      subject({
        _id: 'c',
        type: 'enterprise',
        identityKind: 'credit_code',
        identityDisplay: enterprise,
        identityFingerprint: 'C1',
        name: '连云港某某农业有限公司',
        phone: '0518-85551234',
      }),
      subject({
        _id: 'd',
        type: 'cooperative',
        identityKind: 'credit_code',
        identityDisplay: enterprise,
        identityFingerprint: 'C1',
        name: '某某合作社',
        phone: '13800000004',
      }),
      subject({ _id: 'e', identityFingerprint: 'E', name: '张 三', phone: '13800000005' }),
      subject({ _id: 'f', identityFingerprint: 'F', name: '张三', phone: '138-0000-0005' }),
      subject({ _id: 'g', identityFingerprint: 'X', status: 'retired', phone: '1', name: '丙' }),
    ];
    const groups = duplicateGroups(subjects);
    expect(groups.map((g) => [g.rule, g.subjects.map((s) => s._id)])).toEqual([
      ['id_number', ['a', 'b']],
      ['credit_code', ['c', 'd']],
      ['name_phone', ['e', 'f']],
    ]);
    expect(groups[0]?.shared).toBe('320***********0321');
    expect(groups[0]?.ruleLabel).toBe('身份证号码相同');
  });
});

describe('merge input', () => {
  it('refuses the kept subject among the merged, repeats and no reason', () => {
    const r = mergeInputSchema.safeParse({ keepId: 'a', mergeIds: ['a', 'b', 'b'], reason: '' });
    expect(r.success).toBe(false);
    const messages = r.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining(['要并入的主体有重复', '保留的主体不能并入自己']),
    );
    expect(messages.some((m) => m.includes('合并原因'))).toBe(true);
  });
});

describe('history detail', () => {
  it('keeps before and after without the fingerprint, and names what changed', () => {
    const before = subject();
    const after = { ...before, phone: '13900000000', updatedAt: 'later' };
    const detail = subjectChange(before, after, { reason: 'x' });
    expect(detail.changed).toEqual(['phone']);
    expect(JSON.stringify(detail)).not.toContain('fp-1');
    expect(detail).toMatchObject({ reason: 'x', before: { phone: '13812345678' } });
  });

  it('sees a new ID number behind the same masked display', () => {
    const before = subject();
    expect(changedFields(before, { ...before, identityFingerprint: 'other' })).toEqual([
      'identityNumber',
    ]);
  });
});

describe('owner update input', () => {
  it('checks each given field by the registration rules and leaves the rest out', () => {
    const ok = subjectUpdateInputSchema.safeParse({ subjectId: 's', phone: '13900000000' });
    expect(ok.success).toBe(true);
    expect(ok.data).toEqual({ subjectId: 's', phone: '13900000000' });
    const bad = subjectUpdateInputSchema.safeParse({ subjectId: 's', phone: '123', name: '王' });
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(['name', 'phone']);
  });
});

describe('import rows', () => {
  it('reads a good row into a registration', () => {
    const r = registrationFromRow(row({ seasonMonths: '3-10月', aboveScale: '是' }));
    expect(r).toEqual({
      ok: true,
      registration: expect.objectContaining({
        type: 'smallholder',
        identityKind: 'id_card',
        identityNumber: id,
        divisionCode: '320703001',
        products: ['青菜', '番茄'],
        aboveScale: true,
        seasonMonths: [3, 4, 5, 6, 7, 8, 9, 10],
      }),
    });
  });

  it('takes short street names and infers the identity kind when left blank', () => {
    const r = registrationFromRow(row({ divisionCode: '连岛', identityKind: '' }));
    expect(r.ok && r.registration).toMatchObject({
      divisionCode: '320703003',
      identityKind: 'id_card',
    });
  });

  it('reports every problem of a row under its column, in Chinese', () => {
    const bad = id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');
    const r = registrationFromRow(
      row({
        name: '',
        identityNumber: bad,
        divisionCode: '花果山街道',
        phone: '123',
        seasonMonths: '春季',
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byColumn = Object.fromEntries(r.errors.map((e) => [e.column, e.message]));
    expect(Object.keys(byColumn).sort()).toEqual(
      ['主体名称', '所在街道/乡镇', '联系电话', '生产季节'].sort(),
    );
    expect(byColumn['主体名称']).toBe('请填写主体名称');
    expect(byColumn['所在街道/乡镇']).toContain('花果山街道');
    // The check digit is judged by the registration schema once the other fields are right.
    const digit = registrationFromRow(row({ identityNumber: bad }));
    expect(digit.ok === false && digit.errors).toEqual([
      { column: '证件号码', message: expect.stringContaining('校验码') },
    ]);
  });

  it('refuses an unknown type and a wrong kind for the type', () => {
    const r = registrationFromRow(row({ type: '个体户' }));
    expect(r.ok === false && r.errors[0]).toMatchObject({ column: '主体类型' });
    const kind = registrationFromRow(row({ type: '企业' }));
    expect(kind.ok === false && kind.errors[0]).toMatchObject({
      column: '证件类型',
      message: '企业应填写统一社会信用代码',
    });
  });

  it('matches headers loosely and spots the example row', () => {
    expect(importFieldOf('证件号码*')).toBe('identityNumber');
    expect(importFieldOf('所在街道/乡镇（必填）')).toBe('divisionCode');
    expect(importFieldOf('备注')).toBeNull();
    expect(isExampleRow({ name: '（示例）某某家庭农场' })).toBe(true);
    expect(isExampleRow({ name: '王建国' })).toBe(false);
  });
});
