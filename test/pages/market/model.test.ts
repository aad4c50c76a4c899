import type { AcceptedEntry, MarketEntry, NoCertificateEntry } from '../../../src/domain/market';
import {
  arrivalInputOf,
  chinaClock,
  emptyArrivalForm,
  entryBadge,
  initialSampleForm,
  labelLine,
  marketsOf,
  pendingFirst,
  pickMarket,
  refusalOf,
  sampleInputOf,
  sampleVerdict,
  toggleItem,
} from '../../../src/pages-market/model';

const common = {
  marketSubjectId: 'sub-m',
  divisionCode: '320703001',
  productName: '青菜',
  quantity: { value: '5', unit: 'jin' as const },
  stall: null,
  buyerName: null,
  note: null,
  keepUntil: '2027-06-01T00:00:00.000Z',
};

const accepted = (id: string, at: string): AcceptedEntry => ({
  ...common,
  _id: id,
  at,
  kind: 'accepted',
  certificateCode: 'ABCDEFGHJKMNPQRS',
  label: 'ABCDEFGHJKMNPQRS001',
  issuerName: '王大爷',
  issuerDivision: '320703001',
  signature: 'valid',
  seenElsewhere: false,
  copySuspected: false,
  acceptedBy: 'u1',
});

const withoutCert = (
  id: string,
  at: string,
  samplingStatus: NoCertificateEntry['samplingStatus'],
): NoCertificateEntry => ({
  ...common,
  _id: id,
  at,
  kind: 'no_certificate',
  supplier: null,
  samplingStatus,
  sampleId: samplingStatus === 'pending' ? null : `smp-${id}`,
  sampledAt: samplingStatus === 'pending' ? null : at,
  turnedAway: samplingStatus === 'failed',
  recordedBy: 'u1',
});

describe('marketsOf and pickMarket', () => {
  const subjects = [
    { _id: 'a', type: 'smallholder' },
    { _id: 'b', type: 'buyer' },
    { _id: 'c', type: 'buyer' },
  ];
  it('keeps the 收购商 subjects only', () => {
    expect(marketsOf(subjects).map((s) => s._id)).toEqual(['b', 'c']);
    expect(marketsOf([{ _id: 'a', type: 'enterprise' }])).toEqual([]);
  });
  it('takes the first preferred id that is a market, else the first market', () => {
    const markets = marketsOf(subjects);
    expect(pickMarket(markets, 'c', 'b')?._id).toBe('c');
    expect(pickMarket(markets, undefined, 'c')?._id).toBe('c');
    // A producer subject is not a market, however it was chosen.
    expect(pickMarket(markets, 'a', '')?._id).toBe('b');
    expect(pickMarket([], 'b')).toBeUndefined();
  });
});

describe('entryBadge', () => {
  it('names each status in four characters or so, with its tone', () => {
    const at = '2026-11-29T02:00:00.000Z';
    expect(entryBadge(accepted('1', at))).toEqual({ tone: 'accepted', text: '凭证入市' });
    expect(entryBadge(withoutCert('2', at, 'pending'))).toEqual({
      tone: 'pending',
      text: '待抽检',
    });
    expect(entryBadge(withoutCert('3', at, 'passed'))).toEqual({
      tone: 'passed',
      text: '抽检合格',
    });
    expect(entryBadge(withoutCert('4', at, 'failed'))).toEqual({
      tone: 'failed',
      text: '不合格退场',
    });
  });
});

describe('pendingFirst', () => {
  const a1 = accepted('a1', '2026-11-29T05:00:00.000Z');
  const p1 = withoutCert('p1', '2026-11-29T04:00:00.000Z', 'pending');
  const f1 = withoutCert('f1', '2026-11-29T03:00:00.000Z', 'failed');
  const pOld = withoutCert('pOld', '2026-11-20T03:00:00.000Z', 'pending');

  it('puts the tasks to do on top, each once, the rest in the order given', () => {
    const ids = (list: MarketEntry[]) => list.map((e) => e._id);
    expect(ids(pendingFirst([p1, pOld], [a1, p1, f1]))).toEqual(['p1', 'pOld', 'a1', 'f1']);
  });
  it('still lifts pending entries of the page when the pending list missed them', () => {
    expect(pendingFirst([], [a1, p1, f1]).map((e) => e._id)).toEqual(['p1', 'a1', 'f1']);
  });
  it('drops an entry of the pending list that has been sampled since', () => {
    const sampled = withoutCert('p1', p1.at, 'passed');
    expect(pendingFirst([p1], [a1, sampled]).map((e) => e._id)).toEqual(['a1', 'p1']);
  });
});

describe('refusalOf', () => {
  const scanned = (m: string) => ({ scanned: [m] });
  it('names the refusals of a label', () => {
    const revoked =
      '这张合格证已被开具方撤销（原因：数量写错），不能凭它入市；请按无证货品登记并抽检';
    expect(refusalOf({ code: 'CONFLICT', message: revoked, fields: scanned(revoked) })).toEqual({
      kind: 'revoked',
      title: '合格证已撤销',
    });
    const forged =
      '标签签名无效，疑似伪造，不能凭它入市；请留存标签并报告监管人员，货品按无证登记抽检';
    expect(refusalOf({ code: 'CONFLICT', message: forged, fields: scanned(forged) }).kind).toBe(
      'forged',
    );
    expect(
      refusalOf({
        code: 'CONFLICT',
        message: '这张合格证已于 2026-11-29 10:00 在本市场登记入市，不能重复登记',
        fields: scanned('本市场已登记过这张合格证'),
      }),
    ).toEqual({ kind: 'duplicate', title: '已收取过' });
    const unknown = '没有找到这张合格证，不能凭它入市；请核对编号，或按无证货品登记并抽检';
    expect(refusalOf({ code: 'NOT_FOUND', message: unknown, fields: scanned(unknown) }).kind).toBe(
      'not_found',
    );
  });
  it('calls anything not about the label by a general name', () => {
    expect(
      refusalOf({
        code: 'NOT_FOUND',
        message: '没有找到这个市场',
        fields: { marketSubjectId: ['请选择您经营的市场'] },
      }),
    ).toEqual({ kind: 'other', title: '未能收证' });
    expect(refusalOf({ code: 'NETWORK', message: '网络不通，请检查网络后重试' }).kind).toBe(
      'other',
    );
  });
});

describe('labelLine', () => {
  it('numbers a label of several, and says nothing for a single one', () => {
    expect(labelLine({ index: 3, count: 12 })).toBe('第 3 / 12 件');
    expect(labelLine({ index: 1, count: 1 })).toBeNull();
    expect(labelLine(null)).toBeNull();
  });
});

describe('arrivalInputOf', () => {
  it('sends what was typed, trimmed, leaving blanks out', () => {
    const checked = arrivalInputOf('sub-m', {
      ...emptyArrivalForm,
      productName: ' 韭菜 ',
      quantityValue: '50',
      unit: 'kg',
      supplierName: '赵四',
      stall: ' B-3 ',
    });
    expect(checked).toEqual({
      ok: true,
      input: {
        marketSubjectId: 'sub-m',
        productName: '韭菜',
        quantity: { value: '50', unit: 'kg' },
        supplier: { name: '赵四' },
        stall: 'B-3',
      },
    });
  });
  it('answers the errors the server would, keyed by field', () => {
    const checked = arrivalInputOf('sub-m', {
      ...emptyArrivalForm,
      quantityValue: '0',
      supplierPhone: '12345',
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.fields.productName).toEqual(['请填写产品名称']);
    expect(checked.fields['quantity.value']).toEqual(['数量必须大于 0']);
    expect(checked.fields['supplier.phone']).toEqual(['请填写正确的手机号或带区号的固定电话']);
    const blank = arrivalInputOf('sub-m', { ...emptyArrivalForm, productName: '韭菜' });
    expect(blank).toEqual({ ok: false, fields: { 'quantity.value': ['请填写数量'] } });
  });
});

describe('sampleInputOf', () => {
  it('wants a result chosen for every item', () => {
    const checked = sampleInputOf('mke-1', initialSampleForm);
    expect(checked).toEqual({
      ok: false,
      fields: { 'items.0.result': ['请选择“合格”或“不合格”'] },
    });
  });
  it('sends the items with their results; a lab only for a lab test', () => {
    const items = [
      { item: '有机磷和氨基甲酸酯类农药残留', result: 'fail' as const },
      { item: '克百威', result: 'pass' as const },
    ];
    expect(sampleInputOf('mke-1', { kind: 'rapid', items, method: '', lab: '某机构' })).toEqual({
      ok: true,
      input: { entryId: 'mke-1', kind: 'rapid', items },
    });
    const lab = sampleInputOf('mke-1', { kind: 'lab', items, method: ' GB 23200.113 ', lab: '' });
    expect(lab.ok).toBe(false);
    if (!lab.ok) expect(lab.fields.lab).toEqual(['实验室检测请填写检测机构']);
  });
  it('refuses an empty list of items', () => {
    const checked = sampleInputOf('mke-1', { ...initialSampleForm, items: [] });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.fields.items).toEqual(['请至少填写一项检测']);
  });
});

describe('toggleItem', () => {
  it('adds a new item without a result, and takes out one already there', () => {
    const one = toggleItem([], ' 克百威 ');
    expect(one).toEqual([{ item: '克百威', result: '' }]);
    expect(toggleItem(one, '克百威')).toEqual([]);
    expect(toggleItem(one, '  ')).toEqual(one);
  });
});

describe('sampleVerdict and chinaClock', () => {
  it('says what a result means for the goods', () => {
    expect(sampleVerdict('pass').title).toBe('合格，准予入市');
    expect(sampleVerdict('fail').title).toBe('不合格，退场');
  });
  it('reads an instant on a China clock', () => {
    expect(chinaClock('2026-11-29T06:05:00.000Z')).toBe('14:05');
    expect(chinaClock('2026-11-29T16:30:00.000Z')).toBe('00:30');
    expect(chinaClock('nonsense')).toBe('');
  });
});
