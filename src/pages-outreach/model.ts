/**
 * What the training, publishing and subscription pages work out without I/O: times typed in
 * China time, the sign-in code a link or scan carries, whether sign-in is open, which subscribe
 * templates were accepted, the divisions an organiser may address, and an uploaded file's type.
 */
import { childDivisions, districtCode, lianyunDivisions, type Division } from '@/domain/division';
import {
  parseSignInCode,
  sessionIdPattern,
  type TemplateKey,
  type TrainingAudience,
} from '@/domain/outreach';
import type { ProductCategory } from '@/domain/product-category';
import { hasAnyRole, isBureau, type Role } from '@/domain/role';
import { leadingBytes } from '@/services/photo-data';

const chinaOffsetMs = 8 * 3_600_000;

/** The China date (YYYY-MM-DD) of an instant. */
export function chinaDateOf(at: Date | string): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + chinaOffsetMs).toISOString().slice(0, 10);
}

/** The China time of day (HH:MM) of an instant. */
export function chinaTimeOf(at: Date | string): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + chinaOffsetMs).toISOString().slice(11, 16);
}

/**
 * A date and time as typed in China time, as the instant the server takes
 * (`2026-12-01T09:00+08:00`); null when either is not a real date or time. `9:5` reads as 09:05.
 */
export function chinaInstant(date: string, time: string): string | null {
  const d = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date.trim());
  const t = /^(\d{1,2})[:：](\d{1,2})$/.exec(time.trim());
  if (!d || !t) return null;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [hour, minute] = [Number(t[1]), Number(t[2])];
  if (hour > 23 || minute > 59 || month < 1 || month > 12 || day < 1) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}+08:00`;
}

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The sign-in code a page was opened with: `code` (the local runtime's `/t/<code>` redirect) or
 * `q` (WeChat's scan of the `/t/<code>` link opens the mini-program with it, URL-encoded; H5
 * may also hand parameters over still encoded).
 */
export function signInCodeFromParams(params: Partial<Record<string, string>>): string | null {
  for (const raw of [params.code, params.q]) {
    if (!raw) continue;
    const parsed = parseSignInCode(decoded(raw));
    if (parsed) return `${parsed.sessionId}.${parsed.token}`;
  }
  return null;
}

/** The session a page is about: `id` (inbox, list, subscribe message), else the code's. */
export function sessionIdFromParams(params: Partial<Record<string, string>>): string | null {
  const id = params.id ? decoded(params.id) : '';
  if (sessionIdPattern.test(id)) return id;
  const code = signInCodeFromParams(params);
  return code ? (parseSignInCode(code)?.sessionId ?? null) : null;
}

/** Where `now` falls in a session's sign-in window. */
export function windowState(
  window: { signInOpensAt: string; signInClosesAt: string },
  now: Date,
): 'before' | 'open' | 'closed' {
  const t = now.getTime();
  if (t < Date.parse(window.signInOpensAt)) return 'before';
  if (t > Date.parse(window.signInClosesAt)) return 'closed';
  return 'open';
}

/** 发布者: may organise training, publish and see coverage (the backend's `publishers`). */
export function isOrganiser(roles: readonly Role[]): boolean {
  return hasAnyRole(roles, ['supervisor', 'admin']);
}

/** The streets an organiser may address: every street for the bureau, else their own. */
/** Toggles `value` in a list (multi-select chips). */
export function toggled<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export function divisionsOffered(me: {
  roles: readonly Role[];
  divisionCode: string | null;
}): Division[] {
  return isBureau(me)
    ? childDivisions(lianyunDivisions, districtCode)
    : lianyunDivisions.filter((d) => d.code === me.divisionCode);
}

/** One of a session's addressees in a line: `李老板 · 李记果蔬收购点 · 墟沟街道`. */
export function addresseeText(row: {
  nickname: string;
  subjects: readonly { name: string }[];
  divisionName: string;
}): string {
  const names = row.subjects.map((s) => s.name).filter((n) => n !== row.nickname);
  return [row.nickname || '参训人员', names.join('、'), row.divisionName]
    .filter(Boolean)
    .join(' · ');
}

/** The templates that can be asked for: those with a WeChat id configured. */
export function requestableTemplates(
  subscriptions: readonly { key: TemplateKey; templateId: string | null }[],
): { key: TemplateKey; templateId: string }[] {
  return subscriptions.flatMap((s) =>
    s.templateId ? [{ key: s.key, templateId: s.templateId }] : [],
  );
}

/** The templates the user accepted in wx.requestSubscribeMessage's answer ({ [id]: 'accept' }). */
export function acceptedTemplates(
  asked: readonly { key: TemplateKey; templateId: string }[],
  answer: Readonly<Record<string, unknown>>,
): TemplateKey[] {
  return asked.filter((t) => answer[t.templateId] === 'accept').map((t) => t.key);
}

/** The consents left, in words: `新通知提醒 2 次、培训通知 0 次`. */
export function remainingText(
  subscriptions: readonly { label: string; remaining: number }[],
): string {
  return subscriptions.map((s) => `${s.label} ${s.remaining} 次`).join('、');
}

/** `3/5（60%）`, or `0/0` when there is no one to count. */
export function coverageText(count: { total: number; trained: number }): string {
  if (count.total === 0) return '0/0';
  return `${count.trained}/${count.total}（${Math.round((count.trained / count.total) * 100)}%）`;
}

export type UploadType = 'image/jpeg' | 'image/png' | 'application/pdf';

/** What a file's first bytes show it to be (the server checks the same), or null. */
export function uploadTypeOfBase64(base64: string): UploadType | null {
  const b = leadingBytes(base64, 8);
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d) {
    return 'application/pdf';
  }
  return null;
}

/** The session form as typed, before it becomes the server's SessionInput. */
export interface SessionForm {
  title: string;
  audience: TrainingAudience;
  productCategory: ProductCategory | null;
  divisionCodes: string[];
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  place: string;
  onlineUrl: string;
  materials: { title: string; fileId?: string; url?: string }[];
}

/**
 * The input for `outreach.createSession`: times as China instants (left as typed when they do
 * not parse, so the schema's own message names the field), empty fields left out.
 */
export function sessionInputOf(form: SessionForm) {
  return {
    title: form.title,
    audience: form.audience,
    ...(form.audience === 'producers' && form.productCategory
      ? { productCategory: form.productCategory }
      : {}),
    ...(form.divisionCodes.length ? { divisionCodes: form.divisionCodes } : {}),
    startsAt: chinaInstant(form.startDate, form.startTime) ?? `${form.startDate} ${form.startTime}`,
    endsAt: chinaInstant(form.endDate, form.endTime) ?? `${form.endDate} ${form.endTime}`,
    ...(form.place.trim() ? { place: form.place.trim() } : {}),
    ...(form.onlineUrl.trim() ? { onlineUrl: form.onlineUrl.trim() } : {}),
    materials: form.materials,
  };
}

/**
 * The roster as far as loaded: the search it was read for, and its load generation `seq` (a new
 * search or a reload after a marking starts one; a page answered for an older one is dropped).
 */
export interface RosterList<P extends { offset: number; rows: readonly unknown[] }> {
  seq: number;
  query: string;
  page: P;
}

/**
 * The roster with a page answered for generation `seq` put at its offset. Unchanged when the
 * answer is stale or would leave a gap; a page answered twice (a double tap) lands once, and a
 * page of an earlier search is never mixed into a later one.
 */
export function withRosterPage<R, P extends { offset: number; rows: readonly R[] }>(
  list: RosterList<P> | null,
  seq: number,
  query: string,
  next: P,
): RosterList<P> | null {
  if (list && seq < list.seq) return list;
  const rows = list && seq === list.seq ? list.page.rows : [];
  if (next.offset > rows.length) return list;
  return {
    seq,
    query,
    page: { ...next, offset: 0, rows: [...rows.slice(0, next.offset), ...next.rows] },
  };
}

/**
 * The requests that read the roster again as far as it was shown (at least one page), each at
 * most `maxLimit` rows: marking someone far down the list does not fold it back to its top.
 */
export function rosterReloadRequests(
  shown: number,
  pageSize: number,
  maxLimit: number,
): { offset: number; limit: number }[] {
  const want = Math.max(pageSize, shown);
  const out: { offset: number; limit: number }[] = [];
  for (let offset = 0; offset < want; offset += maxLimit) {
    out.push({ offset, limit: Math.min(maxLimit, want - offset) });
  }
  return out;
}
