/**
 * 约束激励 — certificate use as a precondition for awards, subsidies, green-base applications,
 * brand selection and credit ratings (district plan point 7): what the records say about one
 * subject over a period, and the statement printed from it. Pure rules; the report function
 * loads the subject's records and stores the statements.
 */
import * as z from 'zod/mini';
import type { Certificate } from './certificate';
import { formatSeason } from './directory';
import { divisionName, lianyunDivisions, type Division } from './division';
import {
  chinaDay,
  endOfChinaDay,
  inDirectoryDuring,
  keyActiveAt,
  keyEpisodes,
  monthLabel,
  monthRange,
  monthsBetween,
  overlapOf,
  periodCheck,
  rectificationAt,
  rectificationStatusAt,
  requiredPeriod,
  type DateRange,
  type ReportWindow,
} from './report';
import { maskedIdentity, subjectTypes, type Subject, type SubjectType } from './subject';
import {
  keySupervisionReasons,
  type KeySupervision,
  type Patrol,
  type Rectification,
  type Sample,
} from './supervision';

/**
 * 规律开具 — a subject issued certificates regularly over a period when every month it was due
 * to issue had at least `minCertificatesPerMonth` certificates (issued; a later revocation does
 * not undo that it issued). A month is due when it is a whole month of the period already over,
 * the subject was in the directory in it, and it is in the subject's declared season (no season
 * declared = all year). The part of a month inside the period counts as the month.
 */
export const compliancePolicy = {
  minCertificatesPerMonth: 1,
} as const;

/** 合规证明 of one subject over a period. */
export const complianceInputSchema = z
  .object({
    subjectId: z
      .string({ error: '请选择主体' })
      .check(z.minLength(1, { error: '请选择主体' }), z.maxLength(120)),
    ...requiredPeriod,
  })
  .check(periodCheck);

const within = (date: string, r: DateRange) => date >= r.from && date <= r.to;

export const complianceConclusions = {
  meets: '符合：按规定使用承诺达标合格证',
  does_not_meet: '不符合：存在未规律开证或违规情形',
  undetermined: '无法判断：统计期间内该主体没有应开证的月份',
} as const;
export type ComplianceConclusion = keyof typeof complianceConclusions;

export interface ComplianceMonth {
  month: string;
  /** Days of the month inside the period. */
  from: string;
  to: string;
  /** Whether the subject was due to issue in it (see compliancePolicy). */
  due: boolean;
  inSeason: boolean;
  certificates: number;
  labels: number;
}

/** 合规情况 — what the records say about one subject's use of certificates over a period. */
export interface ComplianceFindings {
  subject: {
    _id: string;
    name: string;
    type: SubjectType;
    typeLabel: string;
    identity: string;
    divisionCode: string;
    divisionName: string;
    seasonLabel: string;
    aboveScale: boolean;
  };
  from: string;
  to: string;
  asOf: string;
  issuance: {
    months: ComplianceMonth[];
    dueMonths: number;
    monthsIssued: number;
    missingMonths: string[];
    /** null when no month was due. */
    regular: boolean | null;
    certificates: number;
    labels: number;
    revoked: number;
  };
  sampling: {
    samples: number;
    failed: {
      sampleId: string;
      sampledOn: string;
      productName: string | null;
      failedItems: string[];
      promiseContradicted: boolean;
    }[];
    promisesContradicted: number;
  };
  /** 虚假开具合格证 found on patrols in the period (cases opened for it). */
  falseCertificates: { caseId: string; patrolId: string | null; openedOn: string; note: string }[];
  /** Patrols in the period that found certificates not issued as required. */
  patrolsNotIssuing: { patrolId: string; date: string; findings: string }[];
  keySupervision: {
    /** At the end of the period. */
    active: boolean;
    since: string | null;
    reasonLabel: string | null;
    /** Placed on the list within the period. */
    placedInPeriod: boolean;
  };
  rectifications: {
    caseId: string;
    reasonLabel: string;
    openedOn: string;
    deadline: string;
    statusLabel: string;
    overdue: boolean;
  }[];
  conclusion: ComplianceConclusion;
  conclusionLabel: string;
  /** Why it does not meet the precondition, one sentence each. */
  reasons: string[];
}

/** The records of one subject a compliance statement reads. */
export interface SubjectRecords {
  certificates: Certificate[];
  samples: Sample[];
  patrols: Patrol[];
  keySupervision: KeySupervision | null;
  rectifications: Rectification[];
}

/** The compliance findings of a subject over a window (see compliancePolicy). */
export function complianceOf(
  s: Subject,
  rec: SubjectRecords,
  w: ReportWindow,
  divisions: readonly Division[] = lianyunDivisions,
): ComplianceFindings {
  const season = s.seasonMonths ?? [];
  const months = monthsBetween(w.from, w.to).map((month): ComplianceMonth => {
    const days = overlapOf(monthRange(month), w) ?? monthRange(month);
    const list = rec.certificates.filter((c) => within(c.issueDate, days));
    const inSeason = season.length === 0 || season.includes(Number(month.slice(5, 7)));
    const over = endOfChinaDay(days.to) <= w.asOf;
    return {
      month,
      ...days,
      due: inSeason && over && inDirectoryDuring(s, days),
      inSeason,
      certificates: list.length,
      labels: list.reduce((n, c) => n + c.count, 0),
    };
  });
  const due = months.filter((m) => m.due);
  const missing = due.filter((m) => m.certificates < compliancePolicy.minCertificatesPerMonth);
  const inPeriod = rec.certificates.filter((c) => within(c.issueDate, w));
  const samples = rec.samples.filter((x) => within(x.sampledOn, w));
  const failed = samples.filter((x) => x.result === 'fail');
  const falseCases = rec.rectifications.filter(
    (c) =>
      c.reason === 'false_certificate' && within(chinaDay(c.openedAt), w) && c.openedAt <= w.asOf,
  );
  const notIssuing = rec.patrols.filter((p) => within(p.date, w) && !p.issuingCertificates);
  const k = rec.keySupervision;
  const active = k ? keyActiveAt(k, w.asOf) : false;
  const current = k
    ? keyEpisodes(k)
        .filter((e) => e.since <= w.asOf)
        .pop()
    : undefined;
  const cases = rec.rectifications
    .filter(
      (c) =>
        c.openedAt <= w.asOf &&
        (within(chinaDay(c.openedAt), w) || rectificationStatusAt(c, w.asOf) !== 'closed'),
    )
    .map((c) => rectificationAt(c, w.asOf));
  const open = cases.filter((c) => c.statusAt !== 'closed');

  const reasons: string[] = [];
  if (missing.length > 0) {
    reasons.push(`${missing.map((m) => monthLabel(m.month)).join('、')}在生产季节内未开具合格证`);
  }
  const contradicted = failed.filter((x) => x.promiseContradicted).length;
  if (contradicted > 0) reasons.push(`承诺与抽检结果不符 ${contradicted} 次`);
  if (falseCases.length > 0) reasons.push(`虚假开具合格证 ${falseCases.length} 次`);
  if (active) reasons.push('期末仍在重点监管名单中');
  if (open.length > 0) reasons.push(`有 ${open.length} 项整改尚未销号`);
  const regular = due.length === 0 ? null : missing.length === 0;
  const conclusion: ComplianceConclusion =
    reasons.length > 0 ? 'does_not_meet' : regular === null ? 'undetermined' : 'meets';

  return {
    subject: {
      _id: s._id,
      name: s.name,
      type: s.type,
      typeLabel: subjectTypes[s.type],
      identity: maskedIdentity(s),
      divisionCode: s.divisionCode,
      divisionName: divisionName(divisions, s.divisionCode) ?? s.divisionCode,
      seasonLabel: formatSeason(season),
      aboveScale: s.aboveScale,
    },
    from: w.from,
    to: w.to,
    asOf: w.asOf,
    issuance: {
      months,
      dueMonths: due.length,
      monthsIssued: due.length - missing.length,
      missingMonths: missing.map((m) => m.month),
      regular,
      certificates: inPeriod.length,
      labels: inPeriod.reduce((n, c) => n + c.count, 0),
      revoked: inPeriod.filter((c) => c.status === 'revoked').length,
    },
    sampling: {
      samples: samples.length,
      failed: failed.map((x) => ({
        sampleId: x._id,
        sampledOn: x.sampledOn,
        productName: x.productName,
        failedItems: x.items.filter((i) => i.result === 'fail').map((i) => i.item),
        promiseContradicted: x.promiseContradicted,
      })),
      promisesContradicted: contradicted,
    },
    falseCertificates: falseCases.map((c) => ({
      caseId: c._id,
      patrolId: c.patrolId,
      openedOn: chinaDay(c.openedAt),
      note: c.note,
    })),
    patrolsNotIssuing: notIssuing.map((p) => ({
      patrolId: p._id,
      date: p.date,
      findings: p.findings,
    })),
    keySupervision: {
      active,
      since: current?.since ?? null,
      reasonLabel: current ? keySupervisionReasons[current.reason] : null,
      placedInPeriod: k
        ? keyEpisodes(k).some((e) => e.since <= w.asOf && within(chinaDay(e.since), w))
        : false,
    },
    rectifications: cases.map((c) => ({
      caseId: c._id,
      reasonLabel: c.reasonLabel,
      openedOn: chinaDay(c.openedAt),
      deadline: c.deadline,
      statusLabel: c.statusLabel,
      overdue: c.overdue,
    })),
    conclusion,
    conclusionLabel: complianceConclusions[conclusion],
    reasons,
  };
}

/** 合规证明 as stored: what was found, when and by whom; the QR code points at it. */
export interface Statement {
  _id: string;
  subjectId: string;
  divisionCode: string;
  from: string;
  to: string;
  findings: ComplianceFindings;
  issuedAt: string;
  issuedBy: string;
  /** The issuing office as printed. */
  issuerName: string;
}

/** The URL a statement's QR code holds: `<base>/s/<id>?s=<signature>`. */
export function statementUrl(baseUrl: string, id: string, signature: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/s/${id}?s=${signature}`;
}

/** Statement ids: a prefix and 24 hex characters (unguessable, safe in a URL path). */
export const statementIdPattern = /^stm_[0-9a-f]{24}$/;
