/**
 * 纸质合格证 — pre-printed two-part forms a street office prints, allocates to a producer in
 * numbered ranges (号段), and the producer fills in by hand; each filled form is registered
 * afterwards so it verifies like an electronic certificate.
 *
 * A form's serial is `<prefix><year>-<number>`, e.g. `XG2026-000123`: the printing office's
 * prefix (墟沟 → XG), the year of printing, and a 6-digit number. A range (号段) is one prefix and
 * year and a run of numbers `from..to`.
 */
import * as z from 'zod/mini';
import { chinaDate, issueCertificateInputSchema } from './certificate';
import { districtCode } from './division';

/**
 * 编号前缀 of the forms each office prints, by division code (see lianyunDivisions). Demo values
 * from the pinyin initials; edit them with the division list when the bureau supplies its own.
 * The district's own prefix is for forms the bureau prints itself.
 */
export const serialPrefixes: Readonly<Record<string, string>> = {
  [districtCode]: 'LYQ', // 连云区
  '320703001': 'XG', // 墟沟街道
  '320703002': 'LY', // 连云街道
  '320703003': 'LD', // 连岛街道
  '320703004': 'BQ', // 板桥街道
  '320703005': 'YS', // 云山街道
  '320703006': 'HZW', // 海州湾街道
  '320703007': 'SC', // 宿城街道
  '320703008': 'GGD', // 高公岛街道
  '320703009': 'XW', // 徐圩街道
  '320703010': 'ZY', // 中云街道
  '320703011': 'HZ', // 猴嘴街道
  '320703012': 'CY', // 朝阳街道
  '320703013': 'QSD', // 前三岛乡
};

/** The prefix of the forms a division's office prints, if it has one. */
export function serialPrefixFor(
  divisionCode: string,
  table: Readonly<Record<string, string>> = serialPrefixes,
): string | undefined {
  return Object.prototype.hasOwnProperty.call(table, divisionCode)
    ? table[divisionCode]
    : undefined;
}

/** The division whose office prints forms with `prefix`. */
export function divisionForPrefix(
  prefix: string,
  table: Readonly<Record<string, string>> = serialPrefixes,
): string | undefined {
  return Object.keys(table).find((code) => table[code] === prefix);
}

/** The most forms one allocated range may hold. */
export const maxFormsPerRange = 5_000;
export const maxSerialNumber = 999_999;
const serialNumberWidth = 6;
export const firstSerialYear = 2019;

const prefixPattern = /^[A-Z]{2,4}$/;
/** Canonical form: the number always has 6 digits. */
const canonicalSerialPattern = /^([A-Z]{2,4})(\d{4})-(\d{6})$/;
/**
 * What is accepted after normalisation: an optional "No." before and "号" after, the dash
 * optional when the number has all 6 digits, and leading zeros optional when the dash is there.
 */
const lenientSerialPattern = /^(?:NO\.?)?([A-Z]{2,4})(\d{4})(?:-(\d{1,6})|(\d{6}))号?$/;

/** A paper form's serial, taken apart. */
export interface PaperSerial {
  prefix: string;
  year: number;
  number: number;
}

/** 号段 — a run of serials of one prefix and year, `from..to` inclusive. */
export interface SerialRange {
  prefix: string;
  year: number;
  from: number;
  to: number;
}

/** An inclusive run of numbers within a range (a voided part, say). */
export interface Interval {
  from: number;
  to: number;
}

/**
 * What a person might type or copy from a form: full-width characters (NFKC), lower case,
 * spaces anywhere and any kind of dash are all taken as the printed serial.
 */
export function normalizePaperSerial(raw: string): string {
  return raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/\s+/g, '')
    .replace(/[‐‑‒–—―−﹣_]/g, '-');
}

/** Parses a typed or printed serial; null when it is not one. */
export function parsePaperSerial(raw: string): PaperSerial | null {
  const m = lenientSerialPattern.exec(normalizePaperSerial(raw));
  if (!m) return null;
  const year = Number(m[2]);
  const number = Number(m[3] ?? m[4]);
  if (year < firstSerialYear || year > 2099 || number < 1) return null;
  return { prefix: m[1] ?? '', year, number };
}

/** `XG2026-000123` */
export function formatPaperSerial(s: PaperSerial): string {
  return `${s.prefix}${s.year}-${String(s.number).padStart(serialNumberWidth, '0')}`;
}

/** The canonical spelling of a serial, or null when the text is not one. */
export function canonicalPaperSerial(raw: string): string | null {
  const s = parsePaperSerial(raw);
  return s ? formatPaperSerial(s) : null;
}

export function isCanonicalPaperSerial(text: string): boolean {
  return canonicalSerialPattern.test(text);
}

// --- range arithmetic ---------------------------------------------------------------------

export function rangeSize(r: Interval): number {
  return r.to - r.from + 1;
}

function sameSeries(
  a: Pick<SerialRange, 'prefix' | 'year'>,
  b: Pick<SerialRange, 'prefix' | 'year'>,
) {
  return a.prefix === b.prefix && a.year === b.year;
}

export function intervalsOverlap(a: Interval, b: Interval): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/** True when two ranges share at least one serial. */
export function rangesOverlap(a: SerialRange, b: SerialRange): boolean {
  return sameSeries(a, b) && intervalsOverlap(a, b);
}

/** True when `serial` lies in `range`. */
export function rangeContains(range: SerialRange, serial: PaperSerial): boolean {
  return sameSeries(range, serial) && range.from <= serial.number && serial.number <= range.to;
}

/** True when every serial of `inner` lies in `outer`. */
export function rangeContainsRange(outer: SerialRange, inner: SerialRange): boolean {
  return sameSeries(outer, inner) && outer.from <= inner.from && inner.to <= outer.to;
}

/** The first of `existing` that shares a serial with `candidate`. */
export function findOverlap<R extends SerialRange>(
  existing: readonly R[],
  candidate: SerialRange,
): R | undefined {
  return existing.find((r) => rangesOverlap(r, candidate));
}

/** `XG2026-000001 至 XG2026-000500`, or the one serial of a range of one. */
export function formatRange(r: SerialRange): string {
  const first = formatPaperSerial({ prefix: r.prefix, year: r.year, number: r.from });
  if (r.from === r.to) return first;
  return `${first} 至 ${formatPaperSerial({ prefix: r.prefix, year: r.year, number: r.to })}`;
}

/** Sorted, with overlapping and adjacent intervals joined. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const { from, to } of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last.to + 1) last.to = Math.max(last.to, to);
    else out.push({ from, to });
  }
  return out;
}

export function inIntervals(intervals: readonly Interval[], n: number): boolean {
  return intervals.some((i) => i.from <= n && n <= i.to);
}

/** How many of the sorted, distinct `numbers` lie in `interval`. */
export function countWithin(numbers: readonly number[], interval: Interval): number {
  return lowerBound(numbers, interval.to + 1) - lowerBound(numbers, interval.from);
}

/** The index of the first element ≥ n in a sorted list. */
function lowerBound(sorted: readonly number[], n: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A sorted list of distinct numbers with `n` added. */
export function insertSorted(sorted: readonly number[], n: number): number[] {
  const i = lowerBound(sorted, n);
  if (sorted[i] === n) return [...sorted];
  return [...sorted.slice(0, i), n, ...sorted.slice(i)];
}

/** 已登记 / 已作废 / 未使用 — a range's forms, derived from its registered and voided numbers. */
export interface RangeCounts {
  total: number;
  used: number;
  voided: number;
  free: number;
}

/** How many numbers of `part` are voided and not registered. */
export function voidedWithin(
  r: { used: readonly number[]; voids: readonly Interval[] },
  part: Interval,
): number {
  let voided = 0;
  for (const v of mergeIntervals(r.voids)) {
    const overlap = { from: Math.max(v.from, part.from), to: Math.min(v.to, part.to) };
    if (overlap.from <= overlap.to) voided += rangeSize(overlap) - countWithin(r.used, overlap);
  }
  return voided;
}

/**
 * The counts of a range. A registered form stays valid when its part of the range is voided
 * later, so a number counts as voided only when it is in a voided part and not registered.
 */
export function rangeCounts(
  r: Interval & { used: readonly number[]; voids: readonly Interval[] },
): RangeCounts {
  const total = rangeSize(r);
  const used = countWithin(r.used, r);
  const voided = voidedWithin(r, r);
  return { total, used, voided, free: total - used - voided };
}

/** The state of one number of a range. */
export function serialState(
  r: { used: readonly number[]; voids: readonly Interval[] },
  n: number,
): 'used' | 'voided' | 'free' {
  if (countWithin(r.used, { from: n, to: n }) > 0) return 'used';
  return inIntervals(r.voids, n) ? 'voided' : 'free';
}

/** Why a hand-written issue date cannot be right, or null when it can. */
export function issueDateProblem(
  issueDate: string,
  bounds: { today: string; allocatedOn: string },
): string | null {
  if (issueDate > bounds.today) return '开具日期不能晚于今天';
  if (issueDate < bounds.allocatedOn) {
    return `开具日期不能早于该号段的领用日期（${bounds.allocatedOn}）`;
  }
  return null;
}

/** The calendar year in China of an instant (the default year of new forms). */
export function chinaYear(instant: Date): number {
  return Number(chinaDate(instant).slice(0, 4));
}

/** 开具形式 — how a certificate was made, as the verify page names it. */
export const certificateForms = { electronic: '电子合格证', paper: '纸质合格证' } as const;

// --- schemas ------------------------------------------------------------------------------

export const serialPrefixSchema = z
  .string({ error: '请填写编号前缀' })
  .check(z.trim(), z.toUpperCase(), z.regex(prefixPattern, { error: '编号前缀应为 2–4 个字母' }));

export const serialYearSchema = z
  .int({ error: '年份须为整数' })
  .check(
    z.gte(firstSerialYear, { error: `年份不能早于 ${firstSerialYear}` }),
    z.lte(2099, { error: '年份不正确' }),
  );

export const serialNumberSchema = z
  .int({ error: '编号须为整数' })
  .check(
    z.gte(1, { error: '编号从 1 开始' }),
    z.lte(maxSerialNumber, { error: `编号最大为 ${maxSerialNumber}` }),
  );

/** A serial as typed; parses to its canonical spelling `XG2026-000123`. */
export const paperSerialSchema = z.pipe(
  z
    .string({ error: '请填写纸质合格证编号' })
    .check(z.maxLength(40, { error: '纸质合格证编号格式不正确（应如 XG2026-000123）' })),
  z.transform((raw, ctx) => {
    const canonical = canonicalPaperSerial(raw);
    if (!canonical) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: '纸质合格证编号格式不正确（应如 XG2026-000123）',
      });
      return z.NEVER;
    }
    return canonical;
  }),
);

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `YYYY-MM-DD` that exists. */
export const calendarDateSchema = z.string({ error: '请填写开具日期' }).check(
  z.trim(),
  z.regex(isoDatePattern, { error: '日期格式应为 YYYY-MM-DD' }),
  z.refine(
    (d) => {
      const t = new Date(`${d}T00:00:00Z`);
      return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
    },
    { error: '日期不存在' },
  ),
);

const issueFields = issueCertificateInputSchema.shape;

/** 分配号段 — a street office hands a producer a run of its printed forms. */
export const allocateRangeInputSchema = z
  .object({
    subjectId: issueFields.subjectId,
    /** Defaults to the prefix of the subject's division. */
    prefix: z.optional(serialPrefixSchema),
    /** Defaults to this year (China time). */
    year: z.optional(serialYearSchema),
    from: serialNumberSchema,
    to: serialNumberSchema,
  })
  .check(
    z.superRefine((r, ctx) => {
      if (r.to < r.from) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: '结束编号不能小于起始编号' });
      } else if (rangeSize(r) > maxFormsPerRange) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `一个号段最多 ${maxFormsPerRange} 份`,
        });
      }
    }),
  );
export type AllocateRangeInput = z.input<typeof allocateRangeInputSchema>;

/** The content rules of an electronic certificate that apply to a hand-filled form too. */
const sharedContentPaths = new Set<PropertyKey>(['basis', 'vehiclePlate', 'batchNo']);

/** 登记纸质合格证 — one hand-filled form, typed in afterwards. */
export const registerPaperFormInputSchema = z
  .object({
    subjectId: issueFields.subjectId,
    serial: paperSerialSchema,
    productName: issueFields.productName,
    quantity: issueFields.quantity,
    origin: issueFields.origin,
    /** The date written on the form (China calendar). */
    issueDate: calendarDateSchema,
    basis: issueFields.basis,
    issueUnit: issueFields.issueUnit,
    vehiclePlate: issueFields.vehiclePlate,
    batchNo: issueFields.batchNo,
  })
  .check(
    z.superRefine((form, ctx) => {
      // The electronic certificate's own cross-field rules (basis allowed by the template and
      // not repeated, plate for a vehicle, number for a batch), so the two never drift apart.
      // Its other rules (a test record behind a test basis, package counts) do not apply: a
      // paper form carries neither.
      const checked = z.safeParse(issueCertificateInputSchema, {
        requestId: 'paper-form',
        subjectId: form.subjectId,
        productName: form.productName,
        quantity: form.quantity,
        origin: form.origin,
        basis: form.basis,
        issueUnit: form.issueUnit,
        vehiclePlate: form.vehiclePlate,
        batchNo: form.batchNo,
      });
      if (checked.success) return;
      for (const issue of checked.error.issues) {
        if (issue.code === 'custom' && sharedContentPaths.has(issue.path[0] ?? '')) {
          ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
        }
      }
    }),
  );
export type RegisterPaperFormInput = z.input<typeof registerPaperFormInputSchema>;

/** 作废 — a lost or spoiled part of a range (the whole range when from/to are left out). */
export const voidRangeInputSchema = z
  .object({
    rangeId: z
      .string({ error: '请选择号段' })
      .check(z.minLength(1, { error: '请选择号段' }), z.maxLength(80)),
    from: z.optional(serialNumberSchema),
    to: z.optional(serialNumberSchema),
    reason: z
      .string({ error: '请填写作废原因' })
      .check(
        z.trim(),
        z.minLength(2, { error: '请填写作废原因' }),
        z.maxLength(100, { error: '作废原因最多 100 个字' }),
      ),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.from !== undefined && v.to !== undefined && v.to < v.from) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: '结束编号不能小于起始编号' });
      }
    }),
  );
export type VoidRangeInput = z.input<typeof voidRangeInputSchema>;

export const listRangesInputSchema = z.object({
  subjectId: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
  limit: z._default(z.int().check(z.gte(1), z.lte(200)), 50),
  skip: z._default(z.int().check(z.gte(0)), 0),
});

/** A voided part of a range, with why and by whom. */
export const rangeVoidSchema = z.object({
  from: z.int(),
  to: z.int(),
  reason: z.string(),
  at: z.string(),
  by: z.string(),
});
export type RangeVoid = z.infer<typeof rangeVoidSchema>;

/** 号段 as stored: allocated to one subject; its registered numbers kept for atomic checks. */
export const formRangeSchema = z.object({
  _id: z.string(),
  prefix: z.string().check(z.regex(prefixPattern)),
  year: z.int(),
  from: z.int(),
  to: z.int(),
  subjectId: z.string(),
  /** As at allocation, for display and for the staff's division scope. */
  subjectName: z.string(),
  divisionCode: z.string(),
  /** 领用日期 (China date): a form cannot have been filled in before it. */
  allocatedOn: z.string(),
  allocatedAt: z.string(),
  allocatedBy: z.string(),
  /**
   * The registered numbers, sorted. They repeat what paperSerials holds so that registering and
   * voiding meet on this one document, which both adapters' transactions serialise.
   */
  used: z.array(z.int()),
  voids: z.array(rangeVoidSchema),
  updatedAt: z.string(),
});
export type FormRange = z.infer<typeof formRangeSchema>;

/** One registered paper serial; its `_id` is the canonical serial, so reuse cannot insert. */
export const paperSerialRecordSchema = z.object({
  _id: z.string(),
  prefix: z.string(),
  year: z.int(),
  number: z.int(),
  rangeId: z.string(),
  subjectId: z.string(),
  /** The certificate the form was registered as. */
  code: z.string(),
  /** Of the registered content, so a retried registration returns the first one. */
  payloadHash: z.string(),
  registeredAt: z.string(),
  registeredBy: z.string(),
});
export type PaperSerialRecord = z.infer<typeof paperSerialRecordSchema>;
