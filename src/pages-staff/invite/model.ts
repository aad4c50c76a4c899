/**
 * What the invitation, staff and join pages work out without I/O: which roles and divisions the
 * caller may offer (from `staffGrantRules`), which roles they may take away, the code as read
 * aloud, and the code in a scanned `/join/` address.
 */
import {
  childDivisions,
  districtCode,
  divisionName,
  lianyunDivisions,
  type Division,
} from '@/domain/division';
import {
  formatInvitationCode,
  grantReach,
  isStaffRole,
  mayRevokeStaffRole,
  normalizeInvitationCode,
  staffRoleCodes,
  staffRoleReach,
  type Granter,
  type StaffRole,
} from '@/domain/invitation';
import type { Role } from '@/domain/role';

/** The staff roles the caller may invite, in the order of `staffRoleCodes`. */
export function grantableRoles(granter: Granter): StaffRole[] {
  return staffRoleCodes.filter((r) => grantReach(granter, r) !== null);
}

/**
 * The divisions the caller may choose for `role`: none for a district-wide role; the caller's
 * own for an 'own' reach; else every street and township (and the district itself for a role
 * that may serve the whole district).
 */
export function divisionChoices(granter: Granter, role: StaffRole): Division[] {
  const reach = staffRoleReach[role];
  if (reach === 'none') return [];
  if (grantReach(granter, role) === 'own') {
    const own = lianyunDivisions.find((d) => d.code === granter.divisionCode);
    return own ? [own] : [];
  }
  const streets = childDivisions(lianyunDivisions, districtCode);
  const district = lianyunDivisions.find((d) => d.code === districtCode);
  return reach === 'street-or-district' && district ? [district, ...streets] : streets;
}

/** The division chosen by default: the only choice there is, else none. */
export function defaultDivision(granter: Granter, role: StaffRole): string | null {
  const choices = divisionChoices(granter, role);
  return choices.length === 1 ? (choices[0]?.code ?? null) : null;
}

/** The staff roles of a member the caller may take away (never the caller's own). */
export function revocableRoles(
  granter: Granter & { userId: string },
  member: { userId: string; roles: readonly Role[]; divisionCode: string | null },
): StaffRole[] {
  if (member.userId === granter.userId) return [];
  return member.roles
    .filter(isStaffRole)
    .filter((r) => mayRevokeStaffRole(granter, r, member.divisionCode, lianyunDivisions));
}

/** The code in groups of four, for reading aloud ('' when it cannot be a code). */
export function displayCode(code: string): string {
  const canonical = normalizeInvitationCode(code);
  return canonical ? formatInvitationCode(canonical) : '';
}

/**
 * The code the join page was opened with: `code` (typed or from the `/join/` redirect) or `q`
 * (WeChat's URL-encoded scanned link). Null when neither holds one.
 */
export function codeFromParams(params: Partial<Record<string, string>>): string | null {
  for (const raw of [params.q, params.code]) {
    if (!raw) continue;
    let text = raw;
    try {
      text = decodeURIComponent(raw);
    } catch {
      // Not encoded after all: read as it is.
    }
    const code = displayCode(text);
    if (code) return code;
  }
  return null;
}

/** "街道/乡镇监管员 · 连岛街道", or the role alone for a district-wide one. */
export function roleAndPlace(roleLabel: string, divisionNameText: string | null): string {
  return divisionNameText ? `${roleLabel} · ${divisionNameText}` : roleLabel;
}

/** The division's name for a code ('全区' for the district itself). */
export function placeName(code: string | null): string | null {
  if (code === null) return null;
  if (code === districtCode) return '全区';
  return divisionName(lianyunDivisions, code) ?? code;
}

/** Validity choices for a new invitation, in hours. */
export const ttlChoices = [
  { hours: 24, label: '1 天' },
  { hours: 72, label: '3 天' },
  { hours: 168, label: '7 天' },
] as const;

/** "还剩 2 天 3 小时" / "还剩 45 分钟" / "已过期". */
export function remainingLabel(expiresAt: string, now: Date): string {
  const ms = Date.parse(expiresAt) - now.getTime();
  if (!(ms > 0)) return '已过期';
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `还剩 ${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `还剩 ${hours} 小时`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return `还剩 ${days} 天${rest ? ` ${rest} 小时` : ''}`;
}
