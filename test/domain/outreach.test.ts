import * as z from 'zod/mini';
import {
  audienceFor,
  audienceText,
  coverageOf,
  isInstant,
  normalizeBody,
  parseSignInCode,
  publishInputSchema,
  reachOf,
  selectAudience,
  selectSessionAudience,
  sessionInputSchema,
  signInRefusal,
  signInUrl,
  textBlocks,
  unclaimedSubjects,
  type AudienceSubject,
  type AudienceUser,
  type StoredAudience,
} from '../../src/domain/outreach';
import { productCategoriesOf, productCategoryOf } from '../../src/domain/product-category';
import { useChineseMessages } from '../../src/domain/locale';

useChineseMessages();

const xugou = '320703001';
const lianyun = '320703002';
const liandao = '320703003';

const subject = (
  _id: string,
  ownerId: string,
  type: AudienceSubject['type'],
  divisionCode: string,
  products: string[],
  status: AudienceSubject['status'] = 'approved',
): AudienceSubject => ({ _id, ownerId, type, divisionCode, products, status, name: _id });

/** The built world: who operates what, where, and the staff. */
const subjects: AudienceSubject[] = [
  subject('s1', 'u1', 'smallholder', xugou, ['青菜']),
  subject('s2', 'u1', 'family_farm', liandao, ['草莓'], 'registered'),
  subject('s3', 'u2', 'cooperative', xugou, ['鸡蛋']),
  subject('s4', 'u3', 'enterprise', lianyun, ['紫菜']),
  subject('s5', 'u4', 'smallholder', xugou, ['番茄'], 'rejected'),
  subject('s6', '', 'smallholder', xugou, ['黄瓜']),
  subject('s7', 'u5', 'buyer', xugou, ['青菜']),
];
const users: AudienceUser[] = [
  { _id: 'st1', roles: ['supervisor'], divisionCode: xugou, nickname: '刘监管' },
  { _id: 'st2', roles: ['coordinator'], divisionCode: liandao, nickname: '张协管' },
  { _id: 'st3', roles: ['enforcement'], divisionCode: '320703', nickname: '陈执法' },
  { _id: 'st4', roles: ['admin'], divisionCode: null, nickname: '赵管理' },
  // A coordinator who also farms: addressed as the producer he is.
  { _id: 'u2', roles: ['producer', 'coordinator'], divisionCode: xugou, nickname: '周合作' },
];
const world = { subjects, users };

const audience = (a: Partial<StoredAudience>): StoredAudience => ({
  all: false,
  divisionCodes: null,
  subjectTypes: null,
  productCategories: null,
  ...a,
});
/** Field path → messages, as the function boundary reports them. */
function fieldsOf(schema: z.ZodMiniType, input: unknown): Record<string, string[]> {
  const r = z.safeParse(schema, input);
  const out: Record<string, string[]> = {};
  if (!r.success) {
    for (const issue of r.error.issues)
      (out[issue.path.map(String).join('.')] ??= []).push(issue.message);
  }
  return out;
}

const select = (a: Partial<StoredAudience>, requiresAck = false) =>
  selectAudience({ audience: audience(a), requiresAck }, world).map(
    (u) => `${u.userId}:${u.recipient}:${u.divisionCode}:${u.subjectIds.join('+')}`,
  );

describe('selectAudience', () => {
  it('addresses every active operated subject and every staff member for "all"', () => {
    expect(select({ all: true })).toEqual([
      'st1:staff:320703001:',
      'st2:staff:320703003:',
      'st3:staff:320703:',
      'st4:staff:320703:',
      'u1:producer:320703001:s1+s2',
      'u2:producer:320703001:s3',
      'u3:producer:320703002:s4',
      'u5:producer:320703001:s7',
    ]);
  });

  it('asks no staff to confirm: items requiring 已阅知 address producers only', () => {
    expect(select({ all: true }, true)).toEqual([
      'u1:producer:320703001:s1+s2',
      'u2:producer:320703001:s3',
      'u3:producer:320703002:s4',
      'u5:producer:320703001:s7',
    ]);
  });

  it('narrows by division: staff of the street only, not the district-wide ones', () => {
    expect(select({ divisionCodes: [xugou] })).toEqual([
      'st1:staff:320703001:',
      'u1:producer:320703001:s1',
      'u2:producer:320703001:s3',
      'u5:producer:320703001:s7',
    ]);
  });

  it('narrows by type and category together with division; no staff then', () => {
    expect(select({ divisionCodes: [liandao], subjectTypes: ['family_farm'] })).toEqual([
      'u1:producer:320703003:s2',
    ]);
    expect(select({ productCategories: ['aquatic', 'egg'] })).toEqual([
      'u2:producer:320703001:s3',
      'u3:producer:320703002:s4',
    ]);
    // s5 is rejected and s6 has no operator: neither is addressed.
    expect(select({ subjectTypes: ['smallholder'] })).toEqual(['u1:producer:320703001:s1']);
  });

  it('lists matching subjects nobody operates, to reach on paper', () => {
    expect(unclaimedSubjects(audience({ all: true }), subjects).map((s) => s._id)).toEqual(['s6']);
  });
});

describe('selectSessionAudience', () => {
  it('addresses the audience roles within the divisions', () => {
    const ids = (s: Parameters<typeof selectSessionAudience>[0]) =>
      selectSessionAudience(s, world).map((u) => u.userId);
    expect(ids({ audience: 'supervisors', productCategory: null, divisionCodes: null })).toEqual([
      'st1',
    ]);
    expect(ids({ audience: 'extension', productCategory: null, divisionCodes: null })).toEqual([
      'st2',
      'u2',
    ]);
    expect(ids({ audience: 'extension', productCategory: null, divisionCodes: [liandao] })).toEqual(
      ['st2'],
    );
    expect(
      ids({ audience: 'producers', productCategory: 'vegetable', divisionCodes: [xugou] }),
    ).toEqual(['u1', 'u5']);
  });
});

describe('audienceFor', () => {
  it('keeps a street supervisor to their street, defaulting to it', () => {
    expect(audienceFor({ all: true }, xugou)).toMatchObject({ ok: false, field: 'audience.all' });
    expect(audienceFor({ divisionCodes: [xugou, liandao] }, xugou)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      field: 'audience.divisionCodes.1',
    });
    expect(audienceFor({ subjectTypes: ['smallholder'] }, xugou)).toEqual({
      ok: true,
      audience: audience({ divisionCodes: [xugou], subjectTypes: ['smallholder'] }),
    });
  });

  it('lets the bureau address anyone; an empty audience is everyone', () => {
    expect(audienceFor({}, null)).toEqual({ ok: true, audience: audience({ all: true }) });
    expect(audienceFor({ productCategories: ['tea'] }, null)).toEqual({
      ok: true,
      audience: audience({ productCategories: ['tea'] }),
    });
    expect(
      audienceText(audience({ divisionCodes: [xugou, liandao], subjectTypes: ['smallholder'] })),
    ).toBe('墟沟街道、连岛街道 · 种养殖户（小农户）');
  });
});

describe('publishInputSchema', () => {
  const base = { kind: 'article', title: '合格证政策解读', body: '正文', audience: { all: true } };
  const fields = (input: unknown) => fieldsOf(publishInputSchema, input);

  it('accepts a plain item and defaults what is optional', () => {
    const r = z.safeParse(publishInputSchema, base);
    expect(r.success && r.data).toMatchObject({ imageFileIds: [], body: '正文' });
  });

  it('refuses with the field and a Chinese message', () => {
    expect(fields({ ...base, title: 'a' })).toEqual({ title: ['标题至少 2 个字'] });
    expect(fields({ ...base, videoUrl: 'http://v.example.cn/1' })).toEqual({
      videoUrl: ['视频链接须为 https:// 开头的网址'],
    });
    expect(fields({ ...base, kind: 'video' })).toEqual({ videoUrl: ['宣传视频请填写视频链接'] });
    expect(fields({ ...base, kind: 'poster' })).toEqual({
      imageFileIds: ['宣传海报请上传海报图片或 PDF'],
    });
    expect(fields({ ...base, body: '' })).toEqual({ body: ['请填写正文，或上传图片、PDF'] });
    expect(fields({ ...base, audience: { all: true, divisionCodes: [xugou] } })).toEqual({
      'audience.all': ['选择“全部”时不能再限定街道、主体类型或品类'],
    });
    expect(fields({ ...base, publishAt: '2026-12-01 09:00' })).toEqual({
      publishAt: ['发布时间格式应为 2026-12-01T09:00+08:00'],
    });
    expect(fields({ ...base, publishAt: '2026-02-30T09:00+08:00' })).toEqual({
      publishAt: ['发布时间不是有效的时间'],
    });
  });

  it('knows real instants from rolled-over ones', () => {
    expect(isInstant('2026-12-01T09:00+08:00')).toBe(true);
    expect(isInstant('2026-12-01T00:30+08:00')).toBe(true);
    expect(isInstant('2026-02-29T09:00Z')).toBe(false);
  });
});

describe('sessionInputSchema', () => {
  const base = {
    title: '合格证开具培训',
    audience: 'producers',
    startsAt: '2026-12-01T09:00+08:00',
    endsAt: '2026-12-01T11:00+08:00',
    place: '墟沟街道便民服务中心',
  };
  it('stores times as UTC and checks their order, the place and the category', () => {
    const r = z.safeParse(sessionInputSchema, base);
    expect(r.success && r.data.startsAt).toBe('2026-12-01T01:00:00.000Z');
    const fields = (input: unknown) => fieldsOf(sessionInputSchema, input);
    expect(fields({ ...base, endsAt: base.startsAt })).toEqual({
      endsAt: ['结束时间应晚于开始时间'],
    });
    expect(fields({ ...base, place: undefined })).toEqual({
      place: ['请填写培训地点或线上培训链接'],
    });
    expect(fields({ ...base, audience: 'supervisors', productCategory: 'tea' })).toEqual({
      productCategory: ['只有面向生产主体的培训可以选择产品品类'],
    });
    expect(fields({ ...base, materials: [{ title: '讲义' }] })).toEqual({
      'materials.0': ['每份资料请上传文件或填写链接（二选一）'],
    });
  });
});

describe('text', () => {
  it('normalises the body and splits it into blocks', () => {
    const body = normalizeBody(
      '# 告知书\r\n\r\n\r\n各生产主体：  \n- 一车一证\n• 一批一证\n\u0007谢谢',
    );
    expect(body).toBe('# 告知书\n\n各生产主体：\n- 一车一证\n• 一批一证\n谢谢');
    expect(textBlocks(body)).toEqual([
      { type: 'heading', text: '告知书' },
      { type: 'paragraph', text: '各生产主体：' },
      { type: 'item', text: '一车一证' },
      { type: 'item', text: '一批一证' },
      { type: 'paragraph', text: '谢谢' },
    ]);
  });
});

describe('sign-in', () => {
  const session = { startsAt: '2026-12-01T01:00:00.000Z', endsAt: '2026-12-01T03:00:00.000Z' };
  it('opens 30 minutes before the start and closes at the end', () => {
    expect(signInRefusal(session, new Date('2026-12-01T00:29:59Z'))).toMatch(/^签到还没有开始/);
    expect(signInRefusal(session, new Date('2026-12-01T00:30:00Z'))).toBeNull();
    expect(signInRefusal(session, new Date('2026-12-01T03:00:00Z'))).toBeNull();
    expect(signInRefusal(session, new Date('2026-12-01T03:00:01Z'))).toBe(
      '本场培训已于 2026-12-01 11:00 结束，签到已关闭',
    );
  });

  it('reads a code or its address', () => {
    const code = `trn_${'a'.repeat(24)}.${'B'.repeat(22)}`;
    expect(parseSignInCode(code)).toEqual({
      sessionId: `trn_${'a'.repeat(24)}`,
      token: 'B'.repeat(22),
    });
    expect(parseSignInCode(signInUrl('https://hgz.example.cn/', code))).toEqual(
      parseSignInCode(code),
    );
    expect(parseSignInCode('https://evil.example.cn/x')).toBeNull();
    expect(parseSignInCode(`${code}x`)).toBeNull();
  });
});

describe('reachOf', () => {
  const addressed = [
    { userId: 'u1', recipient: 'producer' as const, divisionCode: xugou, subjectIds: [] },
    { userId: 'u2', recipient: 'producer' as const, divisionCode: xugou, subjectIds: [] },
    { userId: 'u3', recipient: 'producer' as const, divisionCode: lianyun, subjectIds: [] },
    { userId: 'st1', recipient: 'staff' as const, divisionCode: xugou, subjectIds: [] },
  ];
  const d = (
    userId: string,
    divisionCode: string,
    readAt: string | null,
    ackAt: string | null,
  ) => ({
    userId,
    recipient: userId.startsWith('st') ? ('staff' as const) : ('producer' as const),
    divisionCode,
    readAt,
    ackAt,
    requiresAck: !userId.startsWith('st'),
  });
  const deliveries = [
    d('u1', xugou, 't', 't'),
    d('u2', xugou, null, null),
    // Delivered before, no longer addressed (retired since): still counts once.
    d('u9', liandao, 't', null),
  ];

  it('counts exactly, by division and by recipient', () => {
    const r = reachOf({ requiresAck: true }, addressed, deliveries, () => true);
    expect(r).toMatchObject({ addressed: 5, delivered: 3, read: 2, acknowledged: 1 });
    expect(r.byDivision).toEqual([
      {
        divisionCode: xugou,
        divisionName: '墟沟街道',
        addressed: 3,
        delivered: 2,
        read: 1,
        acknowledged: 1,
      },
      {
        divisionCode: lianyun,
        divisionName: '连云街道',
        addressed: 1,
        delivered: 0,
        read: 0,
        acknowledged: 0,
      },
      {
        divisionCode: liandao,
        divisionName: '连岛街道',
        addressed: 1,
        delivered: 1,
        read: 1,
        acknowledged: 0,
      },
    ]);
    expect(r.byRecipient.staff).toEqual({ addressed: 1, delivered: 0, read: 0, acknowledged: 0 });
  });

  it('keeps to the scope', () => {
    const r = reachOf({ requiresAck: true }, addressed, deliveries, (c) => c === xugou);
    expect(r).toMatchObject({ addressed: 3, delivered: 2, read: 1, acknowledged: 1 });
    expect(r.byDivision.map((x) => x.divisionCode)).toEqual([xugou]);
  });
});

describe('coverageOf', () => {
  const attendance = [
    {
      userId: 'st1',
      sessionAudience: 'supervisors' as const,
      attendedAt: '2026-11-01T01:00:00.000Z',
    },
    {
      userId: 'st1',
      sessionAudience: 'supervisors' as const,
      attendedAt: '2026-11-20T01:00:00.000Z',
    },
    // Enrolled, never came: not trained.
    { userId: 'st2', sessionAudience: 'extension' as const, attendedAt: null },
    { userId: 'u1', sessionAudience: 'producers' as const, attendedAt: '2026-11-10T01:00:00.000Z' },
    // A staff session does not train a producer.
    {
      userId: 'u3',
      sessionAudience: 'supervisors' as const,
      attendedAt: '2026-11-10T01:00:00.000Z',
    },
  ];

  it('lists every staff member to train and counts producers by division, type, category', () => {
    const c = coverageOf({ users, subjects, attendance, inScope: () => true });
    expect(c.staff.rows.map((r) => [r.userId, r.trained, r.sessions, r.lastTrainedAt])).toEqual([
      ['st3', false, 0, null],
      ['st1', true, 2, '2026-11-20T01:00:00.000Z'],
      ['u2', false, 0, null],
      ['st2', false, 0, null],
    ]);
    expect(c.staff).toMatchObject({ total: 4, trained: 1 });
    expect(c.staff.byAudience).toEqual([
      { audience: 'supervisors', label: '监管人员', total: 1, trained: 1 },
      { audience: 'enforcement', label: '执法人员', total: 1, trained: 0 },
      { audience: 'extension', label: '农技推广人员（村级协管员）', total: 2, trained: 0 },
    ]);
    expect(c.producers).toMatchObject({ total: 6, trained: 2 });
    expect(c.producers.byDivision).toEqual([
      { divisionCode: xugou, divisionName: '墟沟街道', total: 4, trained: 1 },
      { divisionCode: lianyun, divisionName: '连云街道', total: 1, trained: 0 },
      { divisionCode: liandao, divisionName: '连岛街道', total: 1, trained: 1 },
    ]);
    expect(c.producers.byCategory.map((r) => [r.category, r.total, r.trained])).toEqual([
      ['vegetable', 3, 1],
      ['fruit', 1, 1],
      ['egg', 1, 0],
      ['aquatic', 1, 0],
    ]);
    expect(c.producers.rows.find((r) => r.subjectId === 's6')).toMatchObject({
      claimed: false,
      trained: false,
    });
  });

  it('keeps to the scope', () => {
    const c = coverageOf({ users, subjects, attendance, inScope: (code) => code === xugou });
    expect(c.staff.rows.map((r) => r.userId)).toEqual(['st1', 'u2']);
    expect(c.producers.total).toBe(4);
  });
});

describe('product categories', () => {
  it.each([
    ['青菜', 'vegetable'],
    ['番茄', 'vegetable'],
    ['杏鲍菇', 'vegetable'],
    ['鸡毛菜', 'vegetable'],
    ['黄瓜', 'vegetable'],
    ['西瓜', 'fruit'],
    ['苹果', 'fruit'],
    ['鸡蛋', 'egg'],
    ['草鸡', 'livestock'],
    ['紫菜', 'aquatic'],
    ['对虾', 'aquatic'],
    ['云雾茶', 'tea'],
    ['茶树菇', 'vegetable'],
    ['花生', 'other'],
  ])('%s is %s', (name, category) => {
    expect(productCategoryOf(name)).toBe(category);
  });

  it('lists a subject’s categories once each, in order', () => {
    expect(productCategoriesOf(['紫菜', '青菜', '白菜'])).toEqual(['vegetable', 'aquatic']);
  });
});
