/**
 * Training: sessions and their notices to the not-yet-trained, QR sign-in in its window only and
 * for its own session only, attendance marked by hand, coverage lists and their export.
 */
import ExcelJS from 'exceljs';
import type { AuditEntry } from '../../../cloudfunctions/kit/audit';
import type {
  AddresseePage,
  CoverageResult,
  InboxEntry,
  SessionView,
  SignedIn,
} from '../../../cloudfunctions/outreach/actions';
import type { Attendance } from '../../../src/domain/outreach';
import { buildWorld, liandao, outreachRuntime, xugou, type OutreachRuntime } from './world';

let rt: OutreachRuntime;

beforeEach(async () => {
  rt = outreachRuntime();
  await buildWorld(rt);
});
afterEach(async () => {
  expect(rt.errors).toEqual([]);
  await rt.close();
});

type Created = { session: SessionView; notified: number; messaged: number };
type Code = { code: string; url: string; opensAt: string; closesAt: string };

/** 09:00–11:00 China time on 1 December 2026 (01:00–03:00 UTC). */
const supervisorsSession = (overrides: Record<string, unknown> = {}) => ({
  title: '承诺达标合格证监管培训',
  audience: 'supervisors',
  startsAt: '2026-12-01T09:00+08:00',
  endsAt: '2026-12-01T11:00+08:00',
  place: '区农业农村局三楼会议室',
  materials: [{ title: '培训讲义', url: 'https://hgz.example.cn/docs/jiangyi.pdf' }],
  ...overrides,
});

const inboxOf = async (as: string) =>
  (await rt.outOk<{ entries: InboxEntry[] }>('inbox', {}, as)).entries;

async function signIn(as: string, code: string, sessionId?: string) {
  return rt.out<SignedIn>('signIn', { code, ...(sessionId ? { sessionId } : {}) }, as);
}

describe('sessions and notices', () => {
  it('notifies every supervisor not yet trained, and only them next time', async () => {
    await rt.outOk('consent', { templateKey: 'training' }, 'sup-ld');
    const first = await rt.outOk<Created>('createSession', supervisorsSession(), 'admin');
    expect(first).toMatchObject({ notified: 2, messaged: 1 });
    expect(first.session).toMatchObject({
      status: 'published',
      audienceLabel: '监管人员',
      divisionText: '全区',
      signInOpensAt: '2026-12-01T00:30:00.000Z',
      signInClosesAt: '2026-12-01T03:00:00.000Z',
    });
    expect(await rt.deliveredTo(first.session.sessionId)).toEqual(['sup-ld', 'sup-xg']);
    const [notice] = await inboxOf('sup-xg');
    expect(notice).toMatchObject({
      itemType: 'training',
      kindLabel: '培训通知',
      title: '承诺达标合格证监管培训',
      session: { startsAt: '2026-12-01T01:00:00.000Z', place: '区农业农村局三楼会议室' },
    });
    const [message] = await rt.outbox('sup-ld');
    expect(message).toMatchObject({
      templateKey: 'training',
      data: { time: '2026-12-01 09:00', note: '地点：区农业农村局三楼会议室' },
    });

    // 墟沟's supervisor attends; the next session for supervisors notifies 连岛's only.
    const { code } = await rt.outOk<Code>(
      'signInCode',
      { sessionId: first.session.sessionId },
      'admin',
    );
    rt.setNow('2026-12-01T01:10:00.000Z');
    await rt.outOk('signIn', { code }, 'sup-xg');
    const second = await rt.outOk<Created>(
      'createSession',
      supervisorsSession({ startsAt: '2026-12-08T09:00+08:00', endsAt: '2026-12-08T11:00+08:00' }),
      'admin',
    );
    expect(await rt.deliveredTo(second.session.sessionId)).toEqual(['sup-ld']);
  });

  it('shows sessions to the audience and to staff in scope; producers enrol in theirs', async () => {
    const producers = await rt.outOk<Created>(
      'createSession',
      {
        title: '蔬菜种植户合格证培训',
        audience: 'producers',
        productCategory: 'vegetable',
        startsAt: '2026-12-02T14:00+08:00',
        endsAt: '2026-12-02T16:00+08:00',
        onlineUrl: 'https://meeting.example.cn/123',
      },
      'sup-xg',
    );
    expect(producers.session).toMatchObject({
      divisionCodes: [xugou],
      productCategoryLabel: '蔬菜（含食用菌）',
    });
    // 王建国 grows vegetables in 墟沟; 周家 keeps hens; 李海生 is in 连岛.
    expect(await rt.deliveredTo(producers.session.sessionId)).toEqual(['wx-wang']);
    const ids = async (as: string) =>
      (await rt.outOk<SessionView[]>('sessions', {}, as)).map((s) => s.sessionId);
    expect(await ids('wx-wang')).toEqual([producers.session.sessionId]);
    expect(await ids('wx-zhou')).toEqual([]);
    expect(await ids('coord-xg')).toEqual([producers.session.sessionId]);
    expect(await ids('sup-ld')).toEqual([]);

    const enrolled = await rt.outOk<SessionView>(
      'enroll',
      { sessionId: producers.session.sessionId },
      'wx-wang',
    );
    expect(enrolled.me).toMatchObject({ enrolledAt: '2026-11-29T02:00:00.000Z', attendedAt: null });
    const refused = await rt.out('enroll', { sessionId: producers.session.sessionId }, 'wx-zhou');
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
  });
});

describe('sign-in', () => {
  it('is open from 30 minutes before the start to the end, and once per attendee', async () => {
    const { session } = await rt.outOk<Created>('createSession', supervisorsSession(), 'admin');
    const { code, url } = await rt.outOk<Code>(
      'signInCode',
      { sessionId: session.sessionId },
      'admin',
    );
    expect(url).toBe(`https://hgz.example.cn/t/${code}`);

    rt.setNow('2026-12-01T00:29:00.000Z');
    const early = await signIn('sup-xg', code);
    expect(!early.ok && early.error).toMatchObject({
      code: 'CONFLICT',
      message: '签到还没有开始：本场培训 2026-12-01 09:00 开始，开始前 30 分钟起可以签到',
    });

    rt.setNow('2026-12-01T00:30:00.000Z');
    const on = await signIn('sup-xg', url, session.sessionId);
    expect(on.ok && on.data).toMatchObject({
      attendedAt: '2026-12-01T00:30:00.000Z',
      method: 'scan',
      already: false,
    });
    rt.setNow('2026-12-01T00:45:00.000Z');
    const again = await signIn('sup-xg', code);
    expect(again.ok && again.data).toMatchObject({
      attendedAt: '2026-12-01T00:30:00.000Z',
      already: true,
    });

    rt.setNow('2026-12-01T03:00:01.000Z');
    const late = await signIn('sup-ld', code);
    expect(!late.ok && late.error).toMatchObject({
      code: 'CONFLICT',
      message: '本场培训已于 2026-12-01 11:00 结束，签到已关闭',
    });
    const rows = await rt.store
      .collection<Attendance>('trainingAttendance')
      .find({ sessionId: session.sessionId });
    expect(rows.map((a) => [a.userId, a.divisionCode, a.recipient])).toEqual([
      ['sup-xg', xugou, 'staff'],
    ]);
  });

  it('refuses a code from another session, and a forged one', async () => {
    const a = await rt.outOk<Created>('createSession', supervisorsSession(), 'admin');
    const b = await rt.outOk<Created>(
      'createSession',
      supervisorsSession({ title: '执法人员培训', audience: 'enforcement' }),
      'admin',
    );
    const codeA = (await rt.outOk<Code>('signInCode', { sessionId: a.session.sessionId }, 'admin'))
      .code;
    const codeB = (await rt.outOk<Code>('signInCode', { sessionId: b.session.sessionId }, 'admin'))
      .code;
    rt.setNow('2026-12-01T01:00:00.000Z');

    const other = await signIn('sup-xg', codeB, a.session.sessionId);
    expect(!other.ok && other.error).toMatchObject({
      code: 'INVALID_INPUT',
      fields: { code: ['这是另一场培训的签到码，请扫描本场培训的签到二维码'] },
    });
    // A's id with B's token: the token binds the session.
    const forged = `${a.session.sessionId}.${codeB.split('.')[1]}`;
    const bad = await signIn('sup-xg', forged);
    expect(!bad.ok && bad.error.fields).toEqual({ code: ['签到码不正确或已失效'] });
    const junk = await signIn('sup-xg', 'https://example.cn/whatever');
    expect(!junk.ok && junk.error.fields).toEqual({
      code: ['签到码不正确，请扫描培训现场的签到二维码'],
    });
    expect(await rt.store.collection('trainingAttendance').count()).toBe(0);
    expect((await signIn('sup-xg', codeA, a.session.sessionId)).ok).toBe(true);
  });

  it('lets the organiser mark attendance by hand, with a reason, audited', async () => {
    const { session } = await rt.outOk<Created>(
      'createSession',
      supervisorsSession({ divisionCodes: [xugou], audience: 'extension' }),
      'sup-xg',
    );
    const early = await rt.out(
      'markAttendance',
      { sessionId: session.sessionId, userId: 'coord-xg', reason: '手机没电，纸质签到' },
      'sup-xg',
    );
    expect(!early.ok && early.error.code).toBe('CONFLICT');
    rt.setNow('2026-12-01T02:00:00.000Z');
    const other = await rt.out(
      'markAttendance',
      { sessionId: session.sessionId, userId: 'coord-xg', reason: '手机没电，纸质签到' },
      'sup-ld',
    );
    expect(!other.ok && other.error.code).toBe('FORBIDDEN');
    const marked = await rt.outOk<SignedIn>(
      'markAttendance',
      { sessionId: session.sessionId, userId: 'coord-xg', reason: '手机没电，纸质签到' },
      'sup-xg',
    );
    expect(marked).toMatchObject({ method: 'manual', already: false });
    const again = await rt.outOk<SignedIn>(
      'markAttendance',
      { sessionId: session.sessionId, userId: 'coord-xg', reason: '重复登记' },
      'sup-xg',
    );
    expect(again.already).toBe(true);
    const audits = await rt.store
      .collection<AuditEntry>('audit')
      .find({ action: 'outreach.markAttendance' });
    expect(audits.map((a) => a.detail)).toEqual([
      { sessionId: session.sessionId, userId: 'coord-xg', reason: '手机没电，纸质签到' },
    ]);
    const list = await rt.outOk<{ attended: number; rows: { userId: string; method: string }[] }>(
      'attendees',
      { sessionId: session.sessionId },
      'sup-xg',
    );
    expect(list).toMatchObject({ attended: 1, rows: [{ userId: 'coord-xg', method: 'manual' }] });
  });
});

describe('addressees', () => {
  const producersSession = (overrides: Record<string, unknown> = {}) =>
    supervisorsSession({ title: '合格证开具培训', audience: 'producers', ...overrides });
  const page = (input: Record<string, unknown>, as: string) =>
    rt.out<AddresseePage>('sessionAddressees', input, as);
  const ids = (p: AddresseePage) => p.rows.map((r) => r.userId);

  it('lists whom the notice addressed, with their subjects and whether they attended', async () => {
    const { session } = await rt.outOk<Created>('createSession', producersSession(), 'sup-xg');
    const sessionId = session.sessionId;
    // The notice went to 墟沟's producers; the list is the same people.
    expect(await rt.deliveredTo(sessionId)).toEqual(['wx-wang', 'wx-zhou']);
    rt.setNow('2026-12-01T02:00:00.000Z');
    await rt.outOk(
      'markAttendance',
      { sessionId, userId: 'wx-zhou', reason: '纸质签到表已签字' },
      'sup-xg',
    );
    const all = await rt.outOk<AddresseePage>('sessionAddressees', { sessionId }, 'sup-xg');
    expect(all).toMatchObject({ sessionId, total: 2, attended: 1, matched: 2, offset: 0 });
    // 李海生 farms in 连岛: outside the audience, not listed.
    // In pinyin order of subject name: 王建国, then 周家禽蛋家庭农场.
    expect(all.rows).toEqual([
      expect.objectContaining({ userId: 'wx-wang', nickname: '王建国', attendedAt: null }),
      {
        userId: 'wx-zhou',
        nickname: '周国强',
        recipient: 'producer',
        subjects: [{ name: '周家禽蛋家庭农场', contactName: '周国强' }],
        divisionCode: xugou,
        divisionName: '墟沟街道',
        enrolledAt: null,
        attendedAt: '2026-12-01T02:00:00.000Z',
        method: 'manual',
      },
    ]);
    const admin = await rt.outOk<AddresseePage>('sessionAddressees', { sessionId }, 'admin');
    expect(ids(admin)).toEqual(['wx-wang', 'wx-zhou']);

    // A vegetables session leaves 周家 (eggs) out.
    const veg = await rt.outOk<Created>(
      'createSession',
      producersSession({
        productCategory: 'vegetable',
        startsAt: '2026-12-01T14:00+08:00',
        endsAt: '2026-12-01T16:00+08:00',
      }),
      'sup-xg',
    );
    const vegList = await page({ sessionId: veg.session.sessionId }, 'sup-xg');
    expect(vegList.ok && ids(vegList.data)).toEqual(['wx-wang']);
    expect(vegList.ok && vegList.data.attended).toBe(0);
  });

  it('finds people by nickname, subject or contact name, a page at a time', async () => {
    const { session } = await rt.outOk<Created>('createSession', producersSession(), 'sup-xg');
    const sessionId = session.sessionId;
    const found = async (query: string) => {
      const res = await page({ sessionId, query }, 'sup-xg');
      if (!res.ok) throw new Error(JSON.stringify(res.error));
      return [res.data.matched, ids(res.data)];
    };
    expect(await found('禽蛋')).toEqual([1, ['wx-zhou']]);
    expect(await found(' 王建国 ')).toEqual([1, ['wx-wang']]);
    expect(await found('李海生')).toEqual([0, []]);
    const second = await rt.outOk<AddresseePage>(
      'sessionAddressees',
      { sessionId, offset: 1, limit: 1 },
      'sup-xg',
    );
    expect(second).toMatchObject({ total: 2, matched: 2, offset: 1 });
    expect(ids(second)).toEqual(['wx-zhou']);
  });

  it("is for the session's organiser only", async () => {
    const street = await rt.outOk<Created>('createSession', producersSession(), 'sup-xg');
    const bureau = await rt.outOk<Created>('createSession', producersSession(), 'admin');
    const refused = async (sessionId: string, as: string) => {
      const res = await page({ sessionId }, as);
      return !res.ok && res.error.code;
    };
    // Another street's organiser, a street for the bureau's session, staff who do not organise.
    expect(await refused(street.session.sessionId, 'sup-ld')).toBe('FORBIDDEN');
    expect(await refused(bureau.session.sessionId, 'sup-xg')).toBe('FORBIDDEN');
    expect(await refused(street.session.sessionId, 'coord-xg')).toBe('FORBIDDEN');
    expect(await refused(street.session.sessionId, 'wx-wang')).toBe('FORBIDDEN');
    expect(await refused(`trn_${'0'.repeat(24)}`, 'sup-xg')).toBe('NOT_FOUND');
  });

  it('refuses bad input with the field named', async () => {
    const { session } = await rt.outOk<Created>('createSession', producersSession(), 'sup-xg');
    const sessionId = session.sessionId;
    for (const [input, field] of [
      [{ sessionId: 'x' }, 'sessionId'],
      [{ sessionId, limit: 0 }, 'limit'],
      [{ sessionId, limit: 101 }, 'limit'],
      [{ sessionId, offset: -1 }, 'offset'],
      [{ sessionId, query: '菜'.repeat(41) }, 'query'],
    ] as const) {
      const res = await page(input, 'sup-xg');
      expect(!res.ok && res.error.code).toBe('INVALID_INPUT');
      expect(!res.ok && Object.keys(res.error.fields ?? {})).toEqual([field]);
    }
  });
});

describe('coverage', () => {
  async function train(sessionInput: Record<string, unknown>, as: string, attendees: string[]) {
    rt.setNow('2026-11-29T02:00:00.000Z');
    const { session } = await rt.outOk<Created>('createSession', sessionInput, as);
    const { code } = await rt.outOk<Code>('signInCode', { sessionId: session.sessionId }, as);
    rt.setNow('2026-12-01T01:00:00.000Z');
    for (const who of attendees) await rt.outOk('signIn', { code }, who);
  }

  it('lists the staff not yet trained and producers trained by division, type, category', async () => {
    await train(supervisorsSession(), 'admin', ['sup-xg']);
    await train(
      {
        ...supervisorsSession({ title: '蔬菜合格证培训', audience: 'producers' }),
        productCategory: 'vegetable',
      },
      'sup-xg',
      ['wx-wang'],
    );

    const district = await rt.outOk<CoverageResult>('coverage', {}, 'admin');
    expect(district.staff).toMatchObject({ total: 4, trained: 1 });
    expect(district.staff.untrained.map((r) => [r.userId, r.divisionName])).toEqual([
      ['enf', '连云区'],
      ['coord-xg', '墟沟街道'],
      ['sup-ld', '连岛街道'],
    ]);
    expect(district.staff.byAudience.map((a) => [a.audience, a.total, a.trained])).toEqual([
      ['supervisors', 2, 1],
      ['enforcement', 1, 0],
      ['extension', 1, 0],
    ]);
    expect(district.producers).toMatchObject({ total: 3, trained: 1 });
    expect(district.producers.byDivision).toEqual([
      { divisionCode: xugou, divisionName: '墟沟街道', total: 2, trained: 1 },
      { divisionCode: liandao, divisionName: '连岛街道', total: 1, trained: 0 },
    ]);
    expect(district.producers.bySubjectType.map((r) => [r.type, r.total, r.trained])).toEqual([
      ['family_farm', 1, 0],
      ['smallholder', 2, 1],
    ]);
    expect(district.producers.byCategory.map((r) => [r.category, r.total, r.trained])).toEqual([
      ['vegetable', 1, 1],
      ['fruit', 1, 0],
      ['egg', 1, 0],
    ]);

    const street = await rt.outOk<CoverageResult>('coverage', {}, 'sup-xg');
    expect(street.divisionCode).toBe(xugou);
    expect(street.staff.untrained.map((r) => r.userId)).toEqual(['coord-xg']);
    expect(street.producers).toMatchObject({ total: 2, trained: 1 });
    const outside = await rt.out('coverage', { divisionCode: liandao }, 'sup-xg');
    expect(!outside.ok && outside.error.code).toBe('FORBIDDEN');
  });

  it('exports staff and subjects to .xlsx', async () => {
    await train(supervisorsSession(), 'admin', ['sup-xg']);
    const file = await rt.outOk<{ filename: string; rows: number; base64: string }>(
      'coverageExport',
      {},
      'admin',
    );
    expect(file.filename).toBe('培训覆盖-连云区-2026-12-01.xlsx');
    expect(file.rows).toBe(7);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    const staff = wb.getWorksheet('工作人员培训')!;
    const values = (row: number) => (staff.getRow(row).values as unknown[]).slice(1);
    expect(values(1)).toEqual([
      '姓名',
      '角色',
      '辖区',
      '是否已培训',
      '参加培训次数',
      '最近培训日期',
    ]);
    expect(values(3)).toEqual(['刘监管', '街道/乡镇监管员', '墟沟街道', '是', 1, '2026-12-01']);
    expect(wb.getWorksheet('生产主体培训')!.rowCount).toBe(4);
  });
});
