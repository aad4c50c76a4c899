/**
 * 监管 — patrols (巡查), sampling (抽检), key supervision (重点监管), rectification (整改) and the
 * township stations and village service points that do the work (监管站 / 村级服务点).
 *
 * The rules here are pure: which sample contradicts a promise, when a subject falls due for
 * sampling, when a rectification is overdue, when a subject may leave key supervision, and how a
 * station's stars follow from its figures. The numbers are policy data, not code.
 */
import * as z from 'zod/mini';
import { chinaDate, type Certificate, type Verdict } from './certificate';
import type { SignatureState } from './scan';
import { testKinds, testResults } from './test-record';

// --- policy -------------------------------------------------------------------------------------

/**
 * 抽检频次: every subject is sampled at least half-yearly; a subject on the key-supervision list
 * monthly (the district plan's "加大抽检频次"; the exact numbers are the district's to set).
 */
export const samplingPolicy = {
  regularIntervalDays: 182,
  keyIntervalDays: 30,
} as const;

/** 整改期限: days from the failed sample to the deadline of its rectification. */
export const rectificationPolicy = {
  deadlineDays: 15,
} as const;

/** 巡查照片 and 整改佐证: JPEG or PNG, at most 2 MB each, at most 9 to a record. */
export const photoPolicy = {
  maxBytes: 2 * 1024 * 1024,
  contentTypes: ['image/jpeg', 'image/png'] as const,
  maxPerRecord: 9,
} as const;
export type PhotoContentType = (typeof photoPolicy.contentTypes)[number];

/** What a refused oversized photo is told. */
export const photoTooLarge = `照片不能超过 ${photoPolicy.maxBytes / 1024 / 1024} MB`;

/** 主体登记审核时限: a registration should be reviewed within this many days. */
export const registrationReviewDays = 7;

/**
 * 星级评定 of stations and service points, from their figures over the last `windowDays`:
 * each figure earns its weight in proportion to its target (capped at the target); the weighted
 * share, 0–100, gives the stars. A figure a station cannot have (a service point reviews no
 * registrations; a division with no review due) is left out and the others' weights fill in.
 */
export const stationRatingPolicy = {
  windowDays: 90,
  weights: { patrols: 40, samples: 40, reviews: 20 },
  /** Patrols and samples by the station's staff within the window that earn the full weight. */
  targets: {
    station: { patrols: 24, samples: 12 },
    service_point: { patrols: 12, samples: 6 },
  },
  /** Least score for each number of stars, highest first; below the last, one star. */
  stars: [
    { stars: 5, minScore: 90 },
    { stars: 4, minScore: 75 },
    { stars: 3, minScore: 60 },
    { stars: 2, minScore: 40 },
  ],
} as const;

// --- dates --------------------------------------------------------------------------------------

const dayMs = 86_400_000;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(s: string): boolean {
  if (!datePattern.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The date `days` after (or before, when negative) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** Whole days from date `a` to date `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / dayMs);
}

// --- shared field schemas -----------------------------------------------------------------------

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .check(
      z.trim(),
      z.minLength(min, { error: min > 1 ? `${label}至少 ${min} 个字` : `请填写${label}` }),
      z.maxLength(max, { error: `${label}最多 ${max} 个字` }),
    );

const dateField = (label: string) =>
  z.string({ error: `请填写${label}` }).check(
    z.regex(datePattern, { error: `${label}格式应为 2026-11-29` }),
    // Said only of well-formed dates: a malformed one has its message already.
    z.refine((s) => !datePattern.test(s) || isCalendarDate(s), {
      error: `${label}不是有效的日期`,
    }),
  );

const idField = (message: string) =>
  z.string({ error: message }).check(z.minLength(1, { error: message }), z.maxLength(80));

/** A file id as the file store returns it (local hex id or a CloudBase `cloud://…` id). */
export const fileIdSchema = z
  .string({ error: '照片编号不正确' })
  .check(z.minLength(1, { error: '照片编号不正确' }), z.maxLength(300));

const photoIdsField = (label: string) =>
  z._default(
    z.array(fileIdSchema, { error: `${label}格式不正确` }).check(
      z.maxLength(photoPolicy.maxPerRecord, {
        error: `${label}最多 ${photoPolicy.maxPerRecord} 张`,
      }),
    ),
    [],
  );

/** The client's id for a request, so a retry does not record the same visit or sample twice. */
const requestIdField = z.optional(
  z
    .string({ error: '请求编号格式不正确' })
    .check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, { error: '请求编号格式不正确' })),
);

/** Scanned label texts or typed codes (URLs of QR codes, label codes, paper serials). */
const scannedCodesField = (label: string, max: number) =>
  z._default(
    z
      .array(
        z
          .string({ error: `${label}格式不正确` })
          .check(
            z.trim(),
            z.minLength(1, { error: `${label}不能为空` }),
            z.maxLength(300, { error: `${label}过长` }),
          ),
        { error: `${label}格式不正确` },
      )
      .check(z.maxLength(max, { error: `${label}最多 ${max} 个` })),
    [],
  );

// --- photos -------------------------------------------------------------------------------------

/** What a photo upload sends: the image bytes in base64 and the type the client claims. */
export const photoUploadSchema = z.object({
  base64: z.string({ error: '请选择照片' }).check(
    z.minLength(1, { error: '请选择照片' }),
    // 4 base64 characters carry 3 bytes: anything longer cannot fit the limit.
    z.maxLength(Math.ceil(photoPolicy.maxBytes / 3) * 4, { error: photoTooLarge }),
    z.regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: '照片内容不是有效的 base64' }),
  ),
  contentType: z.enum(photoPolicy.contentTypes, { error: '只支持 JPEG 或 PNG 照片' }),
});
export type PhotoUpload = z.input<typeof photoUploadSchema>;

/** The image type the bytes themselves show (magic numbers), or null when neither JPEG nor PNG. */
export function detectPhotoType(bytes: Uint8Array): PhotoContentType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'image/jpeg';
  }
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return null;
}

// --- patrols ------------------------------------------------------------------------------------

/** 巡查记录 as a supervisor, coordinator or enforcement officer enters it on site. */
export const patrolInputSchema = z.object({
  requestId: requestIdField,
  subjectId: idField('请选择巡查的主体'),
  date: dateField('巡查日期'),
  staffNames: z
    .array(text('检查人员', 1, 20), { error: '请填写检查人员' })
    .check(
      z.minLength(1, { error: '请至少填写一名检查人员' }),
      z.maxLength(10, { error: '检查人员最多 10 人' }),
    ),
  /** 是否按要求开具合格证 */
  issuingCertificates: z.boolean({ error: '请选择是否按要求开具合格证' }),
  /** 现场扫码核验的合格证: each is verified as scanned. */
  scanned: scannedCodesField('现场核验的合格证', 50),
  /** 检查发现 */
  findings: z._default(
    z
      .string({ error: '检查发现格式不正确' })
      .check(z.trim(), z.maxLength(500, { error: '检查发现最多 500 个字' })),
    '',
  ),
  photoFileIds: photoIdsField('现场照片'),
});
export type PatrolInput = z.input<typeof patrolInputSchema>;

/** One label checked on site, with the verdict verification gave it. */
export const labelCheckSchema = z.object({
  /** What was scanned or typed, as given. */
  scanned: z.string(),
  /** The label code read from it, or null when it held none. */
  label: z.nullable(z.string()),
  verdict: z.enum(['valid', 'revoked', 'not_found', 'suspicious']),
  signature: z.enum(['valid', 'invalid', 'absent']),
  copySuspected: z.boolean(),
  certificateCode: z.nullable(z.string()),
  productName: z.nullable(z.string()),
  issuerName: z.nullable(z.string()),
  /** Whether the visited subject issued it (a collector holds others' certificates). */
  ofSubject: z.nullable(z.boolean()),
});
export type LabelCheck = z.infer<typeof labelCheckSchema>;

/** Verdicts a patrol reports as a problem: forged, revoked or unknown labels on the goods. */
export function isProblemCheck(c: Pick<LabelCheck, 'verdict' | 'copySuspected'>): boolean {
  return c.verdict !== 'valid' || c.copySuspected;
}

/** The label check of one verification result. */
export function labelCheckOf(
  scanned: string,
  result: {
    code: string | null;
    verdict: Verdict;
    signature: SignatureState;
    copySuspected: boolean;
    certificate: {
      code: string;
      productName: string;
      subjectId: string;
      issuer: { name: string };
    } | null;
  },
  subjectId: string,
): LabelCheck {
  const c = result.certificate;
  return {
    scanned,
    label: result.code,
    verdict: result.verdict,
    signature: result.signature,
    copySuspected: result.copySuspected,
    certificateCode: c?.code ?? null,
    productName: c?.productName ?? null,
    issuerName: c?.issuer.name ?? null,
    ofSubject: c ? c.subjectId === subjectId : null,
  };
}

export const patrolSchema = z.extend(
  z.pick(patrolInputSchema, {
    subjectId: true,
    date: true,
    staffNames: true,
    issuingCertificates: true,
    findings: true,
    photoFileIds: true,
  }),
  {
    _id: z.string(),
    subjectName: z.string(),
    divisionCode: z.string(),
    checks: z.array(labelCheckSchema),
    by: z.string(),
    at: z.string(),
  },
);
export type Patrol = z.infer<typeof patrolSchema>;

// --- sampling -----------------------------------------------------------------------------------

export const sampleKinds = testKinds;
export type SampleKind = keyof typeof sampleKinds;
export const sampleResults = testResults;
export type SampleResult = keyof typeof sampleResults;

/** One tested item: 检测项目, its result, and optionally the value found and the limit. */
export const sampleItemSchema = z.object({
  item: text('检测项目', 2, 60),
  result: z.enum(['pass', 'fail'], { error: '请选择检测结果' }),
  /** 检测值 as written on the report, e.g. "0.12 mg/kg" or "抑制率 62%": text, never a float. */
  value: z.optional(text('检测值', 1, 30)),
  /** 限量 / 判定标准, e.g. "≤0.05 mg/kg" or "抑制率<50%". */
  limit: z.optional(text('判定标准', 1, 30)),
});
export type SampleItem = z.output<typeof sampleItemSchema>;

const sampleFields = z.object({
  requestId: requestIdField,
  subjectId: idField('请选择被抽检的主体'),
  /** The certificates of the sampled goods: scanned URLs, label codes or paper serials. */
  certificateCodes: scannedCodesField('关联合格证', 20),
  kind: z.enum(['rapid', 'lab'], { error: '请选择检测方式' }),
  productName: z.optional(text('样品名称', 1, 30)),
  items: z
    .array(sampleItemSchema, { error: '请填写检测项目' })
    .check(
      z.minLength(1, { error: '请至少填写一个检测项目' }),
      z.maxLength(30, { error: '检测项目最多 30 个' }),
    ),
  /** 检测机构: required for a lab test. */
  lab: z.optional(text('检测机构', 2, 60)),
  sampledOn: dateField('抽样日期'),
});

/** 抽检记录 as the sampler enters it. */
export const sampleInputSchema = sampleFields.check(
  z.superRefine((s, ctx) => {
    if (s.kind === 'lab' && !s.lab) {
      ctx.addIssue({ code: 'custom', path: ['lab'], message: '实验室检测请填写检测机构' });
    }
  }),
);
export type SampleInput = z.input<typeof sampleInputSchema>;

/** A sample fails when any of its items fails. */
export function sampleResult(items: readonly Pick<SampleItem, 'result'>[]): SampleResult {
  return items.some((i) => i.result === 'fail') ? 'fail' : 'pass';
}

/**
 * Whether a certificate stood as a promise for goods sampled on `sampledOn`: issued no later than
 * that day and in force then. A certificate revoked on or after the sampling day still stood (a
 * producer cannot withdraw a promise once its goods were sampled); one revoked earlier did not.
 */
export function promiseStoodOn(
  c: Pick<Certificate, 'status' | 'revokedAt' | 'issueDate'>,
  sampledOn: string,
): boolean {
  if (c.issueDate > sampledOn) return false;
  if (c.status === 'valid') return true;
  return c.revokedAt !== null && chinaDate(new Date(c.revokedAt)) >= sampledOn;
}

/**
 * 承诺与抽检结果不符: a failed sample of goods whose certificate (style 1 or 2) promised they
 * met the standards. The subject then goes on the key-supervision list.
 */
export function contradictsPromise(
  result: SampleResult,
  certificates: readonly Pick<Certificate, 'status' | 'revokedAt' | 'issueDate'>[],
  sampledOn: string,
): boolean {
  return result === 'fail' && certificates.some((c) => promiseStoodOn(c, sampledOn));
}

/** A supervision sample as stored (market samples share the collection with `source: 'market'`). */
export const sampleSchema = z.extend(
  z.pick(sampleFields, { subjectId: true, kind: true, items: true, sampledOn: true }),
  {
    _id: z.string(),
    source: z.literal('supervision'),
    subjectName: z.string(),
    /** The label codes of the linked certificates. */
    certificateCodes: z.array(z.string()),
    /** Of those, the ones that stood as a promise when the goods were sampled. */
    promisedCodes: z.array(z.string()),
    productName: z.nullable(z.string()),
    lab: z.nullable(z.string()),
    result: z.enum(['pass', 'fail']),
    promiseContradicted: z.boolean(),
    /** The rectification case the failure opened. */
    caseId: z.nullable(z.string()),
    /** True when this sample, passing, took the subject off the key-supervision list. */
    liftedKeySupervision: z.boolean(),
    divisionCode: z.string(),
    at: z.string(),
    by: z.string(),
  },
);
export type Sample = z.infer<typeof sampleSchema>;

// --- key supervision ----------------------------------------------------------------------------

/** Why a subject is under key supervision. */
export const keySupervisionReasons = {
  promise_contradicted: '承诺与抽检结果不符',
  false_certificate: '虚假开具合格证',
} as const;
export type KeySupervisionReason = keyof typeof keySupervisionReasons;

export const keySupervisionStatuses = { active: '重点监管中', lifted: '已解除' } as const;
export type KeySupervisionStatus = keyof typeof keySupervisionStatuses;

const keyEpisodeShape = {
  since: z.string(),
  reason: z.enum(['promise_contradicted', 'false_certificate']),
  sampleId: z.nullable(z.string()),
  patrolId: z.nullable(z.string()),
  /** Every rectification case opened while on the list: all must be closed to leave it. */
  caseIds: z.array(z.string()),
  samplingIntervalDays: z.int(),
};

/** 重点监管 — one document per subject (`_id` = subject id); earlier episodes kept in `history`. */
export const keySupervisionSchema = z.object({
  _id: z.string(),
  subjectId: z.string(),
  divisionCode: z.string(),
  status: z.enum(['active', 'lifted']),
  ...keyEpisodeShape,
  liftedAt: z.nullable(z.string()),
  /** The passing follow-up sample that lifted it. */
  liftedBySampleId: z.nullable(z.string()),
  history: z.array(
    z.object({
      ...keyEpisodeShape,
      liftedAt: z.string(),
      liftedBySampleId: z.nullable(z.string()),
    }),
  ),
});
export type KeySupervision = z.infer<typeof keySupervisionSchema>;

// --- rectification ------------------------------------------------------------------------------

export const rectificationStatuses = {
  open: '整改中',
  submitted: '已提交待核查',
  closed: '已销号',
} as const;
export type RectificationStatus = keyof typeof rectificationStatuses;
export const rectificationStatusCodes = Object.keys(rectificationStatuses) as [
  RectificationStatus,
  ...RectificationStatus[],
];

/** Why a case was opened. */
export const rectificationReasons = {
  promise_contradicted: '承诺与抽检结果不符',
  failed_sample: '抽检不合格',
  false_certificate: '虚假开具合格证',
} as const;
export type RectificationReason = keyof typeof rectificationReasons;

export const signOffDecisions = { close: '整改到位，销号', reopen: '整改不到位，退回' } as const;
export type SignOffDecision = keyof typeof signOffDecisions;

/** 整改 — a rectification case: measures and evidence from the subject, sign-off by staff. */
export const rectificationSchema = z.object({
  _id: z.string(),
  subjectId: z.string(),
  subjectName: z.string(),
  divisionCode: z.string(),
  reason: z.enum(['promise_contradicted', 'failed_sample', 'false_certificate']),
  sampleId: z.nullable(z.string()),
  patrolId: z.nullable(z.string()),
  /** 问题说明: what was found (the failed items, or the patrol's finding). */
  note: z.string(),
  /** 整改措施 */
  measures: z.string(),
  /** 整改期限: the last day (China time) the case may stay open. */
  deadline: z.string(),
  /** 佐证材料: photo file ids. */
  evidence: z.array(z.string()),
  status: z.enum(['open', 'submitted', 'closed']),
  openedAt: z.string(),
  openedBy: z.string(),
  submittedAt: z.nullable(z.string()),
  submittedBy: z.nullable(z.string()),
  closedAt: z.nullable(z.string()),
  closedBy: z.nullable(z.string()),
  signOffs: z.array(
    z.object({
      decision: z.enum(['close', 'reopen']),
      note: z.string(),
      at: z.string(),
      by: z.string(),
    }),
  ),
});
export type Rectification = z.infer<typeof rectificationSchema>;

/** The deadline of a case opened on `openedOn` (China date). */
export function rectificationDeadline(openedOn: string): string {
  return addDays(openedOn, rectificationPolicy.deadlineDays);
}

/** 逾期: the deadline has passed and the case is not closed. */
export function isOverdue(c: Pick<Rectification, 'status' | 'deadline'>, now: Date): boolean {
  return c.status !== 'closed' && chinaDate(now) > c.deadline;
}

/** Days past the deadline (0 when not overdue). */
export function daysOverdue(c: Pick<Rectification, 'status' | 'deadline'>, now: Date): number {
  return isOverdue(c, now) ? daysBetween(c.deadline, chinaDate(now)) : 0;
}

export const rectificationSubmitSchema = z.object({
  caseId: idField('请选择整改事项'),
  measures: text('整改措施', 4, 1000),
  evidenceFileIds: photoIdsField('佐证照片'),
});
export type RectificationSubmit = z.input<typeof rectificationSubmitSchema>;

export const signOffSchema = z
  .object({
    caseId: idField('请选择整改事项'),
    decision: z.enum(['close', 'reopen'], { error: '请选择销号或退回' }),
    note: z._default(
      z
        .string({ error: '核查意见格式不正确' })
        .check(z.trim(), z.maxLength(500, { error: '核查意见最多 500 个字' })),
      '',
    ),
    /** A new deadline for a case sent back (退回): a later day than today. */
    deadline: z.optional(dateField('新的整改期限')),
  })
  .check(
    z.superRefine((s, ctx) => {
      if (s.decision === 'reopen' && !s.note) {
        ctx.addIssue({ code: 'custom', path: ['note'], message: '退回整改请写明原因' });
      }
      if (s.decision === 'close' && s.deadline !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['deadline'], message: '销号不需要整改期限' });
      }
    }),
  );
export type SignOffInput = z.input<typeof signOffSchema>;

/**
 * Whether a passing sample takes a subject off key supervision: every case opened while on the
 * list is closed, and the sample is a follow-up — taken no earlier than the day of the last
 * sign-off and recorded after it (a sample from before the rectification proves nothing).
 */
export function leavesKeySupervision(
  ks: Pick<KeySupervision, 'status' | 'caseIds'>,
  cases: readonly Pick<Rectification, '_id' | 'status' | 'closedAt'>[],
  sample: Pick<Sample, 'result' | 'sampledOn' | 'at'>,
): boolean {
  if (ks.status !== 'active' || sample.result !== 'pass') return false;
  let lastClosedAt = '';
  for (const id of ks.caseIds) {
    const c = cases.find((x) => x._id === id);
    if (!c || c.status !== 'closed' || !c.closedAt) return false;
    if (c.closedAt > lastClosedAt) lastClosedAt = c.closedAt;
  }
  if (!lastClosedAt) return false;
  return sample.at > lastClosedAt && sample.sampledOn >= chinaDate(new Date(lastClosedAt));
}

// --- sampling schedule --------------------------------------------------------------------------

export interface SamplingSchedule {
  intervalDays: number;
  /** The last supervision sample's date, or null when never sampled. */
  lastSampledOn: string | null;
  /** When the next sample falls due. */
  dueOn: string;
  due: boolean;
  daysOverdue: number;
}

/**
 * When a subject is next due for sampling: its interval (monthly on key supervision, otherwise
 * half-yearly) after its last sample or its anchor, whichever is later. The anchor is the day it
 * registered (one that registered yesterday is not late yet), or the day it went on key
 * supervision (monthly sampling starts then, whatever the half-yearly schedule said).
 */
export function samplingSchedule(
  s: { anchorOn: string; lastSampledOn: string | null; underKeySupervision: boolean },
  today: string,
): SamplingSchedule {
  const intervalDays = s.underKeySupervision
    ? samplingPolicy.keyIntervalDays
    : samplingPolicy.regularIntervalDays;
  const from = s.lastSampledOn && s.lastSampledOn > s.anchorOn ? s.lastSampledOn : s.anchorOn;
  const dueOn = addDays(from, intervalDays);
  const due = today >= dueOn;
  return {
    intervalDays,
    lastSampledOn: s.lastSampledOn,
    dueOn,
    due,
    daysOverdue: due ? daysBetween(dueOn, today) : 0,
  };
}

// --- stations -----------------------------------------------------------------------------------

export const stationKinds = {
  station: '乡镇农产品质量安全监管站',
  service_point: '村级农产品质量安全服务站点',
} as const;
export type StationKind = keyof typeof stationKinds;

export const stationInputSchema = z.object({
  /** The station to change; a new one when left out. */
  id: z.optional(idField('监管站编号不正确')),
  kind: z.enum(['station', 'service_point'], { error: '请选择监管站或村级服务点' }),
  name: text('名称', 2, 40),
  divisionCode: z
    .string({ error: '请选择所在街道/乡镇' })
    .check(z.regex(/^\d{9}$/, { error: '请选择所在街道/乡镇' })),
  staffUserIds: z._default(
    z
      .array(idField('工作人员不正确'), { error: '工作人员格式不正确' })
      .check(z.maxLength(50, { error: '工作人员最多 50 人' })),
    [],
  ),
});
export type StationInput = z.input<typeof stationInputSchema>;

export const stationSchema = z.extend(
  z.pick(stationInputSchema, { kind: true, name: true, divisionCode: true, staffUserIds: true }),
  {
    _id: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  },
);
export type Station = z.infer<typeof stationSchema>;

/** What a station did within the rating window. */
export interface StationFigures {
  /** Patrols recorded by its staff. */
  patrols: number;
  /** Supervision samples taken by its staff. */
  samples: number;
  /** Registrations in its division whose review fell due in the window, and those done in time. */
  reviews: { due: number; onTime: number } | null;
}

export interface StationRating {
  /** 0–100. */
  score: number;
  stars: 1 | 2 | 3 | 4 | 5;
  /** Each figure's share of its target (0–1, capped), and its weight; null when left out. */
  parts: Record<'patrols' | 'samples' | 'reviews', { share: number; weight: number } | null>;
}

/** A station's stars from its figures (see stationRatingPolicy). */
export function rateStation(kind: StationKind, f: StationFigures): StationRating {
  const { weights, targets, stars } = stationRatingPolicy;
  const share = (value: number, target: number) => (target > 0 ? Math.min(1, value / target) : 1);
  const parts: StationRating['parts'] = {
    patrols: { share: share(f.patrols, targets[kind].patrols), weight: weights.patrols },
    samples: { share: share(f.samples, targets[kind].samples), weight: weights.samples },
    reviews:
      kind === 'station' && f.reviews && f.reviews.due > 0
        ? { share: share(f.reviews.onTime, f.reviews.due), weight: weights.reviews }
        : null,
  };
  let earned = 0;
  let total = 0;
  for (const p of Object.values(parts)) {
    if (!p) continue;
    earned += p.share * p.weight;
    total += p.weight;
  }
  const score = total > 0 ? Math.round((100 * earned) / total) : 0;
  const level = stars.find((s) => score >= s.minScore)?.stars ?? 1;
  return { score, stars: level, parts };
}

/** The dates (China time, inclusive) a rating window covers, ending today. */
export function ratingWindow(today: string): { from: string; to: string; days: number } {
  const days = stationRatingPolicy.windowDays;
  return { from: addDays(today, -(days - 1)), to: today, days };
}
