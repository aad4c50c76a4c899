/**
 * 市场准入 — a market's side of 产地准出 → 市场准入: "凭证入市、无证抽检、不合格退场".
 *
 * Goods with a certificate enter once the label verifies (凭证入市); goods without one are
 * recorded and sampled (无证抽检); goods that fail the sample leave (不合格退场). The market
 * keeps the record of every arrival for at least six months (policy data below).
 */
import * as z from 'zod/mini';
import { chinaDate, normalizeCertificateCode, type Verdict } from './certificate';
import type { ErrorCode } from './errors';
import { phonePattern } from './identity';
import { quantitySchema } from './quantity';
import {
  nationalMinimumRetentionDays,
  retentionPolicy,
  retentionUntil,
  type RetentionPolicy,
} from './retention';
import { testKinds, testResults } from './test-record';

/**
 * 入市记录留存期限. The 2025 national rule obliges buyers and markets to keep the certificates
 * they receive for at least six months; the district plan says nothing more for markets, so the
 * default is the national floor. A configured value below it is refused.
 */
export const defaultMarketRetentionPolicy: RetentionPolicy = { days: nationalMinimumRetentionDays };

/** A market retention policy as configured, never below the national six months. */
export function marketRetentionPolicy(
  days: number = defaultMarketRetentionPolicy.days,
): RetentionPolicy {
  return retentionPolicy(days);
}

/** 留存至 — until when the record of an arrival at `at` must be kept. */
export function marketKeepUntil(
  at: string,
  policy: RetentionPolicy = defaultMarketRetentionPolicy,
): string {
  return retentionUntil(at, policy);
}

/** 入市方式 — an arrival with a verified certificate, or without one. */
export const marketEntryKinds = {
  accepted: '凭证入市',
  no_certificate: '无证入市',
} as const;
export type MarketEntryKind = keyof typeof marketEntryKinds;
export const marketEntryKindCodes = Object.keys(marketEntryKinds) as [
  MarketEntryKind,
  ...MarketEntryKind[],
];

/** 无证抽检 status of goods that arrived without a certificate. */
export const samplingStatuses = {
  pending: '待抽检',
  passed: '抽检合格，准予入市',
  failed: '抽检不合格，已退场',
} as const;
export type SamplingStatus = keyof typeof samplingStatuses;
export const samplingStatusCodes = Object.keys(samplingStatuses) as [
  SamplingStatus,
  ...SamplingStatus[],
];

const optionalText = (label: string, max: number) =>
  z.optional(
    z
      .string({ error: `${label}格式不正确` })
      .check(z.trim(), z.maxLength(max, { error: `${label}最多 ${max} 个字` })),
  );

/** Fields every arrival may carry: where the goods went and who took them. */
const arrivalDetailInputs = {
  /** 摊位号 */
  stall: optionalText('摊位', 20),
  /** 收货人 / 采购人 */
  buyerName: optionalText('收货人', 20),
  note: optionalText('备注', 200),
};

const marketSubjectIdInput = z
  .string({ error: '请选择市场' })
  .check(z.minLength(1, { error: '请选择市场' }), z.maxLength(80, { error: '市场编号不正确' }));

const productNameInput = z
  .string({ error: '请填写产品名称' })
  .check(
    z.trim(),
    z.minLength(1, { error: '请填写产品名称' }),
    z.maxLength(30, { error: '产品名称最多 30 个字' }),
  );

/** 供货人 — who brought goods without a certificate, as far as the market knows. */
export const supplierSchema = z.object({
  name: z.nullable(z.string()),
  phone: z.nullable(z.string()),
});
export type Supplier = z.infer<typeof supplierSchema>;

const supplierInput = z.optional(
  z.object({
    name: optionalText('供货人', 30),
    phone: z.optional(
      z
        .string({ error: '请填写正确的手机号或带区号的固定电话' })
        .check(z.trim(), z.regex(phonePattern, { error: '请填写正确的手机号或带区号的固定电话' })),
    ),
  }),
);

const entryCommon = {
  _id: z.string(),
  marketSubjectId: z.string(),
  /** The market's division: staff scope is judged by it. */
  divisionCode: z.string(),
  productName: z.string(),
  quantity: quantitySchema,
  /** When the goods arrived (the record was made). */
  at: z.string(),
  stall: z.nullable(z.string()),
  buyerName: z.nullable(z.string()),
  note: z.nullable(z.string()),
  /** 留存至 — the record is kept at least until then. */
  keepUntil: z.string(),
};

/** 凭证入市 — goods whose label verified as a valid certificate. */
export const acceptedEntrySchema = z.object({
  ...entryCommon,
  kind: z.literal('accepted'),
  /** The certificate record's 16-character code (indexed). */
  certificateCode: z.string(),
  /** The label scanned: the record code, or record code + package index. */
  label: z.string(),
  issuerName: z.string(),
  /** The issuer's division (产地). */
  issuerDivision: z.string(),
  /** Whether the scanned URL carried a valid signature, or the code was typed (absent). */
  signature: z.enum(['valid', 'absent']),
  /** The same label was accepted before by another market: a copy, or goods moved on. */
  seenElsewhere: z.boolean(),
  /** 疑似复制 at the time of the scan (the verify function's judgement). */
  copySuspected: z.boolean(),
  acceptedBy: z.string(),
});
export type AcceptedEntry = z.infer<typeof acceptedEntrySchema>;

/**
 * 无证入市 — goods recorded without a certificate. The entry is its own sampling task (无证抽检):
 * `samplingStatus` is pending until the market records a sample, then passed or failed (退场).
 */
export const noCertificateEntrySchema = z.object({
  ...entryCommon,
  kind: z.literal('no_certificate'),
  supplier: z.nullable(supplierSchema),
  samplingStatus: z.enum(samplingStatusCodes),
  /** The `samples` document of the market's test, once there is one. */
  sampleId: z.nullable(z.string()),
  sampledAt: z.nullable(z.string()),
  /** 不合格退场 — the goods were sent away after failing the sample. */
  turnedAway: z.boolean(),
  recordedBy: z.string(),
});
export type NoCertificateEntry = z.infer<typeof noCertificateEntrySchema>;

/** 入市记录 — one arrival of goods at a market. */
export const marketEntrySchema = z.discriminatedUnion('kind', [
  acceptedEntrySchema,
  noCertificateEntrySchema,
]);
export type MarketEntry = z.infer<typeof marketEntrySchema>;

/** 凭证入市: a scanned QR URL, a typed code or a paper form's serial. */
export const acceptInputSchema = z.object({
  marketSubjectId: marketSubjectIdInput,
  scanned: z
    .string({ error: '请扫描合格证二维码或输入编号' })
    .check(
      z.trim(),
      z.minLength(1, { error: '请扫描合格证二维码或输入编号' }),
      z.maxLength(300, { error: '内容过长' }),
    ),
  ...arrivalDetailInputs,
});
export type AcceptInput = z.input<typeof acceptInputSchema>;

/** 无证入市: what the market records about goods arriving without a certificate. */
export const arrivalInputSchema = z.object({
  marketSubjectId: marketSubjectIdInput,
  productName: productNameInput,
  quantity: quantitySchema,
  supplier: supplierInput,
  ...arrivalDetailInputs,
});
export type ArrivalInput = z.input<typeof arrivalInputSchema>;

/** One item of a sample: what was tested and whether it passed. */
export const sampleItemSchema = z.object({
  /** 检测项目, e.g. 有机磷和氨基甲酸酯类农药残留 */
  item: z
    .string({ error: '请填写检测项目' })
    .check(
      z.trim(),
      z.minLength(2, { error: '请填写检测项目' }),
      z.maxLength(60, { error: '检测项目最多 60 个字' }),
    ),
  result: z.enum(['pass', 'fail'], { error: '请选择检测结果' }),
});
export type SampleItem = z.infer<typeof sampleItemSchema>;

/** The market's test of goods that arrived without a certificate. */
export const recordSampleInputSchema = z
  .object({
    entryId: z
      .string({ error: '请选择待抽检的入市记录' })
      .check(z.minLength(1, { error: '请选择待抽检的入市记录' }), z.maxLength(80)),
    kind: z.enum(['rapid', 'lab'], { error: '请选择检测方式' }),
    items: z
      .array(sampleItemSchema, { error: '请至少填写一项检测' })
      .check(
        z.minLength(1, { error: '请至少填写一项检测' }),
        z.maxLength(20, { error: '检测项目最多 20 项' }),
      ),
    method: optionalText('检测方法', 60),
    /** 检测机构: required for a lab test. */
    lab: optionalText('检测机构', 60),
  })
  .check(
    z.superRefine((s, ctx) => {
      if (s.kind === 'lab' && !s.lab) {
        ctx.addIssue({ code: 'custom', path: ['lab'], message: '实验室检测请填写检测机构' });
      }
    }),
  );
export type RecordSampleInput = z.input<typeof recordSampleInputSchema>;

const dateInput = z
  .string({ error: '日期格式应为 2026-11-29' })
  .check(z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期格式应为 2026-11-29' }));

/** A period in China dates, both ends included. */
export const periodInputs = { from: z.optional(dateInput), to: z.optional(dateInput) };

/** Filters of a market's entry list and its export. */
export const entryFiltersSchema = z.object({
  marketSubjectId: marketSubjectIdInput,
  /** Searches product, label code, issuer, stall, receiver, supplier and note. */
  q: z.optional(z.string().check(z.trim(), z.maxLength(40, { error: '最多 40 个字' }))),
  kind: z.optional(z.enum(marketEntryKindCodes, { error: '入市方式不正确' })),
  samplingStatus: z.optional(z.enum(samplingStatusCodes, { error: '抽检状态不正确' })),
  ...periodInputs,
});
export type EntryFilters = z.output<typeof entryFiltersSchema>;

/**
 * 抽检 document a market writes into the shared `samples` collection (the supervision function
 * writes its own samples there too; `source` tells them apart). Goods without a certificate have
 * no known subject and no certificate, hence `subjectId: null` and `certificateCodes: []`.
 */
export const marketSampleSchema = z.object({
  _id: z.string(),
  source: z.literal('market'),
  marketEntryId: z.string(),
  marketSubjectId: z.string(),
  subjectId: z.null(),
  certificateCodes: z.array(z.string()).check(z.maxLength(0)),
  kind: z.enum(['rapid', 'lab']),
  items: z.array(sampleItemSchema),
  /** fail when any item fails */
  result: z.enum(['pass', 'fail']),
  method: z.nullable(z.string()),
  /** 检测机构, for a lab test. */
  lab: z.nullable(z.string()),
  productName: z.string(),
  /** 抽样日期 in China time, as supervision samples carry it. */
  sampledOn: z.string(),
  at: z.string(),
  /** The user who recorded it. */
  by: z.string(),
  /** The market's division. */
  divisionCode: z.string(),
});
export type MarketSample = z.infer<typeof marketSampleSchema>;

/** Why a label that did not verify cannot be accepted, and the error code to answer with. */
export interface Refusal {
  code: Extract<ErrorCode, 'CONFLICT' | 'NOT_FOUND'>;
  message: string;
}

/** The refusal for a verdict, or null when the goods may enter (only `valid` may). */
export function refusalOf(verdict: Verdict, revokedReason?: string | null): Refusal | null {
  switch (verdict) {
    case 'valid':
      return null;
    case 'revoked':
      return {
        code: 'CONFLICT',
        message: `这张合格证已被开具方撤销${revokedReason ? `（原因：${revokedReason}）` : ''}，不能凭它入市；请按无证货品登记并抽检`,
      };
    case 'suspicious':
      return {
        code: 'CONFLICT',
        message:
          '标签签名无效，疑似伪造，不能凭它入市；请留存标签并报告监管人员，货品按无证登记抽检',
      };
    case 'not_found':
      return {
        code: 'NOT_FOUND',
        message: '没有找到这张合格证，不能凭它入市；请核对编号，或按无证货品登记并抽检',
      };
  }
}

/** A sample fails when any of its items fails. */
export function sampleResultOf(items: readonly Pick<SampleItem, 'result'>[]): 'pass' | 'fail' {
  return items.some((i) => i.result === 'fail') ? 'fail' : 'pass';
}

/** What a sample's result does to a no-certificate entry: passed goods enter, failed ones leave. */
export function samplingOutcome(
  result: 'pass' | 'fail',
  sampleId: string,
  at: string,
): Pick<NoCertificateEntry, 'samplingStatus' | 'sampleId' | 'sampledAt' | 'turnedAway'> {
  return result === 'pass'
    ? { samplingStatus: 'passed', sampleId, sampledAt: at, turnedAway: false }
    : { samplingStatus: 'failed', sampleId, sampledAt: at, turnedAway: true };
}

/** Whether an entry matches a list's filters (the market is matched by the query). */
export function entryMatches(e: MarketEntry, f: Omit<EntryFilters, 'marketSubjectId'>): boolean {
  if (f.kind && e.kind !== f.kind) return false;
  if (f.samplingStatus && (e.kind !== 'no_certificate' || e.samplingStatus !== f.samplingStatus)) {
    return false;
  }
  const day = chinaDate(new Date(e.at));
  if (f.from && day < f.from) return false;
  if (f.to && day > f.to) return false;
  if (!f.q) return true;
  const q = f.q.toUpperCase();
  const asCode = normalizeCertificateCode(f.q);
  const texts =
    e.kind === 'accepted'
      ? [e.productName, e.issuerName, e.stall, e.buyerName, e.note]
      : [e.productName, e.supplier?.name, e.supplier?.phone, e.stall, e.buyerName, e.note];
  return (
    texts.some((t) => t?.toUpperCase().includes(q)) ||
    (e.kind === 'accepted' && asCode.length >= 4 && e.label.includes(asCode))
  );
}

/** 准入率 figures of a market over a period, derived from its entries. */
export interface AcceptanceRate {
  /** 到货批次 — every recorded arrival. */
  arrivals: number;
  /** 凭证入市 */
  withCertificate: number;
  /** 无证入市 */
  withoutCertificate: number;
  /** 无证货品中已抽检的 */
  sampled: number;
  /** 抽检不合格（退场） */
  failed: number;
  /** withCertificate / arrivals; null when nothing arrived. */
  rate: number | null;
  /** The rate as people read it, "75.0%" (or "—"). */
  rateText: string;
}

/** Counts the arrivals; the rate is arrivals with a verified certificate over all arrivals. */
export function acceptanceRateOf(entries: readonly MarketEntry[]): AcceptanceRate {
  let withCertificate = 0;
  let withoutCertificate = 0;
  let sampled = 0;
  let failed = 0;
  for (const e of entries) {
    if (e.kind === 'accepted') {
      withCertificate++;
      continue;
    }
    withoutCertificate++;
    if (e.samplingStatus !== 'pending') sampled++;
    if (e.samplingStatus === 'failed') failed++;
  }
  const arrivals = withCertificate + withoutCertificate;
  const rate = arrivals === 0 ? null : withCertificate / arrivals;
  return {
    arrivals,
    withCertificate,
    withoutCertificate,
    sampled,
    failed,
    rate,
    rateText: rate === null ? '—' : `${(rate * 100).toFixed(1)}%`,
  };
}

/** "2026-11-29 10:00", the China wall-clock time of an instant. */
export function chinaDateTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Chinese labels of a sample's kind and result, for lists and exports. */
export const sampleLabels = { kinds: testKinds, results: testResults } as const;
