/**
 * What the supervision pages (工作台, 巡查, 抽检, 重点监管, 整改, 监管站) work out without Taro or the
 * network: scanned labels, verdict words, the patrol and sample forms' inputs, the headline of a
 * sample's outcome, deadlines and stars. Tested in test/pages/supervision.
 */
import { codeFromScan, formatCertificateCode } from '@/domain/certificate';
import type { FieldErrors } from '@/domain/errors';
import type { Role } from '@/domain/role';
import { signatureParamOf } from '@/domain/scan';
import {
  patrolInputSchema,
  sampleInputSchema,
  type LabelCheck,
  type PatrolInput,
  type SampleInput,
} from '@/domain/supervision';
import { fieldErrorsFromIssues } from '@/ui/field-errors';

export type Checked<T> = { ok: true; input: T } | { ok: false; fields: FieldErrors };

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The id of one submission: a retry after a network failure is not recorded twice. */
export function newRequestId(random: () => number = Math.random): string {
  let id = '';
  for (let i = 0; i < 20; i++) id += idAlphabet[Math.floor(random() * idAlphabet.length)] ?? 'A';
  return id;
}

// --- roles ------------------------------------------------------------------------------------

/** 监管人员: patrol, sample, see the key list, the cases and the stations. */
export function isFieldStaff(roles: readonly Role[]): boolean {
  return roles.some(
    (r) => r === 'coordinator' || r === 'supervisor' || r === 'enforcement' || r === 'admin',
  );
}

/** Supervisors and admins: the work list, sign-offs, stations. */
export function isSupervisor(roles: readonly Role[]): boolean {
  return roles.includes('supervisor') || roles.includes('admin');
}

/** Who may put a subject on key supervision for false certificates found on a patrol. */
export function mayPlaceOnKeyList(roles: readonly Role[]): boolean {
  return roles.some((r) => r === 'supervisor' || r === 'enforcement' || r === 'admin');
}

// --- scanned labels ---------------------------------------------------------------------------

/**
 * What makes two entries the same: a signed scan is itself (a copy of a label with another
 * signature is a second label to check, and a telling one); a typed code is its code however it
 * was written.
 */
function labelKey(text: string): string {
  if (signatureParamOf(text) !== null) return text.trim();
  return codeFromScan(text) ?? text.trim().toUpperCase();
}

/**
 * A scanned link or typed code added to the list, or why not: nothing entered, already there,
 * too long, or the list is full.
 */
export function addScanned(
  list: readonly string[],
  text: string,
  max: number,
): { ok: true; list: string[] } | { ok: false; error: string } {
  const value = text.trim();
  if (!value) return { ok: false, error: '请扫描标签上的二维码，或输入合格证编号' };
  if (value.length > 300) return { ok: false, error: '内容过长，不是合格证编号或标签链接' };
  const key = labelKey(value);
  if (list.some((x) => labelKey(x) === key)) return { ok: false, error: '这张标签已经添加过了' };
  if (list.length >= max) return { ok: false, error: `最多 ${max} 张` };
  return { ok: true, list: [...list, value] };
}

/** How a scanned entry is shown: its code in groups of four, and whether it carries a signature. */
export function scannedLabel(text: string): { code: string; signed: boolean } {
  const code = codeFromScan(text);
  return {
    code: code ? formatCertificateCode(code) : text.trim(),
    signed: signatureParamOf(text) !== null,
  };
}

// --- patrols ----------------------------------------------------------------------------------

export const verdictTexts: Record<LabelCheck['verdict'], string> = {
  valid: '有效',
  revoked: '已撤销',
  not_found: '未找到',
  suspicious: '可疑',
};

export const verdictMarks: Record<LabelCheck['verdict'], string> = {
  valid: '✔',
  revoked: '✘',
  not_found: '?',
  suspicious: '⚠',
};

/** What else a check says, one line each: the goods, and anything that needs a second look. */
export function checkDetails(c: LabelCheck): string[] {
  const lines: string[] = [];
  if (c.productName || c.issuerName) {
    lines.push([c.productName, c.issuerName].filter(Boolean).join(' · '));
  }
  if (c.signature === 'invalid') lines.push('防伪签名与编号不符，疑似伪造');
  if (c.copySuspected) lines.push('疑似复制：这张标签在多处被扫');
  if (c.ofSubject === false) lines.push('不是本主体开具的合格证');
  if (c.verdict === 'not_found') lines.push('系统中没有这个编号');
  return lines;
}

/** "核验 2 张：有效 1 · 可疑 1" */
export function checksSummary(s: {
  checked: number;
  valid: number;
  revoked: number;
  notFound: number;
  suspicious: number;
}): string {
  if (s.checked === 0) return '未现场核验合格证';
  const parts = [
    s.valid ? `有效 ${s.valid}` : '',
    s.revoked ? `已撤销 ${s.revoked}` : '',
    s.notFound ? `未找到 ${s.notFound}` : '',
    s.suspicious ? `可疑 ${s.suspicious}` : '',
  ].filter(Boolean);
  return `核验 ${s.checked} 张：${parts.join(' · ')}`;
}

/** Names typed into one box: split at spaces, commas or 、. */
export function splitNames(text: string): string[] {
  return text
    .split(/[\s,，、;；]+/)
    .map((n) => n.trim())
    .filter(Boolean);
}

export interface PatrolForm {
  subjectId: string;
  date: string;
  staff: string;
  /** 是否按要求开具合格证: chosen on purpose, so null until then. */
  issuing: boolean | null;
  scanned: string[];
  findings: string;
  photoFileIds: string[];
}

export function initialPatrolForm(today: string, nickname: string, subjectId = ''): PatrolForm {
  return {
    subjectId,
    date: today,
    staff: nickname,
    issuing: null,
    scanned: [],
    findings: '',
    photoFileIds: [],
  };
}

/** The patrol to send, or the errors keyed like the server's fields. */
export function patrolInputOf(f: PatrolForm, requestId: string): Checked<PatrolInput> {
  const fields: FieldErrors = {};
  if (f.issuing === null) fields.issuingCertificates = ['请选择是否按要求开具合格证'];
  const input: PatrolInput = {
    requestId,
    subjectId: f.subjectId,
    date: f.date.trim(),
    staffNames: splitNames(f.staff),
    issuingCertificates: f.issuing ?? false,
    scanned: f.scanned,
    findings: f.findings.trim(),
    photoFileIds: f.photoFileIds,
  };
  const parsed = patrolInputSchema.safeParse(input);
  const all = parsed.success
    ? fields
    : { ...fieldErrorsFromIssues(parsed.error.issues), ...fields };
  return Object.keys(all).length === 0 ? { ok: true, input } : { ok: false, fields: all };
}

// --- sampling ---------------------------------------------------------------------------------

/** Items sampled most often on farms in the district (速测 and lab), offered as chips. */
export const presetItems: readonly string[] = [
  '有机磷和氨基甲酸酯类农药残留',
  '克百威',
  '氧乐果',
  '毒死蜱',
  '腐霉利',
  '瘦肉精（克伦特罗、莱克多巴胺、沙丁胺醇）',
  '恩诺沙星',
];

export interface SampleItemDraft {
  item: string;
  /** Chosen on purpose: empty until the sampler picks 合格 or 不合格. */
  result: 'pass' | 'fail' | '';
  value: string;
  limit: string;
}

export interface SampleForm {
  subjectId: string;
  certificateCodes: string[];
  kind: 'rapid' | 'lab';
  productName: string;
  items: SampleItemDraft[];
  lab: string;
  sampledOn: string;
}

export function initialSampleForm(today: string, subjectId = ''): SampleForm {
  return {
    subjectId,
    certificateCodes: [],
    kind: 'rapid',
    productName: '',
    items: [],
    lab: '',
    sampledOn: today,
  };
}

/** Adds an item, or takes it out when it is there already (the preset chips toggle). */
export function toggleItem(items: readonly SampleItemDraft[], name: string): SampleItemDraft[] {
  const item = name.trim();
  if (!item) return [...items];
  return items.some((it) => it.item === item)
    ? items.filter((it) => it.item !== item)
    : [...items, { item, result: '', value: '', limit: '' }];
}

/** The sample to send, or the errors: every item needs its result chosen. */
export function sampleInputOf(f: SampleForm, requestId: string): Checked<SampleInput> {
  const fields: FieldErrors = {};
  f.items.forEach((it, i) => {
    if (!it.result) fields[`items.${i}.result`] = ['请选择“合格”或“不合格”'];
  });
  const input: SampleInput = {
    requestId,
    subjectId: f.subjectId,
    certificateCodes: f.certificateCodes,
    kind: f.kind,
    ...(f.productName.trim() ? { productName: f.productName.trim() } : {}),
    items: f.items.map((it) => ({
      item: it.item.trim(),
      result: it.result || 'pass',
      ...(it.value.trim() ? { value: it.value.trim() } : {}),
      ...(it.limit.trim() ? { limit: it.limit.trim() } : {}),
    })),
    ...(f.kind === 'lab' && f.lab.trim() ? { lab: f.lab.trim() } : {}),
    sampledOn: f.sampledOn.trim(),
  };
  const parsed = sampleInputSchema.safeParse(input);
  const all = parsed.success
    ? fields
    : { ...fieldErrorsFromIssues(parsed.error.issues), ...fields };
  return Object.keys(all).length === 0 ? { ok: true, input } : { ok: false, fields: all };
}

export type SampleTone = 'contradicted' | 'fail' | 'lifted' | 'pass';

/** The headline of a recorded sample: what it did to the subject, in the words to say aloud. */
export function sampleHeadline(o: {
  promiseContradicted: boolean;
  lifted: boolean;
  sample: { result: 'pass' | 'fail' };
  keySupervision: { status: 'active' | 'lifted' } | null;
}): { tone: SampleTone; title: string; detail: string } {
  if (o.promiseContradicted) {
    return {
      tone: 'contradicted',
      title: '承诺不符：已列入重点监管，已立整改案',
      detail:
        '抽检不合格，而合格证承诺达标。该主体抽检频次提高为每月一次，整改销号并复检合格后方可解除。',
    };
  }
  if (o.sample.result === 'fail') {
    return {
      tone: 'fail',
      title: '抽检不合格：已立整改案',
      detail: '没有关联承诺达标的合格证，未列入重点监管。请督促整改。',
    };
  }
  if (o.lifted) {
    return {
      tone: 'lifted',
      title: '复检合格：已解除重点监管',
      detail: '整改已销号，复检合格，该主体恢复正常抽检频次。',
    };
  }
  const stillKey = o.keySupervision?.status === 'active';
  return {
    tone: 'pass',
    title: '抽检合格',
    detail: stillKey
      ? '该主体仍在重点监管中：整改全部销号后，再次抽检合格方可解除。'
      : '抽检记录已保存。',
  };
}

// --- rectification ----------------------------------------------------------------------------

/** Where a case stands against its deadline, in a few words. */
export function deadlineText(c: {
  status: 'open' | 'submitted' | 'closed';
  deadline: string;
  overdue: boolean;
  daysOverdue: number;
  daysLeft: number | null;
}): string {
  if (c.status === 'closed') return `期限 ${c.deadline}`;
  if (c.overdue) return `已逾期 ${c.daysOverdue} 天（期限 ${c.deadline}）`;
  if (c.daysLeft === 0) return `今天到期（${c.deadline}）`;
  return `还剩 ${c.daysLeft ?? 0} 天（期限 ${c.deadline}）`;
}

// --- stations ---------------------------------------------------------------------------------

/** ★★★★☆ for four stars of five. */
export function starsText(stars: number): string {
  const n = Math.max(0, Math.min(5, Math.round(stars)));
  return '★'.repeat(n) + '☆'.repeat(5 - n);
}

// --- the work list ----------------------------------------------------------------------------

export type WorkSectionKey =
  | 'dueForSampling'
  | 'overdueRectifications'
  | 'suspectedCopies'
  | 'dormantSubjects'
  | 'pendingRegistrations';

/** The work list's sections in the order a supervisor acts on them, with their element ids. */
export const workSections: readonly {
  key: WorkSectionKey;
  id: string;
  title: string;
  empty: string;
}[] = [
  { key: 'overdueRectifications', id: 'work-overdue', title: '整改逾期', empty: '没有逾期的整改' },
  { key: 'dueForSampling', id: 'work-due', title: '应抽检主体', empty: '没有到期应抽检的主体' },
  { key: 'suspectedCopies', id: 'work-copies', title: '疑似复制/伪造标签', empty: '没有可疑标签' },
  {
    key: 'pendingRegistrations',
    id: 'work-pending',
    title: '待审核登记',
    empty: '没有待审核的登记',
  },
  {
    key: 'dormantSubjects',
    id: 'work-dormant',
    title: '在册不运行',
    empty: '没有长期未开证的主体',
  },
];

/** A route parameter as it was given: H5 hands them over still percent-encoded. */
export function param(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A page's query string from a few values (blank ones left out). */
export function query(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v ?? '')}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
