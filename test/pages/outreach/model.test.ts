import { sessionInputSchema, signInCodeOf, signInUrl } from '../../../src/domain/outreach';
import {
  acceptedTemplates,
  addresseeText,
  chinaDateOf,
  chinaInstant,
  chinaTimeOf,
  coverageText,
  divisionsOffered,
  remainingText,
  requestableTemplates,
  rosterReloadRequests,
  sessionIdFromParams,
  sessionInputOf,
  signInCodeFromParams,
  uploadTypeOfBase64,
  windowState,
  withRosterPage,
} from '../../../src/pages-outreach/model';

const sessionId = 'trn_0123456789abcdef01234567';
const code = signInCodeOf(sessionId, 'AbCdEfGhIjKlMnOpQrSt_-');

describe('times typed in China time', () => {
  it('becomes the instant the server takes, and reads back the same', () => {
    const at = chinaInstant('2026-12-01', '9:05');
    expect(at).toBe('2026-12-01T09:05+08:00');
    expect(new Date(at!).toISOString()).toBe('2026-12-01T01:05:00.000Z');
    expect(chinaDateOf(at!)).toBe('2026-12-01');
    expect(chinaTimeOf(at!)).toBe('09:05');
    // Past midnight in China is still the previous day in UTC.
    expect(chinaDateOf(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(chinaInstant('2026-12-01', '09：30')).toBe('2026-12-01T09:30+08:00');
  });

  it('is null for dates and times that do not exist', () => {
    for (const [d, t] of [
      ['2026-02-30', '09:00'],
      ['2026-13-01', '09:00'],
      ['2026-12-01', '24:00'],
      ['2026-12-01', '09:60'],
      ['明天', '09:00'],
      ['2026-12-01', ''],
    ]) {
      expect(chinaInstant(d!, t!)).toBeNull();
    }
  });
});

describe('the code a session page was opened with', () => {
  it('reads the local redirect (code) and a WeChat scan of the link (q, encoded)', () => {
    expect(signInCodeFromParams({ code })).toBe(code);
    const link = signInUrl('https://hgz.example.cn', code);
    expect(signInCodeFromParams({ q: encodeURIComponent(link) })).toBe(code);
    expect(signInCodeFromParams({ q: link })).toBe(code);
    expect(sessionIdFromParams({ q: encodeURIComponent(link) })).toBe(sessionId);
  });

  it('takes the session from `id` first, and nothing from a link that holds no code', () => {
    expect(sessionIdFromParams({ id: sessionId })).toBe(sessionId);
    expect(sessionIdFromParams({ id: 'pub_0123456789abcdef01234567' })).toBeNull();
    expect(signInCodeFromParams({ code: 'trn_123.abc' })).toBeNull();
    expect(signInCodeFromParams({ q: '%E0%A4%A' })).toBeNull();
    expect(sessionIdFromParams({})).toBeNull();
  });
});

it('places now before, in or after the sign-in window', () => {
  const w = {
    signInOpensAt: '2026-12-01T00:30:00.000Z',
    signInClosesAt: '2026-12-01T03:00:00.000Z',
  };
  expect(windowState(w, new Date('2026-12-01T00:29:59Z'))).toBe('before');
  expect(windowState(w, new Date('2026-12-01T00:30:00Z'))).toBe('open');
  expect(windowState(w, new Date('2026-12-01T03:00:00Z'))).toBe('open');
  expect(windowState(w, new Date('2026-12-01T03:00:01Z'))).toBe('closed');
});

describe('subscribe-message consent', () => {
  const subscriptions = [
    { key: 'notice' as const, label: '新通知提醒', templateId: 'T-notice', remaining: 2 },
    { key: 'training' as const, label: '培训通知', templateId: 'T-training', remaining: 0 },
    { key: 'reminder' as const, label: '待确认提醒', templateId: null, remaining: 0 },
  ];

  it('asks only for templates with an id, and records only those accepted', () => {
    const asked = requestableTemplates(subscriptions);
    expect(asked).toEqual([
      { key: 'notice', templateId: 'T-notice' },
      { key: 'training', templateId: 'T-training' },
    ]);
    const answer = {
      errMsg: 'requestSubscribeMessage:ok',
      'T-notice': 'accept',
      'T-training': 'reject',
    };
    expect(acceptedTemplates(asked, answer)).toEqual(['notice']);
    expect(acceptedTemplates(asked, { 'T-notice': 'ban', 'T-training': 'filter' })).toEqual([]);
  });

  it('says how many messages are left', () => {
    expect(remainingText(subscriptions)).toBe('新通知提醒 2 次、培训通知 0 次、待确认提醒 0 次');
  });
});

it('offers a street supervisor their own street and the bureau every street', () => {
  expect(divisionsOffered({ roles: ['supervisor'], divisionCode: '320703001' })).toEqual([
    expect.objectContaining({ code: '320703001', name: '墟沟街道' }),
  ]);
  const bureau = divisionsOffered({ roles: ['admin'], divisionCode: null });
  expect(bureau.length).toBeGreaterThan(1);
  expect(bureau.every((d) => d.code.startsWith('320703') && d.code.length === 9)).toBe(true);
});

it('shows coverage as trained/total with a percentage', () => {
  expect(coverageText({ total: 3, trained: 1 })).toBe('1/3（33%）');
  expect(coverageText({ total: 0, trained: 0 })).toBe('0/0');
});

it("tells an upload's type from its first bytes", () => {
  const b64 = (bytes: number[]) => Buffer.from([...bytes, 0, 0, 0, 0, 0, 0]).toString('base64');
  expect(uploadTypeOfBase64(b64([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
  expect(uploadTypeOfBase64(b64([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toBe('image/png');
  expect(uploadTypeOfBase64(Buffer.from('%PDF-1.7\n').toString('base64'))).toBe('application/pdf');
  expect(uploadTypeOfBase64(Buffer.from('PK\u0003\u0004 docx').toString('base64'))).toBeNull();
});

describe('the session form', () => {
  const form = {
    title: '合格证开具培训',
    audience: 'producers' as const,
    productCategory: 'vegetable' as const,
    divisionCodes: ['320703001'],
    startDate: '2026-12-01',
    startTime: '09:00',
    endDate: '2026-12-01',
    endTime: '11:00',
    place: ' 墟沟街道农业服务中心 ',
    onlineUrl: '',
    materials: [{ title: '讲义', fileId: 'abc' }],
  };

  it('becomes an input the schema accepts, empty fields left out', () => {
    const input = sessionInputOf(form);
    expect(input).toEqual({
      title: '合格证开具培训',
      audience: 'producers',
      productCategory: 'vegetable',
      divisionCodes: ['320703001'],
      startsAt: '2026-12-01T09:00+08:00',
      endsAt: '2026-12-01T11:00+08:00',
      place: '墟沟街道农业服务中心',
      materials: [{ title: '讲义', fileId: 'abc' }],
    });
    expect(sessionInputSchema.safeParse(input).success).toBe(true);
  });

  it('drops the category of a staff session, and lets the schema name a bad time', () => {
    const input = sessionInputOf({ ...form, audience: 'supervisors', endTime: '25:00' });
    expect(input).not.toHaveProperty('productCategory');
    const parsed = sessionInputSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContain('endsAt');
  });
});

describe("a session's addressee in a line", () => {
  it('names the person, the subjects they are addressed through and the street', () => {
    const row = { nickname: '李老板', divisionName: '墟沟街道' };
    expect(addresseeText({ ...row, subjects: [{ name: '李记果蔬收购点' }] })).toBe(
      '李老板 · 李记果蔬收购点 · 墟沟街道',
    );
    // A smallholder registered under their own name is not named twice; staff have no subject.
    expect(addresseeText({ ...row, nickname: '王建国', subjects: [{ name: '王建国' }] })).toBe(
      '王建国 · 墟沟街道',
    );
    expect(addresseeText({ ...row, nickname: '', subjects: [] })).toBe('参训人员 · 墟沟街道');
  });
});

describe('the roster, a page at a time', () => {
  const page = (offset: number, ids: string[], matched = 100) => ({
    offset,
    matched,
    rows: ids.map((userId) => ({ userId })),
  });
  const ids = (list: { page: { rows: { userId: string }[] } } | null) =>
    list?.page.rows.map((r) => r.userId);

  it('appends the next page, and a page answered twice (a double tap) once', () => {
    const first = withRosterPage(null, 1, '', page(0, ['a', 'b']));
    const second = withRosterPage(first, 1, '', page(2, ['c', 'd']));
    expect(ids(second)).toEqual(['a', 'b', 'c', 'd']);
    expect(second?.page.offset).toBe(0);
    expect(ids(withRosterPage(second, 1, '', page(2, ['c', 'd'])))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never mixes a page of an earlier search into a later one', () => {
    const wang = withRosterPage(null, 2, '王', page(0, ['w1'], 1));
    // "显示更多" asked before the search changed answers after: dropped.
    expect(withRosterPage(wang, 1, '', page(2, ['c', 'd']))).toBe(wang);
    expect(withRosterPage(wang, 3, '李', page(0, ['l1'], 1))).toEqual({
      seq: 3,
      query: '李',
      page: page(0, ['l1'], 1),
    });
  });

  it('drops a page that would leave a gap', () => {
    const first = withRosterPage(null, 1, '', page(0, ['a']));
    expect(withRosterPage(first, 1, '', page(5, ['f']))).toBe(first);
    expect(withRosterPage(null, 1, '', page(5, ['f']))).toBeNull();
  });

  it('reads again as many as were shown after a marking, 100 at most per request', () => {
    expect(rosterReloadRequests(0, 30, 100)).toEqual([{ offset: 0, limit: 30 }]);
    expect(rosterReloadRequests(90, 30, 100)).toEqual([{ offset: 0, limit: 90 }]);
    expect(rosterReloadRequests(210, 30, 100)).toEqual([
      { offset: 0, limit: 100 },
      { offset: 100, limit: 100 },
      { offset: 200, limit: 10 },
    ]);
  });
});
