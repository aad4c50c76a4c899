import { childDivisions, districtCode, lianyunDivisions } from '@/domain/division';
import {
  allocateRangeInputSchema,
  calendarDateSchema,
  canonicalPaperSerial,
  chinaYear,
  countWithin,
  divisionForPrefix,
  findOverlap,
  formatPaperSerial,
  formatRange,
  insertSorted,
  isCanonicalPaperSerial,
  issueDateProblem,
  maxFormsPerRange,
  mergeIntervals,
  normalizePaperSerial,
  paperSerialSchema,
  parsePaperSerial,
  rangeContains,
  rangeContainsRange,
  rangeCounts,
  rangesOverlap,
  registerPaperFormInputSchema,
  serialPrefixes,
  serialPrefixFor,
  serialState,
  voidRangeInputSchema,
  voidedWithin,
  type SerialRange,
} from '@/domain/paper';

function issuesOf(schema: { safeParse(v: unknown): unknown }, value: unknown) {
  const r = schema.safeParse(value) as
    | { success: true }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  if (r.success) return {};
  const out: Record<string, string[]> = {};
  for (const i of r.error.issues) (out[i.path.map(String).join('.')] ??= []).push(i.message);
  return out;
}

describe('serial prefixes', () => {
  it('gives the district and each of its divisions a distinct prefix of 2–4 capitals', () => {
    const codes = [
      districtCode,
      ...childDivisions(lianyunDivisions, districtCode).map((d) => d.code),
    ];
    for (const code of codes) expect(serialPrefixFor(code)).toMatch(/^[A-Z]{2,4}$/);
    const prefixes = Object.values(serialPrefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(serialPrefixFor('320703001')).toBe('XG');
    expect(divisionForPrefix('XG')).toBe('320703001');
  });

  it('answers undefined for unknown divisions and prefixes, and not for Object members', () => {
    expect(serialPrefixFor('999999999')).toBeUndefined();
    expect(serialPrefixFor('constructor')).toBeUndefined();
    expect(divisionForPrefix('QQ')).toBeUndefined();
  });
});

describe('parsePaperSerial and normalisation', () => {
  it('parses the canonical form', () => {
    expect(parsePaperSerial('XG2026-000123')).toEqual({ prefix: 'XG', year: 2026, number: 123 });
    expect(formatPaperSerial({ prefix: 'XG', year: 2026, number: 123 })).toBe('XG2026-000123');
    expect(isCanonicalPaperSerial('XG2026-000123')).toBe(true);
    expect(isCanonicalPaperSerial('XG2026-123')).toBe(false);
  });

  it.each([
    ['xg2026-000123', 'lower case'],
    [' XG 2026 - 000 123 ', 'spaces anywhere'],
    ['ＸＧ２０２６－０００１２３', 'full-width letters, digits and dash'],
    ['XG2026—000123', 'an em dash'],
    ['XG2026000123', 'no dash with all six digits'],
    ['XG2026-123', 'no leading zeros after a dash'],
    ['No. XG2026-000123', 'a "No." before it'],
    ['XG2026-000123号', 'a 号 after it'],
  ])('accepts %s (%s)', (raw) => {
    expect(canonicalPaperSerial(raw)).toBe('XG2026-000123');
  });

  it.each([
    ['', 'empty'],
    ['XG-000123', 'no year'],
    ['X2026-000123', 'a one-letter prefix'],
    ['XGXGX2026-000123', 'a five-letter prefix'],
    ['XG2026-0001234', 'seven digits'],
    ['XG202612', 'too few digits without a dash'],
    ['XG2026-000000', 'number zero'],
    ['XG1999-000001', 'a year before the certificate existed'],
    ['3KQ9ZP0M8V2XN7TB', 'a certificate code'],
    ['3KQ9-ZP0M-8V2X-N7TB', 'a formatted certificate code'],
  ])('refuses %s (%s)', (raw) => {
    expect(parsePaperSerial(raw)).toBeNull();
  });

  it('normalises without judging', () => {
    expect(normalizePaperSerial('ｘｇ２０２６　－　０１')).toBe('XG2026-01');
  });

  it('has a schema that yields the canonical serial or a Chinese message on "serial"', () => {
    expect(paperSerialSchema.parse('xg2026-123')).toBe('XG2026-000123');
    const r = paperSerialSchema.safeParse('ABC');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/编号格式不正确/);
  });
});

describe('range arithmetic', () => {
  const r = (from: number, to: number, prefix = 'XG', year = 2026): SerialRange => ({
    prefix,
    year,
    from,
    to,
  });

  it('finds overlaps only within one prefix and year, edges included', () => {
    expect(rangesOverlap(r(1, 100), r(100, 200))).toBe(true);
    expect(rangesOverlap(r(1, 100), r(101, 200))).toBe(false);
    expect(rangesOverlap(r(50, 60), r(1, 100))).toBe(true);
    expect(rangesOverlap(r(1, 100), r(1, 100, 'LD'))).toBe(false);
    expect(rangesOverlap(r(1, 100), r(1, 100, 'XG', 2027))).toBe(false);
    expect(findOverlap([r(1, 100), r(201, 300)], r(150, 250))).toEqual(r(201, 300));
    expect(findOverlap([r(1, 100), r(201, 300)], r(101, 200))).toBeUndefined();
  });

  it('tells containment of a serial and of a sub-range', () => {
    const parsed = parsePaperSerial('XG2026-000100');
    expect(parsed && rangeContains(r(1, 100), parsed)).toBe(true);
    expect(parsed && rangeContains(r(1, 99), parsed)).toBe(false);
    expect(parsed && rangeContains(r(1, 100, 'LD'), parsed)).toBe(false);
    expect(rangeContainsRange(r(1, 100), r(1, 100))).toBe(true);
    expect(rangeContainsRange(r(1, 100), r(50, 101))).toBe(false);
    expect(rangeContainsRange(r(1, 100), r(50, 60, 'XG', 2027))).toBe(false);
  });

  it('formats a range, and a range of one as its serial', () => {
    expect(formatRange(r(1, 500))).toBe('XG2026-000001 至 XG2026-000500');
    expect(formatRange(r(7, 7))).toBe('XG2026-000007');
  });

  it('merges overlapping and adjacent intervals', () => {
    expect(
      mergeIntervals([
        { from: 10, to: 20 },
        { from: 1, to: 5 },
        { from: 6, to: 8 },
        { from: 15, to: 30 },
      ]),
    ).toEqual([
      { from: 1, to: 8 },
      { from: 10, to: 30 },
    ]);
  });

  it('keeps registered numbers sorted and distinct, and counts them in an interval', () => {
    let used: number[] = [];
    for (const n of [5, 1, 9, 5, 3]) used = insertSorted(used, n);
    expect(used).toEqual([1, 3, 5, 9]);
    expect(countWithin(used, { from: 3, to: 9 })).toBe(3);
    expect(countWithin(used, { from: 6, to: 8 })).toBe(0);
  });

  it('counts used, voided and free forms; a registered form stays used inside a voided part', () => {
    const range = {
      from: 1,
      to: 100,
      used: [5, 15, 95],
      voids: [
        { from: 10, to: 20 },
        { from: 18, to: 25 },
        { from: 0, to: 2 },
      ],
    };
    // voided: 1–2 and 10–25 (18 numbers) less 15, registered before = 17
    expect(rangeCounts(range)).toEqual({ total: 100, used: 3, voided: 17, free: 80 });
    expect(voidedWithin(range, { from: 15, to: 22 })).toBe(7);
    expect(serialState(range, 15)).toBe('used');
    expect(serialState(range, 16)).toBe('voided');
    expect(serialState(range, 30)).toBe('free');
  });
});

describe('issue dates', () => {
  it('refuses a date after today or before the allocation', () => {
    const bounds = { today: '2026-11-29', allocatedOn: '2026-11-01' };
    expect(issueDateProblem('2026-11-29', bounds)).toBeNull();
    expect(issueDateProblem('2026-11-01', bounds)).toBeNull();
    expect(issueDateProblem('2026-11-30', bounds)).toBe('开具日期不能晚于今天');
    expect(issueDateProblem('2026-10-31', bounds)).toMatch(/不能早于该号段的领用日期/);
  });

  it('checks the calendar', () => {
    expect(calendarDateSchema.safeParse('2026-02-28').success).toBe(true);
    expect(calendarDateSchema.safeParse('2026-02-30').success).toBe(false);
    expect(calendarDateSchema.safeParse('2026/02/28').success).toBe(false);
  });

  it('takes the year in China time', () => {
    expect(chinaYear(new Date('2026-12-31T16:30:00Z'))).toBe(2027);
  });
});

describe('allocateRangeInputSchema', () => {
  it('accepts a range and upper-cases a given prefix', () => {
    const v = allocateRangeInputSchema.parse({ subjectId: 's', prefix: 'xg', from: 1, to: 500 });
    expect(v).toEqual({ subjectId: 's', prefix: 'XG', from: 1, to: 500 });
  });

  it(`refuses a reversed range and one over ${maxFormsPerRange} forms`, () => {
    expect(issuesOf(allocateRangeInputSchema, { subjectId: 's', from: 10, to: 9 })).toEqual({
      to: ['结束编号不能小于起始编号'],
    });
    expect(
      issuesOf(allocateRangeInputSchema, { subjectId: 's', from: 1, to: maxFormsPerRange + 1 }),
    ).toEqual({ to: [`一个号段最多 ${maxFormsPerRange} 份`] });
    expect(
      allocateRangeInputSchema.safeParse({ subjectId: 's', from: 1, to: maxFormsPerRange }).success,
    ).toBe(true);
  });

  it('refuses non-integer, zero and oversized numbers', () => {
    expect(
      Object.keys(issuesOf(allocateRangeInputSchema, { subjectId: 's', from: 0, to: 1.5 })),
    ).toEqual(['from', 'to']);
    expect(
      Object.keys(issuesOf(allocateRangeInputSchema, { subjectId: 's', from: 1, to: 1_000_000 })),
    ).toEqual(['to']);
  });
});

describe('registerPaperFormInputSchema', () => {
  const form = {
    subjectId: 'sub_1',
    serial: 'xg2026-12',
    productName: ' 青菜 ',
    quantity: { value: '30', unit: 'kg' },
    origin: '连云区墟沟街道',
    issueDate: '2026-11-20',
    basis: ['quality_control'],
  };

  it('accepts a form, normalising the serial and defaulting the issue unit', () => {
    expect(registerPaperFormInputSchema.parse(form)).toEqual({
      ...form,
      serial: 'XG2026-000012',
      productName: '青菜',
      issueUnit: 'package',
    });
  });

  it('takes a test basis without a linked test record (the form carries none)', () => {
    expect(registerPaperFormInputSchema.safeParse({ ...form, basis: ['self_test'] }).success).toBe(
      true,
    );
  });

  it('applies the electronic certificate’s rules and messages', () => {
    expect(
      issuesOf(registerPaperFormInputSchema, { ...form, quantity: { value: '0', unit: 'kg' } }),
    ).toEqual({ 'quantity.value': ['数量必须大于 0'] });
    expect(issuesOf(registerPaperFormInputSchema, { ...form, basis: ['self_pledge'] })).toEqual({
      'basis.0': ['现行合格证不再使用“自我承诺”作为承诺依据'],
    });
    expect(issuesOf(registerPaperFormInputSchema, { ...form, issueUnit: 'vehicle' })).toEqual({
      vehiclePlate: ['请填写正确的车牌号'],
    });
    expect(issuesOf(registerPaperFormInputSchema, { ...form, issueUnit: 'batch' })).toEqual({
      batchNo: ['请填写批次号'],
    });
  });

  it('refuses a malformed serial and a date that does not exist', () => {
    expect(issuesOf(registerPaperFormInputSchema, { ...form, serial: '12345' })).toEqual({
      serial: ['纸质合格证编号格式不正确（应如 XG2026-000123）'],
    });
    expect(issuesOf(registerPaperFormInputSchema, { ...form, issueDate: '2026-13-01' })).toEqual({
      issueDate: ['日期不存在'],
    });
  });
});

describe('voidRangeInputSchema', () => {
  it('needs a reason and an ordered sub-range', () => {
    expect(issuesOf(voidRangeInputSchema, { rangeId: 'r', reason: '' })).toEqual({
      reason: ['请填写作废原因'],
    });
    expect(
      issuesOf(voidRangeInputSchema, { rangeId: 'r', from: 9, to: 3, reason: '遗失' }),
    ).toEqual({ to: ['结束编号不能小于起始编号'] });
    expect(voidRangeInputSchema.parse({ rangeId: 'r', reason: ' 受潮损坏 ' })).toEqual({
      rangeId: 'r',
      reason: '受潮损坏',
    });
  });
});
