/**
 * 主体名录 — the directory of producers as the street offices keep it: reviewing registrations,
 * rosters imported from spreadsheets, 一人多身份 (one party under several identities) and
 * 在册不运行 (registered but not operating). Pure rules only; the directory function does the I/O.
 */
import * as z from 'zod/mini';
import { divisionName, lianyunDivisions, type Division } from './division';
import {
  allowedIdentityKinds,
  identityKinds,
  seasonMonthsSchema,
  subjectRegistrationSchema,
  subjectStatuses,
  subjectTypes,
  type IdentityKind,
  type Subject,
  type SubjectStatus,
  type SubjectType,
} from './subject';

/** A registration after parsing: what an action or an import row yields. */
export type ValidRegistration = z.output<typeof subjectRegistrationSchema>;

const subjectIdSchema = z
  .string({ error: '请选择主体' })
  .check(z.minLength(1, { error: '请选择主体' }), z.maxLength(80, { error: '主体编号不正确' }));

const reasonSchema = (what: string) =>
  z
    .string({ error: `请填写${what}` })
    .check(
      z.trim(),
      z.minLength(2, { error: `请填写${what}（至少 2 个字）` }),
      z.maxLength(200, { error: `${what}最多 200 个字` }),
    );

const divisionFilterSchema = z.optional(
  z.string().check(z.regex(/^\d{6}(\d{3})?$/, { error: '区划代码为 6 位或 9 位数字' })),
);

// --- review -----------------------------------------------------------------------------------

/** 审核结论 */
export const reviewDecisions = {
  approve: '审核通过',
  request_changes: '退回修改',
  reject: '不予通过',
} as const;
export type ReviewDecision = keyof typeof reviewDecisions;
const reviewDecisionCodes = Object.keys(reviewDecisions) as [ReviewDecision, ...ReviewDecision[]];

export const reviewInputSchema = z
  .object({
    subjectId: subjectIdSchema,
    decision: z.enum(reviewDecisionCodes, { error: '请选择审核结论' }),
    /** 审核意见: the producer sees it; required unless approving. */
    reason: z.optional(
      z.string().check(z.trim(), z.maxLength(200, { error: '审核意见最多 200 个字' })),
    ),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.decision !== 'approve' && (v.reason ?? '').length < 2) {
        ctx.addIssue({
          code: 'custom',
          path: ['reason'],
          message: `${reviewDecisions[v.decision]}时请填写原因（至少 2 个字），主体会看到它`,
        });
      }
    }),
  );
export type ReviewInput = z.input<typeof reviewInputSchema>;

export function statusAfterReview(decision: ReviewDecision): SubjectStatus {
  return decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'registered';
}

/** When the subject was last put before a reviewer. */
export function submittedAtOf(s: Pick<Subject, 'submittedAt' | 'createdAt'>): string {
  return s.submittedAt ?? s.createdAt;
}

/** 待审核: registered, and not reviewed since it was last submitted (a returned one waits on its owner). */
export function isPendingReview(
  s: Pick<Subject, 'status' | 'submittedAt' | 'createdAt' | 'reviewedAt'>,
): boolean {
  return s.status === 'registered' && (!s.reviewedAt || submittedAtOf(s) > s.reviewedAt);
}

/** Whole days from `fromIso` to `now` (0 on the same day, never negative). */
export function daysSince(fromIso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(fromIso)) / 86_400_000));
}

/** Fields whose change sends an approved subject back to review: who it is and where. */
export const reviewedFields = ['type', 'name', 'identityKind', 'divisionCode'] as const;

// --- the owner's edit (subject.update) --------------------------------------------------------

const registrationShape = subjectRegistrationSchema.shape;

/**
 * 修改登记信息 — the owner's edit or resubmission: any registration field, each checked by the
 * registration rules; the ID number only when it changes (it is stored masked, so it is not
 * shown back to be re-typed).
 */
export const subjectUpdateInputSchema = z.object({
  subjectId: subjectIdSchema,
  type: z.optional(registrationShape.type),
  name: z.optional(registrationShape.name),
  identityKind: z.optional(registrationShape.identityKind),
  identityNumber: z.optional(registrationShape.identityNumber),
  contactName: z.optional(registrationShape.contactName),
  phone: z.optional(registrationShape.phone),
  address: z.optional(registrationShape.address),
  divisionCode: z.optional(registrationShape.divisionCode),
  products: z.optional(registrationShape.products),
  aboveScale: z.optional(z.boolean()),
  seasonMonths: z.optional(seasonMonthsSchema),
});
export type SubjectUpdateInput = z.input<typeof subjectUpdateInputSchema>;

/**
 * The message when a subject type does not take the identity kind it has; the same words as
 * the registration schema's.
 */
export function identityKindIssue(type: SubjectType, kind: IdentityKind): string | null {
  if (allowedIdentityKinds[type].includes(kind)) return null;
  return `${subjectTypes[type]}应填写${allowedIdentityKinds[type]
    .map((k) => identityKinds[k])
    .join('或')}`;
}

// --- history ----------------------------------------------------------------------------------

/** A subject as history keeps it: everything but the identity fingerprint. */
export type SubjectSnapshot = Omit<Subject, 'identityFingerprint'>;

export function subjectSnapshot(s: Subject): SubjectSnapshot {
  const { identityFingerprint: _fingerprint, ...rest } = s;
  return rest;
}

/** The fields that differ between two versions, `updatedAt` aside. */
export function changedFields(before: Subject | null, after: Subject | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  keys.delete('updatedAt');
  keys.delete('identityFingerprint');
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const changed = [...keys].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  // The masked display hides the middle digits: a new number may show the same.
  if (before && after && before.identityFingerprint !== after.identityFingerprint) {
    changed.push('identityNumber');
  }
  return changed.sort();
}

/** The audit detail of a change to a subject: before and after, and what changed. */
export function subjectChange(
  before: Subject | null,
  after: Subject | null,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...extra,
    before: before && subjectSnapshot(before),
    after: after && subjectSnapshot(after),
    changed: changedFields(before, after),
  };
}

/** What each audited action on a subject is called in its history. */
export const subjectHistoryActions: Record<string, string> = {
  'subject.register': '登记',
  'subject.update': '修改登记信息',
  'subject.claim': '认领导入的主体',
  'subject.review': '审核',
  'subject.import': '从名册导入',
  'subject.merge': '合并（并入其他主体）',
  'subject.mergeKeep': '合并（保留此主体）',
  'subject.dormantKeep': '确认仍在生产经营',
  'subject.dormantRetire': '注销（在册不运行）',
};

// --- staff views ------------------------------------------------------------------------------

/** A subject as staff of its division see it: as stored (ID numbers are masked at rest). */
export function staffSubjectView(s: Subject) {
  return {
    ...subjectSnapshot(s),
    typeLabel: subjectTypes[s.type],
    statusLabel: subjectStatuses[s.status],
    divisionName: divisionName(lianyunDivisions, s.divisionCode) ?? s.divisionCode,
    seasonLabel: formatSeason(s.seasonMonths ?? []),
    /** Imported by an office and not yet claimed by a WeChat user. */
    unclaimed: s.ownerId === '',
  };
}
export type StaffSubjectView = ReturnType<typeof staffSubjectView>;

/** Staff lists: an optional division within the caller's area. */
export const directoryListInputSchema = z.object({
  divisionCode: divisionFilterSchema,
  limit: z._default(z.int().check(z.gte(1), z.lte(1000)), 200),
});

export const subjectRefInputSchema = z.object({ subjectId: subjectIdSchema });

// --- seasons and dormancy (在册不运行) ----------------------------------------------------------

/** The month (1–12) of an instant in China time (UTC+8, no daylight saving). */
export function chinaMonth(at: Date): number {
  return new Date(at.getTime() + 8 * 3_600_000).getUTCMonth() + 1;
}

/** Whether `at` falls in the declared season; no season declared means all year. */
export function inSeason(seasonMonths: readonly number[] | undefined, at: Date): boolean {
  return !seasonMonths || seasonMonths.length === 0 || seasonMonths.includes(chinaMonth(at));
}

/**
 * Reads a season as people write it: 全年 (or blank), 3-10月, 3月至10月, 11-2月 (over the new
 * year), 3,4,5 or 3、5-7月. Null when it cannot be read.
 */
export function parseSeason(text: string): number[] | null {
  const t = text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[月份]/g, '')
    .replace(/[至到~—–－]/g, '-');
  if (t === '' || t === '全年' || t === '常年') return [];
  const months = new Set<number>();
  for (const part of t.split(/[,，、;；]/)) {
    if (part === '') continue;
    const range = /^(\d{1,2})-(\d{1,2})$/.exec(part);
    const single = /^(\d{1,2})$/.exec(part);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (from < 1 || from > 12 || to < 1 || to > 12) return null;
      for (let m = from; ; m = (m % 12) + 1) {
        months.add(m);
        if (m === to) break;
      }
    } else if (single) {
      const m = Number(single[1]);
      if (m < 1 || m > 12) return null;
      months.add(m);
    } else {
      return null;
    }
  }
  return months.size === 12 ? [] : [...months].sort((a, b) => a - b);
}

/** 3-5月、9月, 11-2月 over the new year, or 全年. */
export function formatSeason(seasonMonths: readonly number[]): string {
  const set = new Set(seasonMonths);
  if (set.size === 0 || set.size === 12) return '全年';
  const prev = (m: number) => ((m + 10) % 12) + 1;
  const next = (m: number) => (m % 12) + 1;
  const runs: string[] = [];
  for (const start of [...set].sort((a, b) => a - b)) {
    if (set.has(prev(start))) continue;
    let end = start;
    while (set.has(next(end))) end = next(end);
    runs.push(start === end ? `${start}月` : `${start}-${end}月`);
  }
  return runs.join('、');
}

/** 在册不运行 policy: no certificate for this many days (policy data, default 180). */
export interface DormancyPolicy {
  afterDays: number;
}
export const defaultDormancyPolicy: DormancyPolicy = { afterDays: 180 };

/** A policy as configured; refused outside 30–730 days. */
export function dormancyPolicy(days: number = defaultDormancyPolicy.afterDays): DormancyPolicy {
  if (!Number.isInteger(days) || days < 30 || days > 730) {
    throw new RangeError(`在册不运行的认定期限应为 30–730 天，配置为 ${days}`);
  }
  return { afterDays: days };
}

export interface DormancyFacts {
  /** The latest certificate the subject issued, or null. */
  lastIssuedAt: string | null;
  /** Until when a supervisor's 'keep' confirmation holds it off the list. */
  keptUntil: string | null;
}

export interface Dormancy {
  dormant: boolean;
  /** Since when nothing was issued: the last certificate, or entry in the directory. */
  idleSince: string;
  idleDays: number;
  inSeason: boolean;
  kept: boolean;
}

/** Statuses that are in the directory as operating (the others are already out of it). */
export function isActiveStatus(status: SubjectStatus): boolean {
  return status === 'registered' || status === 'approved';
}

/**
 * 在册不运行, derived, never stored: an active subject that issued no certificate within the
 * policy's days (counted from its last certificate, or its entry when it has none) and is
 * outside its declared season today — unless a supervisor confirmed it keeps operating.
 */
export function dormancyOf(
  s: Pick<Subject, 'status' | 'createdAt' | 'seasonMonths'>,
  facts: DormancyFacts,
  now: Date,
  policy: DormancyPolicy = defaultDormancyPolicy,
): Dormancy {
  const idleSince =
    facts.lastIssuedAt && facts.lastIssuedAt > s.createdAt ? facts.lastIssuedAt : s.createdAt;
  const idleDays = daysSince(idleSince, now);
  const season = inSeason(s.seasonMonths, now);
  const kept = facts.keptUntil !== null && now.toISOString() < facts.keptUntil;
  return {
    dormant: isActiveStatus(s.status) && !season && idleDays >= policy.afterDays && !kept,
    idleSince,
    idleDays,
    inSeason: season,
    kept,
  };
}

/** The instant `days` days after `at`. */
export function addDays(at: Date, days: number): string {
  return new Date(at.getTime() + days * 86_400_000).toISOString();
}

export const dormantDecisions = {
  keep: '仍在生产经营，保留',
  retire: '确认不再经营，注销',
} as const;
export type DormantDecision = keyof typeof dormantDecisions;

export const confirmDormantInputSchema = z.object({
  subjectId: subjectIdSchema,
  decision: z.enum(['keep', 'retire'], { error: '请选择保留或注销' }),
  reason: reasonSchema('核实情况'),
});

// --- one party, several identities (一人多身份) -----------------------------------------------

/** Why subjects are grouped as possibly one party. */
export const duplicateRules = {
  id_number: '身份证号码相同',
  credit_code: '统一社会信用代码相同',
  name_phone: '名称和联系电话都相同',
} as const;
export type DuplicateRule = keyof typeof duplicateRules;

/** Compares names as people write them: full/half width and spaces do not count. */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** Compares phones by their digits: 0518-85551234 and 051885551234 are the same line. */
export function normalizePhone(phone: string): string {
  return phone.replace(/\D/g, '');
}

type DuplicateCandidate = Pick<
  Subject,
  '_id' | 'name' | 'phone' | 'identityKind' | 'identityDisplay' | 'identityFingerprint' | 'status'
>;

export interface DuplicateGroup<T> {
  rule: DuplicateRule;
  ruleLabel: string;
  /** What they share, as shown to staff (the ID number masked). */
  shared: string;
  subjects: T[];
}

/**
 * Groups of active subjects sharing an ID number (by its keyed fingerprint), a credit code, or a
 * name together with a phone; one group per rule and shared value, largest first. Retired and
 * rejected subjects are out of the directory and not grouped.
 */
export function duplicateGroups<T extends DuplicateCandidate>(subjects: readonly T[]) {
  const buckets = new Map<string, DuplicateGroup<T>>();
  const add = (rule: DuplicateRule, key: string, shared: string, s: T) => {
    const id = `${rule}\u0000${key}`;
    let group = buckets.get(id);
    if (!group) {
      group = { rule, ruleLabel: duplicateRules[rule], shared, subjects: [] };
      buckets.set(id, group);
    }
    group.subjects.push(s);
  };
  for (const s of subjects) {
    if (!isActiveStatus(s.status)) continue;
    if (s.identityKind === 'id_card') add('id_number', s.identityFingerprint, s.identityDisplay, s);
    else add('credit_code', s.identityDisplay.toUpperCase(), s.identityDisplay, s);
    const name = normalizeName(s.name);
    const phone = normalizePhone(s.phone);
    if (name && phone) add('name_phone', `${name}\u0000${phone}`, `${s.name} / ${s.phone}`, s);
  }
  const order = Object.keys(duplicateRules);
  return [...buckets.values()]
    .filter((g) => g.subjects.length > 1)
    .map((g) => ({ ...g, subjects: [...g.subjects].sort((a, b) => (a._id < b._id ? -1 : 1)) }))
    .sort(
      (a, b) =>
        order.indexOf(a.rule) - order.indexOf(b.rule) ||
        b.subjects.length - a.subjects.length ||
        a.shared.localeCompare(b.shared),
    );
}

/** The most subjects one merge folds into the kept one. */
export const maxMergeSubjects = 20;

export const mergeInputSchema = z
  .object({
    keepId: subjectIdSchema,
    mergeIds: z
      .array(subjectIdSchema, { error: '请选择要并入的主体' })
      .check(
        z.minLength(1, { error: '请至少选择一个要并入的主体' }),
        z.maxLength(maxMergeSubjects, { error: `一次最多并入 ${maxMergeSubjects} 个主体` }),
      ),
    reason: reasonSchema('合并原因'),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (new Set(v.mergeIds).size !== v.mergeIds.length) {
        ctx.addIssue({ code: 'custom', path: ['mergeIds'], message: '要并入的主体有重复' });
      }
      if (v.mergeIds.includes(v.keepId)) {
        ctx.addIssue({ code: 'custom', path: ['mergeIds'], message: '保留的主体不能并入自己' });
      }
    }),
  );

// --- import from a spreadsheet ----------------------------------------------------------------

/** 导入上限: rows and file size. */
export const importLimits = { maxRows: 5000, maxBytes: 5 * 1024 * 1024 } as const;

/** The template's columns, in order; the headers are what an office's roster must carry. */
export const importColumns = [
  { field: 'name', header: '主体名称', width: 28 },
  { field: 'type', header: '主体类型', width: 18 },
  { field: 'identityKind', header: '证件类型', width: 18 },
  { field: 'identityNumber', header: '证件号码', width: 24 },
  { field: 'contactName', header: '联系人', width: 12 },
  { field: 'phone', header: '联系电话', width: 16 },
  { field: 'address', header: '地址', width: 32 },
  { field: 'divisionCode', header: '所在街道/乡镇', width: 14 },
  { field: 'products', header: '主要产品', width: 24 },
  { field: 'aboveScale', header: '是否规模以上', width: 12 },
  { field: 'seasonMonths', header: '生产季节', width: 14 },
] as const;
export type ImportField = (typeof importColumns)[number]['field'];
export type ImportRowCells = Partial<Record<ImportField, string>>;

/** Columns a roster cannot do without (the season and the scale flag may be left out). */
export const requiredImportFields: readonly ImportField[] = [
  'name',
  'type',
  'identityNumber',
  'contactName',
  'phone',
  'address',
  'divisionCode',
  'products',
];

const headerAliases: Record<string, ImportField> = {
  所在街道: 'divisionCode',
  街道乡镇: 'divisionCode',
  所在乡镇街道: 'divisionCode',
  身份证号码: 'identityNumber',
  统一社会信用代码身份证号码: 'identityNumber',
  手机号码: 'phone',
  电话: 'phone',
  产品: 'products',
  规模以上: 'aboveScale',
};

/** The field a header names: '证件号码', '证件号码*' and '证件号码（必填）' alike. */
export function importFieldOf(header: string): ImportField | null {
  const key = (h: string) =>
    h
      .normalize('NFKC')
      .replace(/\(必填\)|\(选填\)|[\s*/、]/g, '')
      .trim();
  const k = key(header);
  if (!k) return null;
  const column = importColumns.find((c) => key(c.header) === k);
  return column?.field ?? headerAliases[k] ?? null;
}

export function importHeaderOf(field: ImportField | string): string {
  return importColumns.find((c) => c.field === field)?.header ?? '';
}

/** 示例行: the template's example starts its name so; such rows are skipped, not imported. */
export const exampleRowMark = '（示例）';

export function isExampleRow(cells: ImportRowCells): boolean {
  return (cells.name ?? '').normalize('NFKC').replace(/\s/g, '').startsWith('(示例)');
}

/** A word from a cell as compared: half-width, no spaces. */
const wordKey = (w: string) => w.normalize('NFKC').replace(/\s+/g, '');

const keyed = <T>(words: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(words).map(([w, v]) => [wordKey(w), v]));

/** Subject types as a roster may write them. */
const typeWords: Record<string, SubjectType> = keyed({
  ...Object.fromEntries(Object.entries(subjectTypes).map(([code, label]) => [label, code])),
  ...Object.fromEntries(Object.keys(subjectTypes).map((code) => [code, code])),
  公司: 'enterprise',
  合作社: 'cooperative',
  专业合作社: 'cooperative',
  种养殖户: 'smallholder',
  小农户: 'smallholder',
  种植户: 'smallholder',
  养殖户: 'smallholder',
  收购商: 'buyer',
} as Record<string, SubjectType>);

const kindWords: Record<string, IdentityKind> = keyed({
  统一社会信用代码: 'credit_code',
  信用代码: 'credit_code',
  credit_code: 'credit_code',
  居民身份证号码: 'id_card',
  居民身份证: 'id_card',
  身份证: 'id_card',
  身份证号码: 'id_card',
  id_card: 'id_card',
} as Record<string, IdentityKind>);

const yesWords = new Set(['是', 'Y', 'YES', 'TRUE', '1', '规上', '规模以上']);
const noWords = new Set(['否', 'N', 'NO', 'FALSE', '0', '规下', '规模以下']);

/** The streets and townships an import may name (by name, short name or code). */
export function divisionFromText(
  text: string,
  divisions: readonly Division[] = lianyunDivisions,
): Division | null {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  const short = (name: string) => name.replace(/(街道|乡|镇)$/, '');
  return (
    divisions.find(
      (d) => d.kind !== 'district' && (d.name === t || d.code === t || short(d.name) === t),
    ) ?? null
  );
}

export interface ImportCellError {
  /** The column's header ('' for the row as a whole). */
  column: string;
  message: string;
}

export interface ImportRowError {
  /** The row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  name: string | null;
  errors: ImportCellError[];
}

/**
 * One roster row into a registration, checked by the same schema as a producer's own
 * registration; every problem of the row comes back, each under its column's header.
 */
export function registrationFromRow(
  cells: ImportRowCells,
  divisions: readonly Division[] = lianyunDivisions,
): { ok: true; registration: ValidRegistration } | { ok: false; errors: ImportCellError[] } {
  const errors: ImportCellError[] = [];
  const fail = (field: ImportField, message: string) =>
    errors.push({ column: importHeaderOf(field), message });
  const text = (field: ImportField): string | undefined => {
    const v = cells[field]?.trim();
    return v ? v : undefined;
  };
  const word = (field: ImportField) => {
    const t = text(field);
    return t === undefined ? undefined : wordKey(t);
  };

  const typeText = word('type');
  const type = typeText ? typeWords[typeText] : undefined;
  if (typeText && !type) {
    fail('type', `“${typeText}”不是可选的主体类型（${Object.values(subjectTypes).join('、')}）`);
  }

  const kindText = word('identityKind');
  let identityKind = kindText ? kindWords[kindText] : undefined;
  if (kindText && !identityKind) {
    fail('identityKind', `证件类型应为“统一社会信用代码”或“居民身份证号码”`);
  } else if (!kindText && type) {
    // Left blank: a type that takes one kind only, or the shape of the number, says which.
    const allowed = allowedIdentityKinds[type];
    const number = word('identityNumber')?.toUpperCase() ?? '';
    identityKind =
      allowed.length === 1 ? allowed[0] : /^\d{17}[\dX]$/.test(number) ? 'id_card' : 'credit_code';
  }

  const divisionText = text('divisionCode');
  const division = divisionText ? divisionFromText(divisionText, divisions) : null;
  if (divisionText && !division) {
    fail('divisionCode', `“${divisionText}”不是连云区的街道或乡镇`);
  } else if (!divisionText) {
    fail('divisionCode', '请填写所在街道/乡镇');
  }

  const productsText = text('products');
  const products = productsText
    ?.split(/[、,，;；/|\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);

  const scaleText = word('aboveScale')?.toUpperCase();
  let aboveScale: boolean | undefined;
  if (scaleText !== undefined) {
    if (yesWords.has(scaleText)) aboveScale = true;
    else if (noWords.has(scaleText)) aboveScale = false;
    else fail('aboveScale', '是否规模以上请填“是”或“否”');
  }

  const seasonText = text('seasonMonths');
  const seasonMonths = seasonText === undefined ? [] : parseSeason(seasonText);
  if (seasonMonths === null) {
    fail('seasonMonths', `无法识别“${seasonText ?? ''}”，可填：全年、3-10月、11-2月、3,4,5`);
  }

  const candidate = {
    type,
    name: text('name'),
    identityKind,
    identityNumber: text('identityNumber'),
    contactName: text('contactName'),
    phone: text('phone')?.normalize('NFKC').replace(/\s+/g, ''),
    address: text('address'),
    divisionCode: division?.code,
    products,
    ...(aboveScale === undefined ? {} : { aboveScale }),
    ...(seasonMonths && seasonMonths.length > 0 ? { seasonMonths } : {}),
  };
  const parsed = subjectRegistrationSchema.safeParse(candidate);
  // Problems already named above (an unreadable type, kind or street) are not repeated, nor is
  // the kind, which cannot be judged without a type.
  const named = new Set(errors.map((e) => e.column));
  if (typeText && !type) named.add(importHeaderOf('identityKind'));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      const column = importHeaderOf(field);
      if (named.has(column)) continue;
      if (errors.some((e) => e.column === column && e.message === issue.message)) continue;
      errors.push({ column, message: issue.message });
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, registration: parsed.data };
}

/** The identity a row names, for finding the same one twice in a file. */
export function identityKeyOf(r: Pick<ValidRegistration, 'identityKind' | 'identityNumber'>) {
  return `${r.identityKind}:${r.identityNumber}`;
}

export const importInputSchema = z
  .object({
    /** Chosen by the client per file: a retry with the same id continues, never duplicates. */
    importId: z.optional(
      z
        .string()
        .check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, { error: '导入编号应为 8–64 位字母、数字或 -_' })),
    ),
    /** The .xlsx file, base64. */
    base64: z.string({ error: '请选择要导入的 Excel 文件' }).check(
      z.minLength(1, { error: '请选择要导入的 Excel 文件' }),
      z.maxLength(Math.ceil(importLimits.maxBytes / 3) * 4 + 4, {
        error: `文件不能超过 ${importLimits.maxBytes / 1024 / 1024} MB`,
      }),
    ),
    fileName: z.optional(z.string().check(z.maxLength(120))),
    /** 只检查不导入: check every row and report, write nothing. */
    dryRun: z._default(z.boolean(), false),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (!v.dryRun && !v.importId) {
        ctx.addIssue({ code: 'custom', path: ['importId'], message: '正式导入须提供导入编号' });
      }
    }),
  );

export const exportInputSchema = z.object({
  divisionCode: divisionFilterSchema,
  status: z.optional(
    z.enum(Object.keys(subjectStatuses) as [SubjectStatus, ...SubjectStatus[]], {
      error: '主体状态不正确',
    }),
  ),
});
