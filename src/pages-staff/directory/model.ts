/**
 * What the directory pages (名录, 主体详情, 导入, 疑似重复, 在册不运行) work out without I/O: the
 * tabs, the waiting-time words, a history entry as rows of before → after, the import's state.
 */
import { reviewDecisions, formatSeason } from '@/domain/directory';
import { divisionName, lianyunDivisions } from '@/domain/division';
import { hasAnyRole, type Role } from '@/domain/role';
import { identityKinds, subjectStatuses, subjectTypes } from '@/domain/subject';
import type { HistoryEntry, ImportReport } from '@/services/api';

/** The directory page's tabs, in order. */
export const directoryTabs = [
  { key: 'pending', label: '待审核' },
  { key: 'all', label: '全部' },
  { key: 'duplicates', label: '疑似重复' },
  { key: 'dormant', label: '在册不运行' },
] as const;
export type DirectoryTab = (typeof directoryTabs)[number]['key'];

export function isDirectoryTab(value: string | undefined): value is DirectoryTab {
  return directoryTabs.some((t) => t.key === value);
}

/** A registration waiting longer than this is shown as overdue (a week of working days). */
export const reviewDueDays = 7;

/** "今天提交" / "已等待 3 天". */
export function waitingLabel(days: number): string {
  return days <= 0 ? '今天提交' : `已等待 ${days} 天`;
}

/** "2026-11-29 08:05" in China time; '' for nothing. */
export function chinaTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** "2026-11-29" in China time; '' for nothing. */
export function chinaDay(iso: string | null | undefined): string {
  return chinaTime(iso).slice(0, 10);
}

// --- history ----------------------------------------------------------------------------------

/** The fields a history row names, in the order a reader checks them. */
const fieldLabels: Record<string, string> = {
  name: '主体名称',
  type: '主体类型',
  identityKind: '证件类型',
  identityNumber: '证件号码',
  contactName: '联系人',
  phone: '联系电话',
  address: '地址',
  divisionCode: '所在街道/乡镇',
  products: '主要产品',
  aboveScale: '规模以上',
  seasonMonths: '生产季节',
  status: '状态',
  reviewDecision: '审核结论',
  reviewNote: '审核意见',
  retiredReason: '注销原因',
  mergedInto: '并入主体',
  ownerId: '经营者',
  source: '来源',
};

/** Bookkeeping fields: when things happened is the entry's own time. */
const hiddenFields = new Set([
  'identityDisplay',
  'identityFingerprint',
  'createdAt',
  'updatedAt',
  'submittedAt',
  'reviewedAt',
  'retiredAt',
  '_id',
]);

export interface ChangeRow {
  field: string;
  label: string;
  before: string;
  after: string;
}

type Snapshot = Record<string, unknown> | null;

/** One field's value as a person reads it ('' when absent). */
export function fieldText(field: string, snapshot: Snapshot): string {
  if (!snapshot) return '';
  if (field === 'identityNumber') return String(snapshot.identityDisplay ?? '');
  const v = snapshot[field];
  if (v === undefined || v === null) return field === 'seasonMonths' ? '全年' : '';
  switch (field) {
    case 'type':
      return subjectTypes[v as keyof typeof subjectTypes] ?? String(v);
    case 'identityKind':
      return identityKinds[v as keyof typeof identityKinds] ?? String(v);
    case 'status':
      return subjectStatuses[v as keyof typeof subjectStatuses] ?? String(v);
    case 'reviewDecision':
      return reviewDecisions[v as keyof typeof reviewDecisions] ?? String(v);
    case 'divisionCode':
      return divisionName(lianyunDivisions, String(v)) ?? String(v);
    case 'products':
      return Array.isArray(v) ? v.join('、') : String(v);
    case 'aboveScale':
      return v ? '是' : '否';
    case 'seasonMonths':
      return Array.isArray(v) ? formatSeason(v as number[]) : String(v);
    case 'ownerId':
      return v === '' ? '未认领' : '已认领';
    case 'source':
      return v === 'import' ? '名册导入' : '自行登记';
    default:
      return String(v);
  }
}

const asSnapshot = (v: unknown): Snapshot =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;

/**
 * What an entry changed, as rows of before → after. A first entry (登记, 导入) has no before: its
 * rows are what was entered. Bookkeeping fields are left out.
 */
export function changeRows(entry: Pick<HistoryEntry, 'detail'>): ChangeRow[] {
  const before = asSnapshot(entry.detail.before);
  const after = asSnapshot(entry.detail.after);
  // A later entry names what changed; a first one (or one with no snapshot, like a 保留
  // confirmation) shows the fields it holds.
  const listed =
    before && Array.isArray(entry.detail.changed)
      ? (entry.detail.changed as unknown[]).map(String)
      : [...Object.keys(after ?? {}), ...(after?.identityDisplay ? ['identityNumber'] : [])];
  const fields = Object.keys(fieldLabels).filter((f) => listed.includes(f));
  const rows = fields
    .filter((f) => !hiddenFields.has(f))
    .map((field) => ({
      field,
      label: fieldLabels[field] ?? field,
      before: fieldText(field, before),
      after: fieldText(field, after),
    }));
  // A first entry lists what was entered; unchanged empty values say nothing.
  return rows.filter((r) => r.before !== r.after || (!before && r.after !== ''));
}

/** The reason an entry carries (审核意见, 合并原因, 核实情况), or ''. */
export function entryReason(entry: Pick<HistoryEntry, 'detail'>): string {
  // An entry without snapshots (保留) comes wrapped as the 'after' of a first entry.
  const reason = entry.detail.reason ?? asSnapshot(entry.detail.after)?.reason;
  return typeof reason === 'string' ? reason : '';
}

/** Who made a change, as staff read it. */
export function entryActor(entry: Pick<HistoryEntry, 'by' | 'actorId'>): string {
  if (entry.by === 'owner') return '经营者本人';
  return entry.actorId ? `工作人员（${entry.actorId}）` : '工作人员';
}

// --- import -----------------------------------------------------------------------------------

/** A fresh id for one file's import: a retry with it continues, never duplicates. */
export function newImportId(random: () => number = Math.random, now = Date.now()): string {
  const part = () =>
    Math.floor(random() * 36 ** 6)
      .toString(36)
      .padStart(6, '0');
  return `imp-${now.toString(36)}-${part()}${part()}`;
}

/** Base64 of some bytes (the browser's btoa takes a binary string; done in slices). */
export function base64FromBytes(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** "1.2 MB" / "36 KB". */
export function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Whether the check of the chosen file lets it be imported: every row good, at least one. */
export function checkPassed(report: ImportReport | null): boolean {
  return report !== null && report.outcome === 'dry_run' && report.invalid === 0 && report.rows > 0;
}

/** How many times the import page calls again while the server answers 'in_progress'. */
export const maxImportRounds = 100;

// --- who may do what --------------------------------------------------------------------------

/** Staff who read the directory (the server's `directoryReaders`). */
export const directoryReaderRoles: readonly Role[] = [
  'supervisor',
  'coordinator',
  'enforcement',
  'admin',
];

/** Review, import, merge, retire: supervisors and admins (the server's `directoryEditors`). */
export function isDirectoryEditor(roles: readonly Role[]): boolean {
  return roles.includes('supervisor') || roles.includes('admin');
}

export function isDirectoryReader(roles: readonly Role[]): boolean {
  return hasAnyRole(roles, directoryReaderRoles);
}
