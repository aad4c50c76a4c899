import * as z from 'zod/mini';
import { useChineseMessages } from '../../src/domain/locale';
import {
  acceptanceRateOf,
  acceptInputSchema,
  arrivalInputSchema,
  chinaDateTime,
  defaultMarketRetentionPolicy,
  entryMatches,
  marketKeepUntil,
  marketRetentionPolicy,
  recordSampleInputSchema,
  refusalOf,
  sampleResultOf,
  samplingOutcome,
  type AcceptedEntry,
  type MarketEntry,
  type NoCertificateEntry,
} from '../../src/domain/market';

useChineseMessages();

const base = {
  marketSubjectId: 'sub_market',
  divisionCode: '320703001',
  quantity: { value: '10', unit: 'kg' as const },
  stall: null,
  buyerName: null,
  note: null,
  keepUntil: '2027-05-31T02:00:00.000Z',
};

function accepted(overrides: Partial<AcceptedEntry> = {}): AcceptedEntry {
  return {
    ...base,
    _id: 'mke_a',
    kind: 'accepted',
    certificateCode: '0123456789ABCDEF',
    label: '0123456789ABCDEF',
    productName: '青菜',
    issuerName: '王建国',
    issuerDivision: '320703001',
    at: '2026-11-29T02:00:00.000Z',
    signature: 'valid',
    seenElsewhere: false,
    copySuspected: false,
    acceptedBy: 'wx-market',
    ...overrides,
  };
}

function noCert(overrides: Partial<NoCertificateEntry> = {}): NoCertificateEntry {
  return {
    ...base,
    _id: 'mke_n',
    kind: 'no_certificate',
    productName: '土豆',
    at: '2026-11-29T02:00:00.000Z',
    supplier: { name: '李四', phone: '13900001111' },
    samplingStatus: 'pending',
    sampleId: null,
    sampledAt: null,
    turnedAway: false,
    recordedBy: 'wx-market',
    ...overrides,
  };
}

describe('market retention policy', () => {
  it('keeps records six months by default, the national floor', () => {
    expect(defaultMarketRetentionPolicy.days).toBe(183);
    expect(marketKeepUntil('2026-11-29T02:00:00.000Z')).toBe('2027-05-31T02:00:00.000Z');
  });

  it('refuses a policy below six months and accepts a longer one', () => {
    expect(() => marketRetentionPolicy(90)).toThrow(/六个月/);
    expect(marketKeepUntil('2026-01-01T00:00:00.000Z', marketRetentionPolicy(365))).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });
});

describe('refusalOf', () => {
  it('lets only a valid certificate in', () => {
    expect(refusalOf('valid')).toBeNull();
    expect(refusalOf('revoked', '数量写错')).toEqual({
      code: 'CONFLICT',
      message: expect.stringContaining('已被开具方撤销（原因：数量写错）'),
    });
    expect(refusalOf('suspicious')?.code).toBe('CONFLICT');
    expect(refusalOf('suspicious')?.message).toMatch(/疑似伪造/);
    expect(refusalOf('not_found')?.code).toBe('NOT_FOUND');
    expect(refusalOf('not_found')?.message).toMatch(/没有找到这张合格证/);
  });
});

describe('sampling', () => {
  it('fails a sample when any item fails', () => {
    expect(sampleResultOf([{ result: 'pass' }, { result: 'pass' }])).toBe('pass');
    expect(sampleResultOf([{ result: 'pass' }, { result: 'fail' }])).toBe('fail');
  });

  it('lets passed goods in and turns failed goods away', () => {
    expect(samplingOutcome('pass', 'smp_1', 'T')).toEqual({
      samplingStatus: 'passed',
      sampleId: 'smp_1',
      sampledAt: 'T',
      turnedAway: false,
    });
    expect(samplingOutcome('fail', 'smp_1', 'T')).toMatchObject({
      samplingStatus: 'failed',
      turnedAway: true,
    });
  });
});

describe('input schemas', () => {
  it('answers in Chinese at the field that is wrong', () => {
    const r = z.safeParse(arrivalInputSchema, {
      marketSubjectId: 'sub_market',
      productName: '',
      quantity: { value: '-1', unit: 'kg' },
      supplier: { phone: '123' },
    });
    expect(r.success).toBe(false);
    const byPath = Object.fromEntries(
      (r.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]),
    );
    expect(byPath).toMatchObject({
      productName: '请填写产品名称',
      'quantity.value': '数量须为数字，最多三位小数',
      'supplier.phone': '请填写正确的手机号或带区号的固定电话',
    });
  });

  it('needs a scan, and at least one test item with a result', () => {
    expect(
      z.safeParse(acceptInputSchema, { marketSubjectId: 'm', scanned: '  ' }).error?.issues[0]
        ?.message,
    ).toBe('请扫描合格证二维码或输入编号');
    const r = z.safeParse(recordSampleInputSchema, { entryId: 'e', kind: 'rapid', items: [] });
    expect(r.error?.issues[0]?.message).toBe('请至少填写一项检测');
    const bad = z.safeParse(recordSampleInputSchema, {
      entryId: 'e',
      kind: 'rapid',
      items: [{ item: '农残', result: 'maybe' }],
    });
    expect(bad.error?.issues[0]?.message).toBe('请选择检测结果');
    const lab = z.safeParse(recordSampleInputSchema, {
      entryId: 'e',
      kind: 'lab',
      items: [{ item: '农药残留', result: 'pass' }],
    });
    expect(lab.error?.issues).toEqual([
      expect.objectContaining({ path: ['lab'], message: '实验室检测请填写检测机构' }),
    ]);
  });
});

describe('entryMatches', () => {
  it('filters by kind, sampling status and China date, both ends included', () => {
    // 2026-11-29T17:30Z is 01:30 on 30 November in China.
    const late = accepted({ at: '2026-11-29T17:30:00.000Z' });
    expect(entryMatches(late, { to: '2026-11-29' })).toBe(false);
    expect(entryMatches(late, { from: '2026-11-30', to: '2026-11-30' })).toBe(true);
    expect(entryMatches(late, { kind: 'no_certificate' })).toBe(false);
    expect(entryMatches(noCert(), { samplingStatus: 'pending' })).toBe(true);
    expect(entryMatches(late, { samplingStatus: 'pending' })).toBe(false);
  });

  it('searches product, issuer, supplier, stall and the label code as typed', () => {
    const a = accepted({ stall: 'A-12', label: '0123456789ABCDEF00A' });
    expect(entryMatches(a, { q: '青' })).toBe(true);
    expect(entryMatches(a, { q: '王建' })).toBe(true);
    expect(entryMatches(a, { q: 'a-12' })).toBe(true);
    expect(entryMatches(a, { q: '0123-4567' })).toBe(true);
    expect(entryMatches(a, { q: '土豆' })).toBe(false);
    expect(entryMatches(noCert(), { q: '李四' })).toBe(true);
    expect(entryMatches(noCert(), { q: '1390000' })).toBe(true);
  });
});

describe('acceptanceRateOf', () => {
  it('is accepted with a certificate over all arrivals, with sampled and failed counts', () => {
    const entries: MarketEntry[] = [
      accepted(),
      accepted(),
      accepted(),
      noCert(),
      noCert({ samplingStatus: 'passed' }),
      noCert({ samplingStatus: 'failed', turnedAway: true }),
    ];
    expect(acceptanceRateOf(entries)).toEqual({
      arrivals: 6,
      withCertificate: 3,
      withoutCertificate: 3,
      sampled: 2,
      failed: 1,
      rate: 0.5,
      rateText: '50.0%',
    });
  });

  it('has no rate when nothing arrived', () => {
    expect(acceptanceRateOf([])).toMatchObject({ arrivals: 0, rate: null, rateText: '—' });
  });

  it('rounds the text, not the rate', () => {
    const r = acceptanceRateOf([accepted(), accepted(), noCert()]);
    expect(r.rate).toBe(2 / 3);
    expect(r.rateText).toBe('66.7%');
  });
});

describe('chinaDateTime', () => {
  it('shows the China wall-clock time', () => {
    expect(chinaDateTime('2026-11-29T17:30:00.000Z')).toBe('2026-11-30 01:30');
  });
});
