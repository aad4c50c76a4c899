import { createHash } from 'node:crypto';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import {
  invitationStatus,
  invitationStatuses,
  type Invitation,
  type InvitationStatus,
  type StaffRole,
} from '../../src/domain/invitation';
import { roles as roleLabels, type Role, type User } from '../../src/domain/role';

/** The stored id of an invitation: sha256 of its canonical code (the code is never stored). */
export function invitationId(canonicalCode: string): string {
  return createHash('sha256').update(canonicalCode).digest('hex');
}

/** A division's name for display; null for none, the code itself for one we do not know. */
export function divisionNameOf(code: string | null): string | null {
  return code === null ? null : (divisionName(lianyunDivisions, code) ?? code);
}

/** 我的身份 — who the caller is and what roles they hold. */
export interface Me {
  userId: string;
  nickname: string;
  roles: Role[];
  roleLabels: string[];
  divisionCode: string | null;
  /** The division's name (墟沟街道), null when the caller has none. */
  divisionName: string | null;
  /** False for a WeChat identity that has not registered anything yet. */
  known: boolean;
}

export function meOf(userId: string, user: User | null): Me {
  const roles = [...(user?.roles ?? [])];
  const divisionCode = user?.divisionCode ?? null;
  return {
    userId,
    nickname: user?.nickname ?? '',
    roles,
    roleLabels: roles.map((r) => roleLabels[r]),
    divisionCode,
    divisionName: divisionNameOf(divisionCode),
    known: user !== null,
  };
}

/** 工作人员 — a staff member as the staff list shows them. */
export interface StaffMember {
  userId: string;
  nickname: string;
  roles: Role[];
  roleLabels: string[];
  divisionCode: string | null;
  divisionName: string | null;
  createdAt: string;
}

export function staffMemberOf(user: User): StaffMember {
  return {
    userId: user._id,
    nickname: user.nickname,
    roles: [...user.roles],
    roleLabels: user.roles.map((r) => roleLabels[r]),
    divisionCode: user.divisionCode,
    divisionName: divisionNameOf(user.divisionCode),
    createdAt: user.createdAt,
  };
}

/** An invitation as its creator (or an admin) sees it: never the code, which is not stored. */
export interface InvitationView {
  id: string;
  role: StaffRole;
  roleLabel: string;
  divisionCode: string | null;
  divisionName: string | null;
  note: string;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  expiresAt: string;
  status: InvitationStatus;
  statusLabel: string;
  usedBy: string | null;
  usedByName: string | null;
  usedAt: string | null;
  revokedAt: string | null;
}

/** Nicknames by user id, for names shown beside ids ('' when a user has none). */
export type Names = ReadonlyMap<string, string>;

export function invitationViewOf(invitation: Invitation, now: Date, names: Names): InvitationView {
  const status = invitationStatus(invitation, now);
  return {
    id: invitation._id,
    role: invitation.role,
    roleLabel: roleLabels[invitation.role],
    divisionCode: invitation.divisionCode,
    divisionName: divisionNameOf(invitation.divisionCode),
    note: invitation.note,
    createdBy: invitation.createdBy,
    createdByName: names.get(invitation.createdBy) ?? '',
    createdAt: invitation.createdAt,
    expiresAt: invitation.expiresAt,
    status,
    statusLabel: invitationStatuses[status],
    usedBy: invitation.usedBy,
    usedByName: invitation.usedBy === null ? null : (names.get(invitation.usedBy) ?? ''),
    usedAt: invitation.usedAt,
    revokedAt: invitation.revokedAt,
  };
}
