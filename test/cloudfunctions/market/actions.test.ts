import ExcelJS from 'exceljs';
import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import {
  marketFunction,
  type AcceptanceRateResult,
  type AcceptResult,
  type EntriesResult,
  type MarketEntryView,
} from '../../../cloudfunctions/market/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { MarketEntry, MarketSample } from '../../../src/domain/market';
import type { Role, User } from '../../../src/domain/role';
import type { Scan } from '../../../src/domain/scan';
import type { Subject } from '../../../src/domain/subject';
import {
  issueInput,
  smallholder,
  testRuntime,
  validIdNumber,
  type TestRuntime,
} from '../../helpers/runtime';

const xugou = '320703001';
const liandao = '320703003';

let rt: TestRuntime;
let producer: Subject;
let market: Subject;
let otherMarket: Subject;

async function staff(id: string, roles: Role[], divisionCode: string | null) {
  await rt.store.collection<User>('users').insert({
    _id: id,
    nickname: id,
    roles,
    divisionCode,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
}

beforeEach(async () => {
  rt = testRuntime();
  producer = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-producer');
  market = await rt.ok<Subject>(
    subjectFunction,
    'register',
    smallholder({
      type: 'buyer',
      name: '墟沟农贸市场',
      identityNumber: validIdNumber('19700101', '456'),
      products: ['蔬菜'],
    }),
    'wx-market',
  );
  otherMarket = await rt.ok<Subject>(
    subjectFunction,
    'register',
    smallholder({
      type: 'buyer',
      name: '连岛海鲜市场',
      identityNumber: validIdNumber('19720202', '789'),
      divisionCode: liandao,
      address: '连云区连岛街道海滨路 1 号',
      products: ['海鲜'],
    }),
    'wx-market-2',
  );
  await staff('wx-sup-xugou', ['supervisor'], xugou);
  await staff('wx-sup-liandao', ['supervisor'], liandao);
  await staff('wx-enf-xugou', ['enforcement'], xugou);
  await staff('wx-coord-xugou', ['coordinator'], xugou);
  await staff('wx-admin', ['admin'], null);
  await staff('wx-sup-nowhere', ['supervisor'], null);
});
afterEach(() => rt.close());

async function issue(overrides: Record<string, unknown> = {}): Promise<OwnCertificate> {
  const [cert] = await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(producer._id, overrides),
    'wx-producer',
  );
  if (!cert) throw new Error('no certificate issued');
  return cert;
}

const accept = (scanned: string, extra: Record<string, unknown> = {}, as = 'wx-market') =>
  rt.call<AcceptResult>(
    marketFunction,
    'accept',
    { marketSubjectId: market._id, scanned, ...extra },
    as,
  );

async function counts() {
  return {
    marketEntries: await rt.store.collection('marketEntries').count(),
    samples: await rt.store.collection('samples').count(),
    audit: await rt.store.collection('audit').count(),
    scans: await rt.store.collection('scans').count(),
  };
}

const scans = () => rt.store.collection<Scan>('scans').find();

/** A signature with its first character changed: well-formed, but not the district's. */
function tampered(url: string): string {
  const [base, sig = ''] = url.split('?s=');
  const first = sig.charAt(0) === 'A' ? 'B' : 'A';
  return `${base}?s=${first}${sig.slice(1)}`;
}

describe('market.accept', () => {
  it('accepts a valid label: the entry, its six-month keep-until, and a market scan', async () => {
    const cert = await issue();
    rt.setNow('2026-11-30T01:15:00.000Z');
    const res = await accept(cert.verifyUrl, { stall: 'A-12', buyerName: '张三', note: '早市' });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    expect(res.data.verification.verdict).toBe('valid');
    expect(res.data.entry).toMatchObject({
      kind: 'accepted',
      kindLabel: '凭证入市',
      statusLabel: '凭证入市',
      marketSubjectId: market._id,
      divisionCode: xugou,
      certificateCode: cert.code,
      label: cert.code,
      productName: '青菜',
      issuerName: '王建国',
      issuerDivision: xugou,
      issuerDivisionName: '墟沟街道',
      quantity: { value: '25.5', unit: 'kg' },
      at: '2026-11-30T01:15:00.000Z',
      stall: 'A-12',
      buyerName: '张三',
      note: '早市',
      signature: 'valid',
      seenElsewhere: false,
      copySuspected: false,
      acceptedBy: 'wx-market',
      keepUntil: '2027-06-01T01:15:00.000Z',
    });
    const stored = await rt.store.collection<MarketEntry>('marketEntries').get(res.data.entry._id);
    expect(stored).toMatchObject({ kind: 'accepted', label: cert.code });
    expect(await scans()).toEqual([
      expect.objectContaining({ code: cert.code, label: cert.code, channel: 'market' }),
    ]);
    const audit = await rt.store.collection('audit').find({ entityId: res.data.entry._id });
    expect(audit).toEqual([expect.objectContaining({ action: 'market.accept' })]);
  });

  it('accepts one package label of a per-package certificate, and a typed code', async () => {
    const cert = await issue({ packages: 3 });
    const second = cert.labels[1]!;
    const byUrl = await rt.ok<AcceptResult>(
      marketFunction,
      'accept',
      { marketSubjectId: market._id, scanned: second.verifyUrl },
      'wx-market',
    );
    expect(byUrl.entry).toMatchObject({ certificateCode: cert.code, label: second.label });
    const third = cert.labels[2]!;
    const typed = await rt.ok<AcceptResult>(
      marketFunction,
      'accept',
      { marketSubjectId: market._id, scanned: third.label.toLowerCase() },
      'wx-market',
    );
    expect(typed.entry).toMatchObject({ label: third.label, signature: 'absent' });
  });

  it('refuses a revoked certificate and stores nothing but the scan', async () => {
    const cert = await issue();
    await rt.ok(
      certificateFunction,
      'revoke',
      { code: cert.code, reason: '数量写错' },
      'wx-producer',
    );
    const before = await counts();
    const res = await accept(cert.verifyUrl);
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringContaining('已被开具方撤销（原因：数量写错）'),
        fields: { scanned: [expect.stringContaining('撤销')] },
      },
    });
    expect(await counts()).toEqual({ ...before, scans: before.scans + 1 });
    expect((await scans())[0]).toMatchObject({ channel: 'market' });
  });

  it('refuses a forged label (tampered signature) and logs the forged scan', async () => {
    const cert = await issue();
    const before = await counts();
    const res = await accept(tampered(cert.verifyUrl));
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('疑似伪造') },
    });
    expect(await counts()).toEqual({ ...before, scans: before.scans + 1 });
    expect((await scans())[0]).toMatchObject({ channel: 'market', signature: 'invalid' });
  });

  it('refuses an unknown code and records nothing at all', async () => {
    const before = await counts();
    const res = await accept('https://hgz.example.cn/c/0123456789ABCDEF');
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('没有找到这张合格证') },
    });
    const garbage = await accept('not a code');
    expect(garbage).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await counts()).toEqual(before);
  });

  it('refuses the same label twice at one market, and flags it at a second market', async () => {
    const cert = await issue();
    const first = await rt.ok<AcceptResult>(
      marketFunction,
      'accept',
      { marketSubjectId: market._id, scanned: cert.verifyUrl },
      'wx-market',
    );
    const before = await counts();
    const again = await accept(cert.code);
    expect(again).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringContaining('已于 2026-11-29 10:00 在本市场登记入市'),
      },
    });
    expect(await counts()).toEqual({ ...before, scans: before.scans + 1 });

    const elsewhere = await rt.ok<AcceptResult>(
      marketFunction,
      'accept',
      { marketSubjectId: otherMarket._id, scanned: cert.verifyUrl },
      'wx-market-2',
    );
    expect(elsewhere.entry).toMatchObject({ seenElsewhere: true, label: cert.code });
    expect(elsewhere.entry._id).not.toBe(first.entry._id);
    expect(first.entry.seenElsewhere).toBe(false);
  });

  it('refuses a market that is retired', async () => {
    await rt.store.collection<Subject>('subjects').update(market._id, { status: 'retired' });
    const cert = await issue();
    const before = await counts();
    const res = await accept(cert.verifyUrl);
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('已注销') },
    });
    expect(await counts()).toEqual(before);
  });
});

describe('goods without a certificate: 无证抽检, 不合格退场', () => {
  const arrival = (extra: Record<string, unknown> = {}, as = 'wx-market') =>
    rt.ok<MarketEntryView>(
      marketFunction,
      'arrivalWithoutCertificate',
      {
        marketSubjectId: market._id,
        productName: '土豆',
        quantity: { value: '50.50', unit: 'kg' },
        supplier: { name: '李四', phone: '13900001111' },
        stall: 'B-3',
        ...extra,
      },
      as,
    );
  const sample = (entryId: string, results: ('pass' | 'fail')[], as = 'wx-market') =>
    rt.call<{ entry: MarketEntryView; sample: MarketSample }>(
      marketFunction,
      'recordSample',
      {
        entryId,
        kind: 'rapid',
        method: '速测卡法',
        items: results.map((result, i) => ({ item: `农药残留 ${i + 1}`, result })),
      },
      as,
    );

  it('records the arrival as a pending sampling task', async () => {
    const entry = await arrival();
    expect(entry).toMatchObject({
      kind: 'no_certificate',
      kindLabel: '无证入市',
      statusLabel: '待抽检',
      productName: '土豆',
      quantity: { value: '50.5', unit: 'kg' },
      supplier: { name: '李四', phone: '13900001111' },
      stall: 'B-3',
      samplingStatus: 'pending',
      sampleId: null,
      turnedAway: false,
      recordedBy: 'wx-market',
      keepUntil: '2027-05-31T02:00:00.000Z',
    });
    const pending = await rt.ok<EntriesResult>(
      marketFunction,
      'entries',
      { marketSubjectId: market._id, samplingStatus: 'pending' },
      'wx-market',
    );
    expect(pending.items.map((e) => e._id)).toEqual([entry._id]);
  });

  it('a passed rapid test lets the goods in and writes the sample', async () => {
    const entry = await arrival();
    rt.setNow('2026-11-29T03:00:00.000Z');
    const res = await sample(entry._id, ['pass', 'pass']);
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    expect(res.data.entry).toMatchObject({
      kind: 'no_certificate',
      samplingStatus: 'passed',
      statusLabel: '抽检合格，准予入市',
      turnedAway: false,
      sampledAt: '2026-11-29T03:00:00.000Z',
      sampleId: res.data.sample._id,
    });
    const stored = await rt.store.collection<MarketSample>('samples').get(res.data.sample._id);
    expect(stored).toEqual({
      _id: res.data.sample._id,
      source: 'market',
      marketEntryId: entry._id,
      marketSubjectId: market._id,
      subjectId: null,
      certificateCodes: [],
      kind: 'rapid',
      items: [
        { item: '农药残留 1', result: 'pass' },
        { item: '农药残留 2', result: 'pass' },
      ],
      result: 'pass',
      method: '速测卡法',
      lab: null,
      productName: '土豆',
      sampledOn: '2026-11-29',
      at: '2026-11-29T03:00:00.000Z',
      by: 'wx-market',
      divisionCode: xugou,
    });
    expect(await rt.store.collection('marketEntries').get(entry._id)).toMatchObject({
      samplingStatus: 'passed',
    });
  });

  it('a failed item turns the goods away; a second sample is refused', async () => {
    const entry = await arrival();
    const res = await sample(entry._id, ['pass', 'fail']);
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    expect(res.data.sample.result).toBe('fail');
    expect(res.data.entry).toMatchObject({
      samplingStatus: 'failed',
      turnedAway: true,
      statusLabel: '抽检不合格，已退场',
    });
    const before = await counts();
    const again = await sample(entry._id, ['pass']);
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('抽检不合格，已退场') },
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses to sample goods that entered with a certificate', async () => {
    const cert = await issue();
    const { entry } = await rt.ok<AcceptResult>(
      marketFunction,
      'accept',
      { marketSubjectId: market._id, scanned: cert.verifyUrl },
      'wx-market',
    );
    const before = await counts();
    expect(await sample(entry._id, ['pass'])).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('不需要无证抽检') },
    });
    expect(await sample('mke_nosuch', ['pass'])).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses another market's entry and staff, storing nothing", async () => {
    const entry = await arrival();
    const before = await counts();
    expect(await sample(entry._id, ['fail'], 'wx-market-2')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await sample(entry._id, ['fail'], 'wx-sup-xugou')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await counts()).toEqual(before);
    expect(await rt.store.collection('marketEntries').get(entry._id)).toMatchObject({
      samplingStatus: 'pending',
    });
  });
});

/** Three accepted, two without certificate (one failed), on two days; one arrival elsewhere. */
async function buildRecords() {
  const certs = [await issue(), await issue({ productName: '番茄' }), await issue()];
  const times = [
    '2026-11-28T01:00:00.000Z',
    '2026-11-28T02:00:00.000Z',
    '2026-11-29T01:00:00.000Z',
  ];
  for (const [i, c] of certs.entries()) {
    rt.setNow(times[i]!);
    await rt.ok(
      marketFunction,
      'accept',
      { marketSubjectId: market._id, scanned: c.verifyUrl, stall: `A-${i + 1}` },
      'wx-market',
    );
  }
  rt.setNow('2026-11-28T03:00:00.000Z');
  const potatoes = await rt.ok<MarketEntryView>(
    marketFunction,
    'arrivalWithoutCertificate',
    {
      marketSubjectId: market._id,
      productName: '土豆',
      quantity: { value: '50', unit: 'kg' },
      supplier: { name: '李四' },
      note: '=HYPERLINK("http://evil")',
    },
    'wx-market',
  );
  rt.setNow('2026-11-29T03:00:00.000Z');
  const garlic = await rt.ok<MarketEntryView>(
    marketFunction,
    'arrivalWithoutCertificate',
    { marketSubjectId: market._id, productName: '大蒜', quantity: { value: '3', unit: 'box' } },
    'wx-market',
  );
  await rt.ok(
    marketFunction,
    'recordSample',
    { entryId: garlic._id, kind: 'rapid', items: [{ item: '有机磷农药残留', result: 'fail' }] },
    'wx-market',
  );
  await rt.ok(
    marketFunction,
    'arrivalWithoutCertificate',
    {
      marketSubjectId: otherMarket._id,
      productName: '带鱼',
      quantity: { value: '20', unit: 'kg' },
    },
    'wx-market-2',
  );
  rt.setNow('2026-11-30T02:00:00.000Z');
  return { certs, potatoes, garlic };
}

describe('market.entries and market.export', () => {
  it('lists newest first, pages, filters and searches', async () => {
    await buildRecords();
    const all = await rt.ok<EntriesResult>(
      marketFunction,
      'entries',
      { marketSubjectId: market._id },
      'wx-market',
    );
    expect(all.total).toBe(5);
    expect(all.items.map((e) => e.productName)).toEqual(['大蒜', '青菜', '土豆', '番茄', '青菜']);
    const page = await rt.ok<EntriesResult>(
      marketFunction,
      'entries',
      { marketSubjectId: market._id, limit: 2, skip: 2 },
      'wx-market',
    );
    expect(page).toMatchObject({
      total: 5,
      items: [{ productName: '土豆' }, { productName: '番茄' }],
    });
    const list = async (filters: Record<string, unknown>) =>
      (
        await rt.ok<EntriesResult>(
          marketFunction,
          'entries',
          { marketSubjectId: market._id, ...filters },
          'wx-market',
        )
      ).items.map((e) => e.productName);
    expect(await list({ kind: 'no_certificate' })).toEqual(['大蒜', '土豆']);
    expect(await list({ samplingStatus: 'failed' })).toEqual(['大蒜']);
    expect(await list({ from: '2026-11-29', to: '2026-11-29' })).toEqual(['大蒜', '青菜']);
    expect(await list({ q: '番' })).toEqual(['番茄']);
    expect(await list({ q: '李四' })).toEqual(['土豆']);
    expect(await list({ q: 'a-3' })).toEqual(['青菜']);
  });

  it('lets staff of the market’s division and the admin read, and no one else', async () => {
    await buildRecords();
    for (const who of ['wx-sup-xugou', 'wx-enf-xugou', 'wx-admin']) {
      const res = await rt.ok<EntriesResult>(
        marketFunction,
        'entries',
        { marketSubjectId: market._id },
        who,
      );
      expect(res.total).toBe(5);
    }
    for (const [who, code] of [
      ['wx-sup-liandao', 'FORBIDDEN'],
      ['wx-sup-nowhere', 'FORBIDDEN'],
      ['wx-coord-xugou', 'FORBIDDEN'],
      ['wx-market-2', 'FORBIDDEN'],
      ['wx-producer', 'FORBIDDEN'],
    ] as const) {
      const res = await rt.call(marketFunction, 'entries', { marketSubjectId: market._id }, who);
      expect({ who, res }).toMatchObject({ who, res: { ok: false, error: { code } } });
    }
  });

  it('exports the entries to .xlsx, formula-like text neutralised', async () => {
    const { certs } = await buildRecords();
    const out = await rt.ok<{ filename: string; rows: number; truncated: boolean; base64: string }>(
      marketFunction,
      'export',
      { marketSubjectId: market._id },
      'wx-market',
    );
    expect(out).toMatchObject({
      filename: '入市台账-墟沟农贸市场-2026-11-30.xlsx',
      rows: 5,
      truncated: false,
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(out.base64, 'base64') as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('入市台账');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 7)).toEqual([
      '入市时间',
      '入市方式',
      '产品名称',
      '数量',
      '单位',
      '合格证编号',
      '开具主体',
    ]);
    const rows = [2, 3, 4, 5, 6].map((r) => (sheet.getRow(r).values as unknown[]).slice(1));
    expect(rows.map((r) => r[2])).toEqual(['大蒜', '青菜', '土豆', '番茄', '青菜']);
    const col = (name: string) => header.indexOf(name);
    expect(rows[0]![col('状态')]).toBe('抽检不合格，已退场');
    expect(rows[0]![col('入市时间')]).toBe('2026-11-29 11:00');
    expect(rows[1]![col('合格证编号')]).toBe(certs[2]!.code.match(/.{4}/g)!.join('-'));
    expect(rows[1]![col('产地')]).toBe('墟沟街道');
    expect(rows[1]![col('留存至')]).toBe('2027-05-31');
    expect(rows[2]![col('备注')]).toBe(`'=HYPERLINK("http://evil")`);
    expect(rows[2]![col('供货人')]).toBe('李四');
  });

  it('exports for the operator only', async () => {
    await buildRecords();
    const before = await counts();
    for (const [who, code] of [
      ['wx-market-2', 'FORBIDDEN'],
      ['wx-sup-xugou', 'FORBIDDEN'],
      ['wx-producer', 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
    ] as const) {
      const res = await rt.call(marketFunction, 'export', { marketSubjectId: market._id }, who);
      expect({ who, res }).toMatchObject({ who, res: { ok: false, error: { code } } });
    }
    expect(await counts()).toEqual(before);
  });
});

describe('market.acceptanceRate', () => {
  it('is exact on the built records, over a period, with the instant it was computed', async () => {
    await buildRecords();
    const rate = await rt.ok<AcceptanceRateResult>(
      marketFunction,
      'acceptanceRate',
      { marketSubjectId: market._id },
      'wx-market',
    );
    expect(rate).toEqual({
      marketSubjectId: market._id,
      marketName: '墟沟农贸市场',
      divisionCode: xugou,
      from: null,
      to: null,
      arrivals: 5,
      withCertificate: 3,
      withoutCertificate: 2,
      sampled: 1,
      failed: 1,
      rate: 0.6,
      rateText: '60.0%',
      computedAt: '2026-11-30T02:00:00.000Z',
    });
    const day = await rt.ok<AcceptanceRateResult>(
      marketFunction,
      'acceptanceRate',
      { marketSubjectId: market._id, from: '2026-11-28', to: '2026-11-28' },
      'wx-market',
    );
    expect(day).toMatchObject({
      arrivals: 3,
      withCertificate: 2,
      withoutCertificate: 1,
      sampled: 0,
      failed: 0,
      rate: 2 / 3,
      rateText: '66.7%',
    });
    const other = await rt.ok<AcceptanceRateResult>(
      marketFunction,
      'acceptanceRate',
      { marketSubjectId: otherMarket._id },
      'wx-sup-liandao',
    );
    expect(other).toMatchObject({ arrivals: 1, withCertificate: 0, rate: 0 });
  });

  it('is for the market and staff in scope: another division, another market, a producer refused', async () => {
    await buildRecords();
    for (const who of ['wx-sup-xugou', 'wx-enf-xugou', 'wx-admin']) {
      const res = await rt.ok<AcceptanceRateResult>(
        marketFunction,
        'acceptanceRate',
        { marketSubjectId: market._id },
        who,
      );
      expect(res.rate).toBe(0.6);
    }
    for (const [who, code] of [
      ['wx-sup-liandao', 'FORBIDDEN'],
      ['wx-market-2', 'FORBIDDEN'],
      ['wx-producer', 'FORBIDDEN'],
      ['wx-coord-xugou', 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
    ] as const) {
      const res = await rt.call(
        marketFunction,
        'acceptanceRate',
        { marketSubjectId: market._id },
        who,
      );
      expect({ who, res }).toMatchObject({ who, res: { ok: false, error: { code } } });
    }
    const res = await rt.call(
      marketFunction,
      'acceptanceRate',
      { marketSubjectId: 'sub_nosuch' },
      'wx-admin',
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('refusals store nothing', () => {
  it('refuses recording for anyone but the market’s operator', async () => {
    const cert = await issue();
    const before = await counts();
    const noCert = {
      marketSubjectId: market._id,
      productName: '土豆',
      quantity: { value: '1', unit: 'kg' },
    };
    const attempts: [string | null, string, Record<string, unknown>, string][] = [
      [
        'wx-producer',
        'accept',
        { marketSubjectId: market._id, scanned: cert.verifyUrl },
        'FORBIDDEN',
      ],
      [
        'wx-sup-xugou',
        'accept',
        { marketSubjectId: market._id, scanned: cert.verifyUrl },
        'FORBIDDEN',
      ],
      ['wx-admin', 'accept', { marketSubjectId: market._id, scanned: cert.verifyUrl }, 'FORBIDDEN'],
      [
        'wx-market-2',
        'accept',
        { marketSubjectId: market._id, scanned: cert.verifyUrl },
        'FORBIDDEN',
      ],
      [null, 'accept', { marketSubjectId: market._id, scanned: cert.verifyUrl }, 'UNAUTHENTICATED'],
      ['wx-producer', 'arrivalWithoutCertificate', noCert, 'FORBIDDEN'],
      ['wx-sup-xugou', 'arrivalWithoutCertificate', noCert, 'FORBIDDEN'],
      ['wx-market-2', 'arrivalWithoutCertificate', noCert, 'FORBIDDEN'],
      [
        'wx-market',
        'accept',
        { marketSubjectId: 'sub_nosuch', scanned: cert.verifyUrl },
        'NOT_FOUND',
      ],
      [
        'wx-market',
        'arrivalWithoutCertificate',
        { ...noCert, quantity: { value: '0', unit: 'kg' } },
        'INVALID_INPUT',
      ],
      ['wx-market', 'accept', { marketSubjectId: market._id }, 'INVALID_INPUT'],
    ];
    for (const [who, name, input, code] of attempts) {
      const res = await rt.call(marketFunction, name, input, who);
      expect({ who, name, res }).toMatchObject({ who, name, res: { ok: false, error: { code } } });
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses a producer subject used as a market', async () => {
    // The producer also operates a market, and picks the wrong subject.
    const mine = await rt.ok<Subject>(
      subjectFunction,
      'register',
      smallholder({
        type: 'buyer',
        name: '王建国收购点',
        identityNumber: validIdNumber('19580312', '999'),
      }),
      'wx-producer',
    );
    expect(mine.type).toBe('buyer');
    const before = await counts();
    const res = await rt.call(
      marketFunction,
      'arrivalWithoutCertificate',
      { marketSubjectId: producer._id, productName: '土豆', quantity: { value: '1', unit: 'kg' } },
      'wx-producer',
    );
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { marketSubjectId: [expect.any(String)] } },
    });
    expect(await counts()).toEqual(before);
  });

  it('answers invalid input at the field, in Chinese', async () => {
    const res = await rt.call(
      marketFunction,
      'recordSample',
      { entryId: 'x', kind: 'smell', items: [{ item: '', result: 'pass' }] },
      'wx-market',
    );
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        fields: { kind: ['请选择检测方式'], 'items.0.item': ['请填写检测项目'] },
      },
    });
  });
});
