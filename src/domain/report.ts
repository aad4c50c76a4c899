/**
 * 统计报表 — the district bureau's view (district plan points 1, 9, 11): coverage and progress,
 * the periodic summaries and the assessment of streets. The compliance statement (约束激励,
 * point 7) has its own file, compliance.ts.
 *
 * Every figure is derived here from the records (subjects, certificates, market entries, patrols,
 * samples, key supervision, rectifications, and outreach's attendance and deliveries), never
 * typed in; the cloud function only loads the records of a scope. Each figure carries a drill
 * descriptor, and `drillItems` selects the very records the figure counted, through the same
 * selector. Policy numbers are data, not code.
 */
import * as z from 'zod/mini';
import {
  chinaDate,
  issueUnitCodes,
  issueUnits,
  type Certificate,
  type IssueUnit,
} from './certificate';
import { staffSubjectView, formatSeason, type StaffSubjectView } from './directory';
import { divisionName, isWithinDivision, lianyunDivisions, type Division } from './division';
import {
  acceptanceRateOf,
  marketEntryKindCodes,
  samplingStatusCodes,
  type AcceptanceRate,
  type MarketEntry,
} from './market';
import {
  coverageOf,
  staffDivisionOf,
  type Attendance,
  type AudienceUser,
  type Delivery,
  type StaffCoverageRow,
  type SubjectCoverageRow,
} from './outreach';
import {
  productCategories,
  productCategoryCodes,
  productCategoryOf,
  type ProductCategory,
} from './product-category';
import { maskedIdentity } from './subject';
import { subjectTypeCodes, subjectTypes, type Subject, type SubjectType } from './subject';
import {
  addDays,
  isCalendarDate,
  keySupervisionReasons,
  rectificationReasons,
  rectificationStatusCodes,
  rectificationStatuses,
  type KeySupervision,
  type KeySupervisionReason,
  type Patrol,
  type Rectification,
  type RectificationStatus,
  type Sample,
} from './supervision';

// --- policy -------------------------------------------------------------------------------------

/** Limits of what one report may ask for. */
export const reportPolicy = {
  /** The longest period one report covers (the plan's goal runs three years). */
  maxPeriodMonths: 36,
  /** Records one drill page returns at most, and by default. */
  maxDrillLimit: 200,
  defaultDrillLimit: 50,
} as const;

/**
 * 书面总结 — the plan asks each street for a written summary on 6 May, 6 August and 6 December
 * (China time). Each covers the whole months since the previous one: the 6 May summary the
 * months December to April, 6 August May to July, 6 December August to November, so the three
 * partition the year and each is due on the 6th of the month after its last month.
 * A tick that missed a due date (the server was down) still drafts it within `catchUpDays`.
 */
export const summarySchedule = {
  dueDates: [
    { monthDay: '05-06', months: 5 },
    { monthDay: '08-06', months: 3 },
    { monthDay: '12-06', months: 4 },
  ],
  catchUpDays: 30,
} as const;

/**
 * 考核 — each street's progress, scored 0–100: every part earns its weight in proportion to its
 * share of its target (capped at the target). A part that cannot be counted (a street with no
 * producers; no rectification due; training and publicity where a runtime has no outreach records)
 * is left out and the other weights fill in, as the stations' stars do.
 */
export const assessmentPolicy = {
  weights: {
    /** 规模以上主体开证率 */
    coverage: 30,
    /** 巡查覆盖: producers patrolled at least once in the period, of all producers. */
    patrols: 20,
    /** 抽检覆盖: producers sampled at least once in the period, of all producers. */
    sampling: 20,
    /** 生产主体培训覆盖 (outreach): the street trains its producers; staff are the district's. */
    training: 10,
    /** 告知书/明白纸确认 (outreach): producers whose operator confirmed 已阅知. */
    publicity: 10,
    /** 整改按期销号: cases due in the period closed by their deadline. */
    rectification: 10,
  },
  /** The share that earns a part's full weight. Sampling is half-yearly, so half in a period. */
  targets: {
    coverage: 1,
    patrols: 1,
    sampling: 0.5,
    training: 1,
    publicity: 1,
    rectification: 1,
  },
} as const;
export type AssessmentPart = keyof typeof assessmentPolicy.weights;

// --- dates and periods --------------------------------------------------------------------------

const dayMs = 86_400_000;

/** The China calendar day of an ISO instant. */
export function chinaDay(iso: string): string {
  return chinaDate(new Date(iso));
}

/** The last instant (ISO, UTC) of a China calendar day. */
export function endOfChinaDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + dayMs - 1).toISOString();
}

/** The instant state figures are taken at: the end of the period, or now if that is earlier. */
export function asOfInstant(to: string, now: Date): string {
  const end = endOfChinaDay(to);
  const n = now.toISOString();
  return n < end ? n : end;
}

/** The months (YYYY-MM) a period touches, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endY = Number(to.slice(0, 4));
  const endM = Number(to.slice(5, 7));
  while (y < endY || (y === endY && m <= endM)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The first and last day of a month (YYYY-MM). */
export function monthRange(month: string): DateRange {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** 2026年5月 */
export function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

export interface DateRange {
  from: string;
  to: string;
}

/** The days two ranges share, or null. */
export function overlapOf(a: DateRange, b: DateRange): DateRange | null {
  const from = a.from > b.from ? a.from : b.from;
  const to = a.to < b.to ? a.to : b.to;
  return from <= to ? { from, to } : null;
}

const within = (date: string, r: DateRange) => date >= r.from && date <= r.to;

/** 2026-05-06: the summary due that day, the months it covers and how it is called. */
export interface SummaryPeriod {
  /** The due date (YYYY-MM-DD), which names the period. */
  period: string;
  from: string;
  to: string;
  label: string;
}

/** Whether a date is one of the plan's summary due dates. */
export function isSummaryDueDate(date: string): boolean {
  return isCalendarDate(date) && summarySchedule.dueDates.some((d) => date.endsWith(d.monthDay));
}

/** The period a summary due on `due` covers; throws RangeError for a day that is not due. */
export function summaryPeriodOf(due: string): SummaryPeriod {
  const rule = summarySchedule.dueDates.find((d) => due.endsWith(`-${d.monthDay}`));
  if (!rule || !isCalendarDate(due)) throw new RangeError(`${due} is not a summary due date`);
  const y = Number(due.slice(0, 4));
  const dueMonth = Number(due.slice(5, 7));
  // The last month covered is the one before the due month; the first, `months` before that.
  const lastIndex = y * 12 + (dueMonth - 1) - 1;
  const firstIndex = lastIndex - (rule.months - 1);
  const monthOf = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  const from = monthRange(monthOf(firstIndex)).from;
  const to = monthRange(monthOf(lastIndex)).to;
  const ordinal = summarySchedule.dueDates.indexOf(rule) + 1;
  return {
    period: due,
    from,
    to,
    label: `${y}年第${ordinal}次书面总结（${monthLabel(from.slice(0, 7))}—${monthLabel(to.slice(0, 7))}）`,
  };
}

/** The latest due date on or before `date`. */
export function latestDueDate(date: string): string {
  const y = Number(date.slice(0, 4));
  const candidates = [y, y - 1].flatMap((year) =>
    summarySchedule.dueDates.map((d) => `${year}-${d.monthDay}`),
  );
  return (
    candidates.filter((d) => d <= date).sort((a, b) => (a < b ? 1 : -1))[0] ?? `${y - 1}-12-06`
  );
}

/** The first due date after `date`: the period a street office may open early. */
export function nextDueDate(date: string): string {
  const y = Number(date.slice(0, 4));
  const candidates = [y, y + 1].flatMap((year) =>
    summarySchedule.dueDates.map((d) => `${year}-${d.monthDay}`),
  );
  return candidates.filter((d) => d > date).sort()[0] ?? `${y + 1}-05-06`;
}

/** The due date before `due`. */
export function previousDueDate(due: string): string {
  return latestDueDate(addDays(due, -1));
}

/** The last scheduled summary period that ends before `from`: what a summary compares with. */
export function previousSummaryPeriod(from: string): SummaryPeriod {
  // A period's summary is due six days after it ends: the one ending just before `from` is due
  // before `from` + 6 days.
  let due = latestDueDate(addDays(from, 6));
  // The period due on `due` ends the month before it; step back until it ends before `from`.
  for (let i = 0; i < 4; i++) {
    const p = summaryPeriodOf(due);
    if (p.to < from) return p;
    due = previousDueDate(due);
  }
  return summaryPeriodOf(due);
}

/** The scheduled summary period with exactly these dates, or null. */
export function scheduledPeriodOf(r: DateRange): SummaryPeriod | null {
  const due = addDays(r.to, 6);
  if (!isSummaryDueDate(due)) return null;
  const p = summaryPeriodOf(due);
  return p.from === r.from && p.to === r.to ? p : null;
}

/**
 * The due date a tick on `today` drafts, or null: the latest due date, when today is it or at
 * most `catchUpDays` after it.
 */
export function dueDateToDraft(today: string): string | null {
  const due = latestDueDate(today);
  const late = Math.round(
    (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / dayMs,
  );
  return late >= 0 && late <= summarySchedule.catchUpDays ? due : null;
}

/**
 * A period as asked, with its gaps filled: up to `today` when no end is given, from the first day
 * of the end's year when no start is (this year so far by default).
 */
export function resolvePeriod(p: { from?: string; to?: string }, today: string): DateRange {
  const to = p.to ?? (p.from && p.from > today ? p.from : today);
  const from = p.from ?? `${to.slice(0, 4)}-01-01`;
  return { from, to };
}

/** The window of a period: its days, and its state instant (see asOfInstant). */
export function windowOf(period: DateRange, now: Date): ReportWindow {
  return { ...period, asOf: asOfInstant(period.to, now) };
}

// --- input schemas ------------------------------------------------------------------------------

const dateField = (label: string) =>
  z
    .string({ error: `${label}格式应为 2026-11-29` })
    .check(z.refine(isCalendarDate, { error: `${label}格式应为 2026-11-29` }));

const divisionField = z.optional(
  z
    .string({ error: '请选择街道/乡镇' })
    .check(z.regex(/^\d{6}(\d{3})?$/, { error: '区划代码为 6 位或 9 位数字' })),
);

const streetField = z
  .string({ error: '请选择街道/乡镇' })
  .check(z.regex(/^\d{9}$/, { error: '请选择街道/乡镇' }));

/** Checks that a period runs forwards and is not too long. */
export const periodCheck = z.superRefine((v: { from?: string; to?: string }, ctx) => {
  if (!v.from || !v.to || !isCalendarDate(v.from) || !isCalendarDate(v.to)) return;
  if (v.from > v.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期不能早于开始日期' });
  } else if (monthsBetween(v.from, v.to).length > reportPolicy.maxPeriodMonths) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `统计期间最长 ${reportPolicy.maxPeriodMonths} 个月`,
    });
  }
});

const optionalPeriod = {
  from: z.optional(dateField('开始日期')),
  to: z.optional(dateField('结束日期')),
};
/** A period's two dates, both required. */
export const requiredPeriod = {
  from: dateField('开始日期'),
  to: dateField('结束日期'),
};

/** 看板: the district (admin) or one division; the period defaults to this year so far. */
export const dashboardInputSchema = z
  .object({ divisionCode: divisionField, ...optionalPeriod })
  .check(periodCheck);

/** 书面总结 of one street for a period. */
export const summaryInputSchema = z
  .object({ divisionCode: streetField, ...requiredPeriod })
  .check(periodCheck);

/** 全区汇总 and 考核: all streets over a period. */
export const districtPeriodInputSchema = z.object(requiredPeriod).check(periodCheck);

/** A period a summary is due for, named by its due date. */
export const summaryPeriodField = z.string({ error: '总结期次应为报送日期，如 2026-05-06' }).check(
  z.refine(isSummaryDueDate, {
    error: '总结期次应为报送日期：每年 5 月 6 日、8 月 6 日或 12 月 6 日',
  }),
);

export const summariesInputSchema = z.object({ period: z.optional(summaryPeriodField) });

const narrativeText = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .check(
      z.trim(),
      z.minLength(4, { error: `请填写${label}（至少 4 个字）` }),
      z.maxLength(3000, { error: `${label}最多 3000 个字` }),
    );

/** 总结正文 — the street's own words: experience, problems, suggestions. */
export const narrativeSchema = z.object({
  experience: narrativeText('工作经验和做法'),
  problems: narrativeText('存在的问题'),
  suggestions: narrativeText('下一步打算和建议'),
});
export type Narrative = z.output<typeof narrativeSchema>;

const idField = (message: string) =>
  z.string({ error: message }).check(z.minLength(1, { error: message }), z.maxLength(120));

export const submitSummaryInputSchema = z.object({
  id: idField('请选择要报送的总结'),
  narrative: narrativeSchema,
});

/** 提前填写 — a street's draft for the upcoming period, opened before its due date. */
export const openSummaryInputSchema = z.object({
  divisionCode: streetField,
  period: summaryPeriodField,
});

export const summaryRefInputSchema = z.object({ id: idField('请选择总结') });

// --- drill --------------------------------------------------------------------------------------

/** The figures a drill opens, and what their records are called. */
export const drillFigures = {
  subjects: '名录主体',
  aboveScale: '规模以上主体',
  certificates: '合格证',
  marketEntries: '入市记录',
  patrols: '巡查记录',
  samples: '抽检记录',
  keySupervision: '重点监管主体',
  rectifications: '整改事项',
  training: '培训覆盖',
  publicity: '宣传触达',
} as const;
export type DrillFigure = keyof typeof drillFigures;
const drillFigureCodes = Object.keys(drillFigures) as [DrillFigure, ...DrillFigure[]];

/** What selects a figure's records; each figure reads the parameters that concern it. */
export const drillParamsSchema = z
  .object({
    divisionCode: divisionField,
    ...optionalPeriod,
    /** One month of the period (YYYY-MM). */
    month: z.optional(
      z
        .string({ error: '月份格式应为 2026-05' })
        .check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份格式应为 2026-05' })),
    ),
    type: z.optional(z.enum(subjectTypeCodes, { error: '主体类型不正确' })),
    aboveScale: z.optional(z.boolean()),
    /** aboveScale: with (true) or without (false) a certificate in the window. */
    issuing: z.optional(z.boolean()),
    productName: z.optional(z.string().check(z.maxLength(30))),
    /** 产品品类, derived from the product name (product-category.ts). */
    category: z.optional(z.enum(productCategoryCodes, { error: '产品品类不正确' })),
    issueUnit: z.optional(z.enum(issueUnitCodes, { error: '开具方式不正确' })),
    certificateStatus: z.optional(z.enum(['valid', 'revoked'], { error: '合格证状态不正确' })),
    kind: z.optional(z.enum(marketEntryKindCodes, { error: '入市方式不正确' })),
    samplingStatus: z.optional(z.enum(samplingStatusCodes, { error: '抽检状态不正确' })),
    /** marketEntries without a certificate that were sampled (passed or failed). */
    sampled: z.optional(z.boolean()),
    result: z.optional(z.enum(['pass', 'fail'], { error: '检测结果不正确' })),
    promiseContradicted: z.optional(z.boolean()),
    /** keySupervision: placed on the list within the period, instead of on it at the period's end. */
    placedInPeriod: z.optional(z.boolean()),
    /** rectifications: status at the period's end. */
    status: z.optional(z.enum(rectificationStatusCodes, { error: '整改状态不正确' })),
    overdue: z.optional(z.boolean()),
    /** rectifications: every case not closed at the period's end, whenever opened. */
    outstanding: z.optional(z.boolean()),
    /** training: staff (default) or producers; and trained or not. */
    recipient: z.optional(z.enum(['staff', 'producer'], { error: '培训对象不正确' })),
    trained: z.optional(z.boolean()),
    /** publicity: producers whose operator confirmed a 告知书/明白纸 (or not). */
    reached: z.optional(z.boolean()),
  })
  .check(periodCheck);
export type DrillParams = z.output<typeof drillParamsSchema>;

/** Where a figure's records are: pass it to `report.drill`. */
export interface DrillRef {
  figure: DrillFigure;
  params: DrillParams;
}

export const drillInputSchema = z.object({
  figure: z.enum(drillFigureCodes, { error: '没有这个统计项' }),
  params: z._default(drillParamsSchema, {}),
  skip: z._default(z.int().check(z.gte(0)), 0),
  limit: z._default(
    z.int().check(z.gte(1), z.lte(reportPolicy.maxDrillLimit)),
    reportPolicy.defaultDrillLimit,
  ),
});

// --- records ------------------------------------------------------------------------------------

/** The records of a scope that every figure is derived from (supervision samples only). */
export interface ReportRecords {
  subjects: Subject[];
  certificates: Certificate[];
  marketEntries: MarketEntry[];
  patrols: Patrol[];
  samples: Sample[];
  keySupervision: KeySupervision[];
  rectifications: Rectification[];
  /** The outreach records (issue 5); null where a runtime has none. */
  outreach: OutreachRecords | null;
}

/** What training coverage and publicity reach are derived from. */
export interface OutreachRecords {
  /** Staff users (those to be trained are picked out by coverageOf). */
  users: AudienceUser[];
  /** Attendance of every session (joined to people by user id, wherever they attended). */
  attendance: Pick<Attendance, 'userId' | 'sessionAudience' | 'attendedAt'>[];
  /** Publicity deliveries (the inbox) of the scope's divisions. */
  deliveries: Pick<
    Delivery,
    'userId' | 'itemType' | 'divisionCode' | 'requiresAck' | 'deliveredAt' | 'readAt' | 'ackAt'
  >[];
}

/** The days a figure counts and the instant its state figures are taken at. */
export interface ReportWindow extends DateRange {
  /** ISO instant: the end of `to`, or the moment of computing if earlier. */
  asOf: string;
}

/** The records of some divisions only (certificates follow their subject). */
export function recordsWithin(records: ReportRecords, codes: readonly string[]): ReportRecords {
  const set = new Set(codes);
  const subjects = records.subjects.filter((s) => set.has(s.divisionCode));
  const ids = new Set(subjects.map((s) => s._id));
  const mine = <T extends { divisionCode: string }>(list: T[]) =>
    list.filter((r) => set.has(r.divisionCode));
  return {
    subjects,
    certificates: records.certificates.filter((c) => ids.has(c.subjectId)),
    marketEntries: mine(records.marketEntries),
    patrols: mine(records.patrols),
    samples: mine(records.samples),
    keySupervision: mine(records.keySupervision),
    rectifications: mine(records.rectifications),
    outreach: records.outreach && {
      users: records.outreach.users.filter((u) => set.has(staffDivisionOf(u))),
      attendance: records.outreach.attendance,
      deliveries: mine(records.outreach.deliveries),
    },
  };
}

/**
 * 在册 at an instant: entered by then, and neither retired by then nor folded into another
 * subject (一人多身份: the merged one was never a separate party). Rejected registrations were
 * never in the directory.
 */
export function inDirectoryAt(
  s: Pick<Subject, 'status' | 'createdAt' | 'retiredAt' | 'mergedInto'>,
  at: string,
): boolean {
  if (s.mergedInto || s.status === 'rejected' || s.createdAt > at) return false;
  if (s.status === 'retired') return !!s.retiredAt && s.retiredAt > at;
  return true;
}

/** 在册 at some time in a range of days. */
export function inDirectoryDuring(
  s: Pick<Subject, 'status' | 'createdAt' | 'retiredAt' | 'mergedInto'>,
  r: DateRange,
): boolean {
  if (s.mergedInto || s.status === 'rejected' || chinaDay(s.createdAt) > r.to) return false;
  if (s.status === 'retired') return !!s.retiredAt && chinaDay(s.retiredAt) >= r.from;
  return true;
}

/** Producers: every subject type but buyers (收购商), who re-issue rather than produce. */
export const isProducer = (s: Pick<Subject, 'type'>) => s.type !== 'buyer';

interface Episode {
  since: string;
  liftedAt: string | null;
  reason: KeySupervisionReason;
}

/** Every stretch a subject spent on the key-supervision list, the current one last. */
export function keyEpisodes(k: KeySupervision): Episode[] {
  return [
    ...k.history.map((h) => ({ since: h.since, liftedAt: h.liftedAt, reason: h.reason })),
    { since: k.since, liftedAt: k.status === 'lifted' ? k.liftedAt : null, reason: k.reason },
  ];
}

/** On the key-supervision list at an instant. */
export function keyActiveAt(k: KeySupervision, at: string): boolean {
  return keyEpisodes(k).some((e) => e.since <= at && (!e.liftedAt || e.liftedAt > at));
}

/**
 * A case's status at an instant, from what its record keeps: closed once `closedAt` has passed;
 * submitted when its last submission came after the last 退回 before the instant; else open.
 * Only the latest submission is on the record, so a case sent back and resubmitted after the
 * instant shows as open at it even if an earlier submission was waiting then. Null before it
 * was opened.
 */
export function rectificationStatusAt(c: Rectification, at: string): RectificationStatus | null {
  if (c.openedAt > at) return null;
  if (c.closedAt && c.closedAt <= at) return 'closed';
  const lastReopen = c.signOffs
    .filter((s) => s.decision === 'reopen' && s.at <= at)
    .reduce<string>((m, s) => (s.at > m ? s.at : m), '');
  if (c.submittedAt && c.submittedAt <= at && c.submittedAt > lastReopen) return 'submitted';
  return 'open';
}

/** 逾期 at an instant: not closed by then and past its deadline (the latest one set). */
export function rectificationOverdueAt(c: Rectification, at: string): boolean {
  const status = rectificationStatusAt(c, at);
  return status !== null && status !== 'closed' && chinaDay(at) > c.deadline;
}

/** 按期销号: closed on or before its deadline (China date). */
export function closedOnTime(c: Rectification): boolean {
  return c.status === 'closed' && !!c.closedAt && chinaDay(c.closedAt) <= c.deadline;
}

// --- selectors: what each figure counts -------------------------------------------------------

/** The window a drill's month narrows to (empty when the month lies outside the period). */
export function narrowWindow(w: ReportWindow, month: string | undefined): ReportWindow | null {
  if (!month) return w;
  const o = overlapOf(monthRange(month), w);
  return o ? { ...o, asOf: w.asOf } : null;
}

export function selectSubjects(r: ReportRecords, w: ReportWindow, p: DrillParams): Subject[] {
  return r.subjects
    .filter(
      (s) =>
        inDirectoryAt(s, w.asOf) &&
        (!p.type || s.type === p.type) &&
        (p.aboveScale === undefined || s.aboveScale === p.aboveScale),
    )
    .sort(byName);
}

/** One above-scale producer and what it issued in the window. */
export interface AboveScaleRow {
  subject: Subject;
  certificates: number;
  labels: number;
  issuing: boolean;
}

/** 规模以上生产主体 in the directory during the window, with their certificates in it. */
export function selectAboveScale(r: ReportRecords, w: DateRange, p: DrillParams): AboveScaleRow[] {
  const issued = new Map<string, { certificates: number; labels: number }>();
  for (const c of r.certificates) {
    if (!within(c.issueDate, w)) continue;
    const e = issued.get(c.subjectId) ?? { certificates: 0, labels: 0 };
    e.certificates++;
    e.labels += c.count;
    issued.set(c.subjectId, e);
  }
  return r.subjects
    .filter((s) => isProducer(s) && s.aboveScale && inDirectoryDuring(s, w))
    .map((subject) => {
      const e = issued.get(subject._id) ?? { certificates: 0, labels: 0 };
      return { subject, ...e, issuing: e.certificates > 0 };
    })
    .filter((row) => p.issuing === undefined || row.issuing === p.issuing)
    .sort((a, b) => byName(a.subject, b.subject));
}

/** Certificates issued (开具日期) in the window; a revoked one was still issued. */
export function selectCertificates(r: ReportRecords, w: DateRange, p: DrillParams): Certificate[] {
  return r.certificates
    .filter(
      (c) =>
        within(c.issueDate, w) &&
        (p.productName === undefined || productKey(c.productName) === p.productName) &&
        (!p.category || productCategoryOf(c.productName) === p.category) &&
        (!p.issueUnit || c.issueUnit === p.issueUnit) &&
        (!p.certificateStatus || c.status === p.certificateStatus),
    )
    .sort((a, b) => b.issueDate.localeCompare(a.issueDate) || b.issuedAt.localeCompare(a.issuedAt));
}

export function selectMarketEntries(r: ReportRecords, w: DateRange, p: DrillParams): MarketEntry[] {
  return r.marketEntries
    .filter((e) => {
      if (!within(chinaDay(e.at), w)) return false;
      if (p.kind && e.kind !== p.kind) return false;
      if (
        p.samplingStatus &&
        (e.kind !== 'no_certificate' || e.samplingStatus !== p.samplingStatus)
      )
        return false;
      if (p.sampled !== undefined) {
        const sampled = e.kind === 'no_certificate' && e.samplingStatus !== 'pending';
        if (e.kind !== 'no_certificate' || sampled !== p.sampled) return false;
      }
      return true;
    })
    .sort((a, b) => b.at.localeCompare(a.at));
}

export function selectPatrols(r: ReportRecords, w: DateRange): Patrol[] {
  return r.patrols
    .filter((x) => within(x.date, w))
    .sort((a, b) => b.date.localeCompare(a.date) || b.at.localeCompare(a.at));
}

export function selectSamples(r: ReportRecords, w: DateRange, p: DrillParams): Sample[] {
  return r.samples
    .filter(
      (s) =>
        within(s.sampledOn, w) &&
        (!p.result || s.result === p.result) &&
        (p.promiseContradicted === undefined || s.promiseContradicted === p.promiseContradicted),
    )
    .sort((a, b) => b.sampledOn.localeCompare(a.sampledOn) || b.at.localeCompare(a.at));
}

/** On the list at the window's end, or (placedInPeriod) placed on it within the window. */
export function selectKeySupervision(
  r: ReportRecords,
  w: ReportWindow,
  p: DrillParams,
): KeySupervision[] {
  return r.keySupervision
    .filter((k) =>
      p.placedInPeriod
        ? keyEpisodes(k).some((e) => e.since <= w.asOf && within(chinaDay(e.since), w))
        : keyActiveAt(k, w.asOf),
    )
    .sort((a, b) => b.since.localeCompare(a.since));
}

/**
 * Cases opened within the window (or, outstanding, every case not closed at its end), by their
 * status and overdue state at the window's end.
 */
export function selectRectifications(
  r: ReportRecords,
  w: ReportWindow,
  p: DrillParams,
): Rectification[] {
  return r.rectifications
    .filter((c) => {
      const status = rectificationStatusAt(c, w.asOf);
      if (status === null) return false;
      if (p.outstanding) {
        if (status === 'closed') return false;
      } else if (!within(chinaDay(c.openedAt), w)) {
        return false;
      }
      if (p.status && status !== p.status) return false;
      if (p.overdue !== undefined && rectificationOverdueAt(c, w.asOf) !== p.overdue) return false;
      return true;
    })
    .sort((a, b) => a.deadline.localeCompare(b.deadline) || a.openedAt.localeCompare(b.openedAt));
}

const byName = (a: Pick<Subject, 'name' | '_id'>, b: Pick<Subject, 'name' | '_id'>) =>
  a.name.localeCompare(b.name, 'zh-Hans-CN') || (a._id < b._id ? -1 : 1);

/** A product name as grouped: as written, trimmed, full-width characters folded. */
export function productKey(name: string): string {
  return name.normalize('NFKC').trim();
}

// --- figures ------------------------------------------------------------------------------------

/** A count and where its records are. */
export interface CountFigure {
  count: number;
  drill: DrillRef;
}

/** A share (0–1, null without a denominator) as people read it. */
export function percentText(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

const shareOf = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** A figure the records cannot give yet, and why. */
export interface Unavailable {
  available: false;
  reason: string;
}

/** Trained and to be trained, as a share. */
export interface CoverageFigure {
  total: number;
  trained: number;
  share: number | null;
  shareText: string;
  drill: DrillRef;
  /** Those not yet trained. */
  untrained: CountFigure;
}

/**
 * 培训覆盖 at the period's end (outreach's coverage rule): every supervisor, enforcement officer
 * and coordinator trained at least once; every subject whose operator attended a producers'
 * session.
 */
export type TrainingFigure =
  Unavailable | { available: true; staff: CoverageFigure; producers: CoverageFigure };

/**
 * 宣传触达 — the 告知书 and 明白纸 in every producer's hands: producers in the directory at the
 * period's end whose operator confirmed 已阅知 on one; and the period's publicity deliveries.
 */
export type PublicityFigure =
  | Unavailable
  | {
      available: true;
      producers: CountFigure;
      reached: CountFigure;
      share: number | null;
      shareText: string;
      /** Of the producers, imported ones nobody operates yet: no inbox to reach in the app. */
      unclaimed: number;
      /** Publicity delivered to inboxes in the scope within the period, read, confirmed. */
      deliveries: { delivered: number; read: number; acknowledged: number };
    };

/** What the report knows of outreach for a scope (training, publicity, untrained staff). */
export interface OutreachFigures {
  training: TrainingFigure;
  publicity: PublicityFigure;
  untrainedStaff: Unavailable | { available: true; items: StaffCoverageRow[] };
}

const noOutreach: Unavailable = {
  available: false,
  reason: '该运行环境没有宣传培训记录，无法统计',
};

/** Training coverage of a scope's records at the window's end (null without outreach). */
export function trainingCoverageOf(r: ReportRecords, w: ReportWindow) {
  if (!r.outreach) return null;
  return coverageOf({
    users: r.outreach.users,
    subjects: r.subjects.filter((s) => inDirectoryAt(s, w.asOf)),
    attendance: r.outreach.attendance.filter(
      (a) => a.attendedAt !== null && a.attendedAt <= w.asOf,
    ),
    inScope: () => true,
  });
}

/** One producer and whether the 告知书/明白纸 reached it (its operator confirmed 已阅知). */
export interface PublicityRow {
  subject: StaffSubjectView;
  reached: boolean;
  /** The first confirmation by its operator, up to the window's end. */
  acknowledgedAt: string | null;
}

/** Producers in the directory at the window's end and whether publicity reached them. */
export function publicityRows(r: ReportRecords, w: ReportWindow): PublicityRow[] | null {
  if (!r.outreach) return null;
  const firstAck = new Map<string, string>();
  for (const d of r.outreach.deliveries) {
    if (d.itemType !== 'publicity' || !d.requiresAck || !d.ackAt || d.ackAt > w.asOf) continue;
    const seen = firstAck.get(d.userId);
    if (!seen || d.ackAt < seen) firstAck.set(d.userId, d.ackAt);
  }
  return r.subjects
    .filter((s) => isProducer(s) && inDirectoryAt(s, w.asOf))
    .sort(byName)
    .map((s) => {
      const at = s.ownerId ? (firstAck.get(s.ownerId) ?? null) : null;
      return { subject: staffSubjectView(s), reached: at !== null, acknowledgedAt: at };
    });
}

/** Training and publicity figures of a scope's records (unavailable without outreach records). */
export function outreachFiguresOf(
  r: ReportRecords,
  w: ReportWindow,
  base: DrillParams,
): OutreachFigures {
  const coverage = trainingCoverageOf(r, w);
  const rows = publicityRows(r, w);
  if (!coverage || !rows || !r.outreach) {
    return { training: noOutreach, publicity: noOutreach, untrainedStaff: noOutreach };
  }
  const train = (extra: DrillParams): DrillRef => ({
    figure: 'training',
    params: { ...base, ...extra },
  });
  const figure = (
    c: { total: number; trained: number },
    recipient: 'staff' | 'producer',
  ): CoverageFigure => {
    const share = shareOf(c.trained, c.total);
    return {
      total: c.total,
      trained: c.trained,
      share,
      shareText: percentText(share),
      drill: train({ recipient }),
      untrained: { count: c.total - c.trained, drill: train({ recipient, trained: false }) },
    };
  };
  const reached = rows.filter((x) => x.reached).length;
  const share = shareOf(reached, rows.length);
  const inWindow = r.outreach.deliveries.filter(
    (d) =>
      d.itemType === 'publicity' && within(chinaDay(d.deliveredAt), w) && d.deliveredAt <= w.asOf,
  );
  const pub = (extra: DrillParams): DrillRef => ({
    figure: 'publicity',
    params: { ...base, ...extra },
  });
  return {
    training: {
      available: true,
      staff: figure(coverage.staff, 'staff'),
      producers: figure(coverage.producers, 'producer'),
    },
    publicity: {
      available: true,
      producers: { count: rows.length, drill: pub({}) },
      reached: { count: reached, drill: pub({ reached: true }) },
      share,
      shareText: percentText(share),
      unclaimed: rows.filter((x) => x.subject.unclaimed).length,
      deliveries: {
        delivered: inWindow.length,
        read: inWindow.filter((d) => d.readAt !== null && d.readAt <= w.asOf).length,
        acknowledged: inWindow.filter((d) => d.requiresAck && d.ackAt !== null && d.ackAt <= w.asOf)
          .length,
      },
    },
    untrainedStaff: {
      available: true,
      items: coverage.staff.rows.filter((x) => !x.trained),
    },
  };
}

export interface DivisionRow {
  divisionCode: string;
  divisionName: string;
  total: number;
  byType: Record<SubjectType, number>;
  aboveScale: number;
  drill: DrillRef;
}

export interface Dashboard {
  /** The moment the figures were derived. */
  computedAt: string;
  /** The division (null: the whole district) and the period. */
  divisionCode: string | null;
  divisionName: string;
  from: string;
  to: string;
  /** State figures (directory, key supervision, rectification status) are taken at this instant. */
  asOf: string;
  months: string[];
  directory: {
    total: CountFigure;
    aboveScale: CountFigure;
    byType: { type: SubjectType; label: string; count: number; drill: DrillRef }[];
    byDivision: DivisionRow[];
  };
  /** 规模以上主体开证率: the plan's goal is all of them within three years. */
  coverage: {
    aboveScale: CountFigure;
    issuing: CountFigure;
    notIssuing: CountFigure;
    share: number | null;
    shareText: string;
    byMonth: {
      month: string;
      aboveScale: number;
      issuing: number;
      share: number | null;
      shareText: string;
      drill: DrillRef;
    }[];
  };
  certificates: {
    records: CountFigure;
    labels: number;
    revoked: CountFigure & { labels: number };
    byMonth: { month: string; records: number; labels: number; drill: DrillRef }[];
    /** 产品品类, derived from each certificate's product name by its keywords. */
    byCategory: {
      category: ProductCategory;
      label: string;
      records: number;
      labels: number;
      drill: DrillRef;
    }[];
    /** By product name as written (trimmed, full-width folded), most issued first. */
    byProduct: { productName: string; records: number; labels: number; drill: DrillRef }[];
    byIssueUnit: {
      issueUnit: IssueUnit;
      label: string;
      records: number;
      labels: number;
      drill: DrillRef;
    }[];
  };
  /** 凭证入市率 (market entries of markets in scope). */
  market: AcceptanceRate & {
    drill: DrillRef;
    withCertificateDrill: DrillRef;
    withoutCertificateDrill: DrillRef;
    sampledDrill: DrillRef;
    failedDrill: DrillRef;
  };
  supervision: {
    patrols: CountFigure;
    /** Supervision samples (market samples are in `market`). */
    samples: CountFigure;
    failures: CountFigure;
    promisesContradicted: CountFigure;
  };
  keySupervision: { active: CountFigure; placedInPeriod: CountFigure };
  rectifications: {
    /** Cases opened in the period, by their status at `asOf`. */
    opened: CountFigure;
    open: CountFigure;
    submitted: CountFigure;
    closed: CountFigure;
    overdue: CountFigure;
    /** Every case not closed at `asOf`, whenever opened, and of those the overdue. */
    outstanding: CountFigure;
    outstandingOverdue: CountFigure;
  };
  training: TrainingFigure;
  publicity: PublicityFigure;
}

export interface DashboardScope {
  /** The division asked for; null for the whole district. */
  divisionCode: string | null;
  /** The divisions whose rows `byDivision` shows. */
  rows: readonly Division[];
  divisions?: readonly Division[];
}

/** Every figure of the dashboard from the records of the scope. */
export function dashboardOf(
  r: ReportRecords,
  scope: DashboardScope,
  w: ReportWindow,
  computedAt: string,
): Dashboard {
  const divisions = scope.divisions ?? lianyunDivisions;
  const base: DrillParams = {
    ...(scope.divisionCode ? { divisionCode: scope.divisionCode } : {}),
    from: w.from,
    to: w.to,
  };
  const ref = (figure: DrillFigure, extra: DrillParams = {}): DrillRef => ({
    figure,
    params: { ...base, ...extra },
  });
  const count = (figure: DrillFigure, n: number, extra: DrillParams = {}): CountFigure => ({
    count: n,
    drill: ref(figure, extra),
  });

  // Directory, at asOf.
  const inDirectory = selectSubjects(r, w, {});
  const byType = subjectTypeCodes.map((type) => ({
    type,
    label: subjectTypes[type],
    count: inDirectory.filter((s) => s.type === type).length,
    drill: ref('subjects', { type }),
  }));
  const byDivision = scope.rows.map((d): DivisionRow => {
    const here = inDirectory.filter((s) => s.divisionCode === d.code);
    return {
      divisionCode: d.code,
      divisionName: d.name,
      total: here.length,
      byType: Object.fromEntries(
        subjectTypeCodes.map((t) => [t, here.filter((s) => s.type === t).length]),
      ) as Record<SubjectType, number>,
      aboveScale: here.filter((s) => s.aboveScale).length,
      drill: { figure: 'subjects', params: { ...base, divisionCode: d.code } },
    };
  });

  // Coverage of above-scale producers.
  const above = selectAboveScale(r, w, {});
  const issuing = above.filter((a) => a.issuing).length;
  const months = monthsBetween(w.from, w.to);
  const coverageByMonth = months.map((month) => {
    const mw = narrowWindow(w, month) ?? w;
    const rows = selectAboveScale(r, mw, {});
    const n = rows.filter((a) => a.issuing).length;
    const share = shareOf(n, rows.length);
    return {
      month,
      aboveScale: rows.length,
      issuing: n,
      share,
      shareText: percentText(share),
      drill: ref('aboveScale', { month }),
    };
  });

  // Certificates.
  const certs = selectCertificates(r, w, {});
  const labels = (list: Certificate[]) => list.reduce((sum, c) => sum + c.count, 0);
  const revoked = certs.filter((c) => c.status === 'revoked');
  const products = new Map<string, Certificate[]>();
  for (const c of certs) {
    const key = productKey(c.productName);
    products.set(key, [...(products.get(key) ?? []), c]);
  }

  // Market.
  const entries = selectMarketEntries(r, w, {});
  const rate = acceptanceRateOf(entries);

  // Supervision.
  const samples = selectSamples(r, w, {});

  // Rectifications.
  const rect = (extra: DrillParams) => selectRectifications(r, w, extra).length;

  const outreach = outreachFiguresOf(r, w, base);
  const share = shareOf(issuing, above.length);
  return {
    computedAt,
    divisionCode: scope.divisionCode,
    divisionName: scope.divisionCode
      ? (divisionName(divisions, scope.divisionCode) ?? scope.divisionCode)
      : (divisions.find((d) => d.kind === 'district')?.name ?? '全区'),
    from: w.from,
    to: w.to,
    asOf: w.asOf,
    months,
    directory: {
      total: count('subjects', inDirectory.length),
      aboveScale: count('subjects', inDirectory.filter((s) => s.aboveScale).length, {
        aboveScale: true,
      }),
      byType,
      byDivision,
    },
    coverage: {
      aboveScale: count('aboveScale', above.length),
      issuing: count('aboveScale', issuing, { issuing: true }),
      notIssuing: count('aboveScale', above.length - issuing, { issuing: false }),
      share,
      shareText: percentText(share),
      byMonth: coverageByMonth,
    },
    certificates: {
      records: count('certificates', certs.length),
      labels: labels(certs),
      revoked: {
        ...count('certificates', revoked.length, { certificateStatus: 'revoked' }),
        labels: labels(revoked),
      },
      byMonth: months.map((month) => {
        const list = certs.filter((c) => c.issueDate.startsWith(month));
        return {
          month,
          records: list.length,
          labels: labels(list),
          drill: ref('certificates', { month }),
        };
      }),
      byCategory: productCategoryCodes.map((category) => {
        const list = certs.filter((c) => productCategoryOf(c.productName) === category);
        return {
          category,
          label: productCategories[category],
          records: list.length,
          labels: labels(list),
          drill: ref('certificates', { category }),
        };
      }),
      byProduct: [...products.entries()]
        .map(([productName, list]) => ({
          productName,
          records: list.length,
          labels: labels(list),
          drill: ref('certificates', { productName }),
        }))
        .sort(
          (a, b) =>
            b.records - a.records ||
            b.labels - a.labels ||
            a.productName.localeCompare(b.productName, 'zh-Hans-CN'),
        ),
      byIssueUnit: issueUnitCodes.map((issueUnit) => {
        const list = certs.filter((c) => c.issueUnit === issueUnit);
        return {
          issueUnit,
          label: issueUnits[issueUnit],
          records: list.length,
          labels: labels(list),
          drill: ref('certificates', { issueUnit }),
        };
      }),
    },
    market: {
      ...rate,
      drill: ref('marketEntries'),
      withCertificateDrill: ref('marketEntries', { kind: 'accepted' }),
      withoutCertificateDrill: ref('marketEntries', { kind: 'no_certificate' }),
      sampledDrill: ref('marketEntries', { sampled: true }),
      failedDrill: ref('marketEntries', { samplingStatus: 'failed' }),
    },
    supervision: {
      patrols: count('patrols', selectPatrols(r, w).length),
      samples: count('samples', samples.length),
      failures: count('samples', samples.filter((s) => s.result === 'fail').length, {
        result: 'fail',
      }),
      promisesContradicted: count('samples', samples.filter((s) => s.promiseContradicted).length, {
        promiseContradicted: true,
      }),
    },
    keySupervision: {
      active: count('keySupervision', selectKeySupervision(r, w, {}).length),
      placedInPeriod: count(
        'keySupervision',
        selectKeySupervision(r, w, { placedInPeriod: true }).length,
        { placedInPeriod: true },
      ),
    },
    rectifications: {
      opened: count('rectifications', rect({})),
      open: count('rectifications', rect({ status: 'open' }), { status: 'open' }),
      submitted: count('rectifications', rect({ status: 'submitted' }), { status: 'submitted' }),
      closed: count('rectifications', rect({ status: 'closed' }), { status: 'closed' }),
      overdue: count('rectifications', rect({ overdue: true }), { overdue: true }),
      outstanding: count('rectifications', rect({ outstanding: true }), { outstanding: true }),
      outstandingOverdue: count('rectifications', rect({ outstanding: true, overdue: true }), {
        outstanding: true,
        overdue: true,
      }),
    },
    training: outreach.training,
    publicity: outreach.publicity,
  };
}

// --- drill items --------------------------------------------------------------------------------

/** A rectification as a drill lists it: its status and overdue state at the window's end. */
export type RectificationAt = Rectification & {
  statusAt: RectificationStatus;
  statusLabel: string;
  reasonLabel: string;
  overdue: boolean;
};

/** A key-supervision record as a drill lists it. */
export type KeySupervisionItem = KeySupervision & {
  subjectName: string;
  reasonLabel: string;
  activeAtEnd: boolean;
};

export type DrillItem =
  | StaffSubjectView
  | (Omit<AboveScaleRow, 'subject'> & { subject: StaffSubjectView })
  | Certificate
  | MarketEntry
  | Patrol
  | Sample
  | KeySupervisionItem
  | RectificationAt
  | StaffCoverageRow
  | SubjectCoverageRow
  | PublicityRow;

/** The records behind a figure, in the order lists show them. */
export function drillItems(
  records: ReportRecords,
  figure: DrillFigure,
  params: DrillParams,
  window: ReportWindow,
  divisions: readonly Division[] = lianyunDivisions,
): DrillItem[] {
  const w = narrowWindow(window, params.month);
  if (!w) return [];
  const root = params.divisionCode;
  const r = root
    ? recordsWithin(
        records,
        divisions.filter((d) => isWithinDivision(divisions, d.code, root)).map((d) => d.code),
      )
    : records;
  switch (figure) {
    case 'subjects':
      return selectSubjects(r, w, params).map(staffSubjectView);
    case 'aboveScale':
      return selectAboveScale(r, w, params).map((row) => ({
        ...row,
        subject: staffSubjectView(row.subject),
      }));
    case 'certificates':
      return selectCertificates(r, w, params);
    case 'marketEntries':
      return selectMarketEntries(r, w, params);
    case 'patrols':
      return selectPatrols(r, w);
    case 'samples':
      return selectSamples(r, w, params);
    case 'keySupervision': {
      const names = new Map(r.subjects.map((s) => [s._id, s.name]));
      return selectKeySupervision(r, w, params).map((k) => ({
        ...k,
        subjectName: names.get(k.subjectId) ?? '',
        reasonLabel: keySupervisionReasons[k.reason],
        activeAtEnd: keyActiveAt(k, w.asOf),
      }));
    }
    case 'rectifications':
      return selectRectifications(r, w, params).map((c) => rectificationAt(c, w.asOf));
    case 'training': {
      const coverage = trainingCoverageOf(r, w);
      if (!coverage) return [];
      const rows: (StaffCoverageRow | SubjectCoverageRow)[] =
        params.recipient === 'producer' ? coverage.producers.rows : coverage.staff.rows;
      return rows.filter((x) => params.trained === undefined || x.trained === params.trained);
    }
    case 'publicity':
      return (publicityRows(r, w) ?? []).filter(
        (x) => params.reached === undefined || x.reached === params.reached,
      );
  }
}

export function rectificationAt(c: Rectification, at: string): RectificationAt {
  const statusAt = rectificationStatusAt(c, at) ?? 'open';
  return {
    ...c,
    statusAt,
    statusLabel: rectificationStatuses[statusAt],
    reasonLabel: rectificationReasons[c.reason],
    overdue: rectificationOverdueAt(c, at),
  };
}

// --- key figures, changes, roll-up ------------------------------------------------------------

/** The figures a summary snapshots, compares and rolls up, and what each is called. */
export const keyFigureLabels = {
  subjects: '名录主体（家）',
  aboveScale: '规模以上生产主体（家）',
  aboveScaleIssuing: '规模以上开证主体（家）',
  issuingShare: '规模以上主体开证率',
  certificates: '开具合格证（张）',
  labels: '合格证标签（份）',
  marketArrivals: '市场到货（批次）',
  marketWithCertificate: '凭证入市（批次）',
  acceptanceRate: '凭证入市率',
  patrols: '巡查（次）',
  samples: '抽检（批次）',
  failures: '抽检不合格（批次）',
  promisesContradicted: '承诺与抽检结果不符（批次）',
  keySupervisionActive: '重点监管主体（家，期末）',
  rectificationsOpened: '新开整改（件）',
  rectificationsClosed: '其中已销号（件）',
  rectificationsOverdue: '逾期未销号整改（件，期末）',
  staffTrainingCoverage: '监管人员培训覆盖率（期末）',
  producerTrainingCoverage: '生产主体培训覆盖率（期末）',
  publicityReach: '告知书/明白纸确认率（期末）',
} as const;
export type KeyFigure = keyof typeof keyFigureLabels;
export type KeyFigures = Record<KeyFigure, number | null>;
export const keyFigureNames = Object.keys(keyFigureLabels) as KeyFigure[];

/** Shares (0–1) among the key figures; the rest are counts. */
export const rateFigures: ReadonlySet<KeyFigure> = new Set([
  'issuingShare',
  'acceptanceRate',
  'staffTrainingCoverage',
  'producerTrainingCoverage',
  'publicityReach',
]);

export const keyFiguresSchema = z.object(
  Object.fromEntries(keyFigureNames.map((k) => [k, z.nullable(z.number())])) as Record<
    KeyFigure,
    z.ZodMiniNullable<z.ZodMiniNumber>
  >,
);

export function keyFiguresOf(d: Dashboard): KeyFigures {
  return {
    subjects: d.directory.total.count,
    aboveScale: d.coverage.aboveScale.count,
    aboveScaleIssuing: d.coverage.issuing.count,
    issuingShare: d.coverage.share,
    certificates: d.certificates.records.count,
    labels: d.certificates.labels,
    marketArrivals: d.market.arrivals,
    marketWithCertificate: d.market.withCertificate,
    acceptanceRate: d.market.rate,
    patrols: d.supervision.patrols.count,
    samples: d.supervision.samples.count,
    failures: d.supervision.failures.count,
    promisesContradicted: d.supervision.promisesContradicted.count,
    keySupervisionActive: d.keySupervision.active.count,
    rectificationsOpened: d.rectifications.opened.count,
    rectificationsClosed: d.rectifications.closed.count,
    rectificationsOverdue: d.rectifications.outstandingOverdue.count,
    staffTrainingCoverage: d.training.available ? d.training.staff.share : null,
    producerTrainingCoverage: d.training.available ? d.training.producers.share : null,
    publicityReach: d.publicity.available ? d.publicity.share : null,
  };
}

/** A key figure as people read it: a count, or a share as a percentage; — when unknown. */
export function keyFigureText(key: KeyFigure, value: number | null): string {
  if (value === null) return '—';
  return rateFigures.has(key) ? percentText(value) : String(value);
}

export interface FigureChange {
  key: KeyFigure;
  label: string;
  current: number | null;
  previous: number | null;
  /** current − previous (for shares, in fractions: 0.05 = 5 percentage points); null if unknown. */
  delta: number | null;
  /** +3, −2, +5.0 个百分点, 持平, — */
  deltaText: string;
  /** 增加 3, 减少 2, 上升 5.0 个百分点, 持平, — (for exports, where a leading + is a formula). */
  deltaWords: string;
}

/** 与上期比较 — each key figure against the previous period's. */
export function changesBetween(current: KeyFigures, previous: KeyFigures): FigureChange[] {
  return keyFigureNames.map((key) => {
    const c = current[key];
    const p = previous[key];
    const delta = c === null || p === null ? null : c - p;
    let deltaText = '—';
    let deltaWords = '—';
    if (delta !== null) {
      const rate = rateFigures.has(key);
      const size = rate ? Math.round(Math.abs(delta) * 1000) / 10 : Math.abs(delta);
      const amount = rate ? `${size.toFixed(1)} 个百分点` : String(size);
      if (size === 0) {
        deltaText = deltaWords = '持平';
      } else {
        deltaText = `${delta > 0 ? '+' : '−'}${amount}`;
        deltaWords = `${delta > 0 ? (rate ? '上升' : '增加') : rate ? '下降' : '减少'} ${amount}`;
      }
    }
    return {
      key,
      label: keyFigureLabels[key],
      current: c,
      previous: p,
      delta,
      deltaText,
      deltaWords,
    };
  });
}

// --- summaries ----------------------------------------------------------------------------------

export const summaryStatuses = { draft: '待报送', submitted: '已报送' } as const;
export type SummaryStatus = keyof typeof summaryStatuses;

/** 书面总结 as stored: one per street and period, its id fixed by both. */
export const summaryDocSchema = z.object({
  _id: z.string(),
  divisionCode: z.string(),
  /** The due date that names the period. */
  period: z.string(),
  from: z.string(),
  to: z.string(),
  /** The key figures when the draft was generated (the live ones are derived on request). */
  figures: keyFiguresSchema,
  narrative: z.object({ experience: z.string(), problems: z.string(), suggestions: z.string() }),
  status: z.enum(['draft', 'submitted']),
  generatedAt: z.string(),
  /** Who the draft was announced to (the division's supervisors at the time). */
  notified: z.array(z.string()),
  submittedAt: z.nullable(z.string()),
  submittedBy: z.nullable(z.string()),
});
export type SummaryDoc = z.infer<typeof summaryDocSchema>;

/** The id of a street's summary for a period: the same on every tick, so drafting is idempotent. */
export function summaryDocId(divisionCode: string, period: string): string {
  return `sum_${divisionCode}_${period}`;
}

export const emptyNarrative: Narrative = { experience: '', problems: '', suggestions: '' };

// --- assessment ---------------------------------------------------------------------------------

export interface AssessmentFacts {
  /** 规模以上主体开证率 over the period, null without above-scale producers. */
  coverage: number | null;
  /** Producers in the directory during the period, and of them patrolled / sampled at least once. */
  producers: number;
  producersPatrolled: number;
  producersSampled: number;
  patrols: number;
  samples: number;
  training: number | null;
  publicity: number | null;
  /** Cases whose deadline fell in the period (and has passed, or closed), closed by it. */
  rectificationsDue: number;
  rectificationsOnTime: number;
}

export interface AssessmentScore {
  parts: Record<
    AssessmentPart,
    { value: number | null; share: number | null; weight: number; earned: number | null }
  >;
  /** 0–100 over the parts that could be counted; null when none could. */
  score: number | null;
}

/** A street's assessment facts from its records over the window. */
export function assessmentFactsOf(r: ReportRecords, w: ReportWindow): AssessmentFacts {
  const outreach = outreachFiguresOf(r, w, {});
  const above = selectAboveScale(r, w, {});
  const producers = r.subjects.filter((s) => isProducer(s) && inDirectoryDuring(s, w));
  const ids = new Set(producers.map((s) => s._id));
  const patrols = selectPatrols(r, w);
  const samples = selectSamples(r, w, {});
  const today = chinaDay(w.asOf);
  const due = r.rectifications.filter(
    (c) => within(c.deadline, w) && (c.deadline < today || c.status === 'closed'),
  );
  return {
    coverage: shareOf(above.filter((a) => a.issuing).length, above.length),
    producers: producers.length,
    producersPatrolled: new Set(patrols.map((p) => p.subjectId).filter((id) => ids.has(id))).size,
    producersSampled: new Set(samples.map((s) => s.subjectId).filter((id) => ids.has(id))).size,
    patrols: patrols.length,
    samples: samples.length,
    training: outreach.training.available ? outreach.training.producers.share : null,
    publicity: outreach.publicity.available ? outreach.publicity.share : null,
    rectificationsDue: due.length,
    rectificationsOnTime: due.filter(closedOnTime).length,
  };
}

/** The weighted score of a street's facts (see assessmentPolicy). */
export function assessmentScore(f: AssessmentFacts): AssessmentScore {
  const { weights, targets } = assessmentPolicy;
  const values: Record<AssessmentPart, number | null> = {
    coverage: f.coverage,
    patrols: shareOf(f.producersPatrolled, f.producers),
    sampling: shareOf(f.producersSampled, f.producers),
    training: f.training,
    publicity: f.publicity,
    rectification: shareOf(f.rectificationsOnTime, f.rectificationsDue),
  };
  let earned = 0;
  let total = 0;
  const parts = {} as AssessmentScore['parts'];
  for (const part of Object.keys(weights) as AssessmentPart[]) {
    const value = values[part];
    const weight = weights[part];
    const share = value === null ? null : Math.min(1, value / targets[part]);
    parts[part] = { value, share, weight, earned: share === null ? null : share * weight };
    if (share !== null) {
      earned += share * weight;
      total += weight;
    }
  }
  return { parts, score: total > 0 ? Math.round((1000 * earned) / total) / 10 : null };
}

/** Competition ranking (1, 2, 2, 4) by score, highest first; unscored rows last, unranked. */
export function rankByScore<T extends { score: number | null }>(
  rows: readonly T[],
): (T & { rank: number | null })[] {
  const sorted = [...rows].sort(
    (a, b) => (b.score ?? -1) - (a.score ?? -1) || rows.indexOf(a) - rows.indexOf(b),
  );
  let rank = 0;
  let last: number | null = null;
  return sorted.map((row, i) => {
    if (row.score === null) return { ...row, rank: null };
    if (row.score !== last) {
      rank = i + 1;
      last = row.score;
    }
    return { ...row, rank };
  });
}
