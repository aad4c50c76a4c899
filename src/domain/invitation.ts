import * as z from 'zod/mini';
import { districtCode, isWithinDivision, type Division } from './division';
import { roles as roleLabels, type Role } from './role';

/** Staff roles, granted by invitation (producer and buyer come from registering a subject). */
export const staffRoleCodes = ['coordinator', 'supervisor', 'enforcement', 'admin'] as const;
export type StaffRole = (typeof staffRoleCodes)[number];
export const staffRoleSchema = z.enum(staffRoleCodes, { error: '请选择要授予的角色' });

export function isStaffRole(role: Role): role is StaffRole {
  return (staffRoleCodes as readonly Role[]).includes(role);
}

/**
 * Where a staff role serves: 'none' — no division, the role is district-wide by office (admin);
 * 'street' — one street or township; 'street-or-district' — a street or township, or the whole
 * district (the district's own enforcement squad, 区执法大队).
 */
export type RoleReach = 'none' | 'street' | 'street-or-district';

/** The division each staff role is bound to (policy data: one person, one division). */
export const staffRoleReach: Readonly<Record<StaffRole, RoleReach>> = {
  coordinator: 'street',
  supervisor: 'street',
  enforcement: 'street-or-district',
  admin: 'none',
};

/**
 * Where a granter may place the role it grants: 'any' — any division the role allows; 'own' —
 * only within the granter's own division (a supervisor of 墟沟 invites 墟沟's coordinators).
 */
export type GrantReach = 'any' | 'own';

/**
 * 谁可以邀请（和撤销）谁 — granter role → the staff roles it may grant and revoke, and where.
 * Only the district bureau appoints supervisors, enforcement officers and admins; a street's
 * supervisor recruits the village coordinators of their own street.
 */
export const staffGrantRules: Readonly<
  Partial<Record<Role, Readonly<Partial<Record<StaffRole, GrantReach>>>>>
> = {
  admin: { coordinator: 'any', supervisor: 'any', enforcement: 'any', admin: 'any' },
  supervisor: { coordinator: 'own' },
};

/** The granting (or revoking) person: their roles and, for division-scoped ones, division. */
export interface Granter {
  roles: readonly Role[];
  divisionCode: string | null;
}

/** The widest reach any of the granter's roles gives over `role`, or null when none does. */
export function grantReach(granter: Granter, role: StaffRole): GrantReach | null {
  const reaches = granter.roles.map((r) => staffGrantRules[r]?.[role]);
  if (reaches.includes('any')) return 'any';
  if (reaches.includes('own')) return 'own';
  return null;
}

export type GrantCheck =
  | { ok: true; divisionCode: string | null }
  | {
      ok: false;
      code: 'FORBIDDEN' | 'INVALID_INPUT';
      message: string;
      /** The input field the refusal is about, for a form to mark. */
      field?: 'role' | 'divisionCode';
    };

/**
 * Whether `granter` may grant `role` for `divisionCode`, and the division the grant carries
 * (a supervisor who leaves it out gets their own). Pure: the caller passes the division table.
 */
export function checkStaffGrant(
  granter: Granter,
  role: StaffRole,
  divisionCode: string | null | undefined,
  divisions: readonly Division[],
): GrantCheck {
  const label = roleLabels[role];
  const reach = grantReach(granter, role);
  if (!reach) {
    return { ok: false, code: 'FORBIDDEN', message: `您无权邀请${label}`, field: 'role' };
  }
  const roleReach = staffRoleReach[role];
  if (roleReach === 'none') {
    if (divisionCode) {
      return {
        ok: false,
        code: 'INVALID_INPUT',
        message: `${label}面向全区，不设街道/乡镇`,
        field: 'divisionCode',
      };
    }
    return { ok: true, divisionCode: null };
  }
  const own = granter.divisionCode;
  const code = divisionCode || (reach === 'own' ? own : null);
  if (!code) {
    return {
      ok: false,
      code: 'INVALID_INPUT',
      message: `请选择${label}负责的街道/乡镇`,
      field: 'divisionCode',
    };
  }
  const division = divisions.find((d) => d.code === code);
  const allowed =
    division &&
    (division.kind !== 'district' ||
      (roleReach === 'street-or-district' && division.code === districtCode));
  if (!allowed) {
    return {
      ok: false,
      code: 'INVALID_INPUT',
      message: division ? `${label}须指定一个街道/乡镇` : '没有这个街道/乡镇',
      field: 'divisionCode',
    };
  }
  if (reach === 'own' && !(own && isWithinDivision(divisions, code, own))) {
    return {
      ok: false,
      code: 'FORBIDDEN',
      message: `您只能邀请本辖区的${label}`,
      field: 'divisionCode',
    };
  }
  return { ok: true, divisionCode: code };
}

/** Whether `granter` may take `role` away from a holder serving in `holderDivision`. */
export function mayRevokeStaffRole(
  granter: Granter,
  role: StaffRole,
  holderDivision: string | null,
  divisions: readonly Division[],
): boolean {
  const reach = grantReach(granter, role);
  if (reach === 'any') return true;
  if (reach !== 'own') return false;
  return !!(
    granter.divisionCode &&
    holderDivision &&
    isWithinDivision(divisions, holderDivision, granter.divisionCode)
  );
}

// --- the code ---------------------------------------------------------------------------

/** Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Random bytes in a code: 80 bits, far beyond guessing even without a rate limit. */
export const invitationCodeBytes = 10;
/** Symbols in a code (5 bits each). */
export const invitationCodeLength = (invitationCodeBytes * 8) / 5;

/** The code for random bytes, grouped for reading: `7K3M-Q9XD-…` (4-4-4-4). */
export function invitationCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== invitationCodeBytes) {
    throw new Error(`an invitation code takes ${invitationCodeBytes} random bytes`);
  }
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += crockford[(value >> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  return formatInvitationCode(out);
}

/** `7K3MQ9XD…` → `7K3M-Q9XD-…`. */
export function formatInvitationCode(canonical: string): string {
  return canonical.match(/.{1,4}/g)?.join('-') ?? canonical;
}

const canonicalPattern = new RegExp(`^[${crockford}]{${invitationCodeLength}}$`);

/**
 * The canonical code (16 symbols, no dashes) in what a person typed or scanned — the code in any
 * case, with dashes or spaces, I/L for 1 and O for 0, or the whole `/join/<code>` address — or
 * null when it cannot be a code.
 */
export function normalizeInvitationCode(text: string): string | null {
  let raw = text.trim();
  const joined = /\/join\/([^/?#\s]+)/.exec(raw);
  if (joined?.[1]) raw = joined[1];
  const canonical = raw
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return canonicalPattern.test(canonical) ? canonical : null;
}

/** The address a QR code carries: `<publicBaseUrl>/join/<code>`. */
export function invitationUrl(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl}/join/${code}`;
}

// --- the record --------------------------------------------------------------------------

export const invitationTtlHours = { default: 72, max: 720 } as const;

/** 邀请 — a one-time invitation to take a staff role. The code itself is never stored. */
export const invitationSchema = z.object({
  /** sha256 (hex) of the canonical code: a leaked database holds no usable code. */
  _id: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  role: staffRoleSchema,
  /** The division the role serves; null for admin. */
  divisionCode: z.nullable(z.string()),
  /** 备注 — whom it is for, as the inviter wrote it (e.g. "东山村 张三"). */
  note: z.string().check(z.maxLength(100)),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  usedBy: z.nullable(z.string()),
  usedAt: z.nullable(z.string()),
  /** Withdrawn by its creator or an admin before use. */
  revokedBy: z.nullable(z.string()),
  revokedAt: z.nullable(z.string()),
});
export type Invitation = z.infer<typeof invitationSchema>;

const divisionCodeInput = z
  .string()
  .check(z.regex(/^\d{6}(\d{3})?$/, { error: '区划代码为 6 位或 9 位数字' }));

/** 生成邀请 — what an admin or supervisor fills in. */
export const inviteInputSchema = z.extend(z.pick(invitationSchema, { role: true }), {
  /** Required for division-scoped roles; a supervisor who leaves it out invites for their own. */
  divisionCode: z.optional(z.nullable(divisionCodeInput)),
  note: z._default(
    z.string().check(z.trim(), z.maxLength(100, { error: '备注最多 100 个字' })),
    '',
  ),
  ttlHours: z._default(
    z
      .int({ error: '有效期须为整数小时' })
      .check(
        z.gte(1, { error: '有效期至少 1 小时' }),
        z.lte(invitationTtlHours.max, { error: '有效期最长 30 天（720 小时）' }),
      ),
    invitationTtlHours.default,
  ),
});
export type InviteInput = z.input<typeof inviteInputSchema>;

export const invitationStatuses = {
  pending: '待领取',
  used: '已使用',
  expired: '已过期',
  revoked: '已撤销',
} as const;
export type InvitationStatus = keyof typeof invitationStatuses;
export const invitationStatusCodes = Object.keys(invitationStatuses) as [
  InvitationStatus,
  ...InvitationStatus[],
];

/** An invitation's status, derived from its times (withdrawn and used win over expired). */
export function invitationStatus(
  invitation: Pick<Invitation, 'expiresAt' | 'usedAt' | 'revokedAt'>,
  now: Date,
): InvitationStatus {
  if (invitation.revokedAt) return 'revoked';
  if (invitation.usedAt) return 'used';
  if (now.getTime() >= Date.parse(invitation.expiresAt)) return 'expired';
  return 'pending';
}
