import * as z from 'zod/mini';
import { districtCode } from './division';

/** 角色 — what a signed-in person may act as. */
export const roles = {
  producer: '生产主体',
  buyer: '收购商/市场开办者',
  coordinator: '村级协管员',
  supervisor: '街道/乡镇监管员',
  enforcement: '执法人员',
  admin: '区农业农村局管理员',
} as const;
export type Role = keyof typeof roles;
export const roleCodes = Object.keys(roles) as [Role, ...Role[]];
export const roleSchema = z.enum(roleCodes);

/** Roles whose work is bounded by a division (a supervisor of 墟沟 sees 墟沟 only). */
export const divisionScopedRoles: readonly Role[] = ['coordinator', 'supervisor', 'enforcement'];

/** Staff roles, granted by invitation rather than by registering a subject. */
export const staffRoles: readonly Role[] = ['coordinator', 'supervisor', 'enforcement', 'admin'];

/** A user of the product: a WeChat identity (openid) with its roles. */
export const userSchema = z.object({
  _id: z.string().check(z.minLength(1)),
  nickname: z.string().check(z.maxLength(40)),
  roles: z.array(roleSchema),
  /** For division-scoped roles: the division they serve. */
  divisionCode: z.nullable(z.string()),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export function hasAnyRole(userRoles: readonly Role[], wanted: readonly Role[]): boolean {
  return wanted.some((r) => userRoles.includes(r));
}

/**
 * The bureau: an admin, or staff of the district as a whole. Either may address, or narrow a
 * report to, any street; other staff keep to their own street.
 */
export function isBureau(me: { roles: readonly Role[]; divisionCode: string | null }): boolean {
  return me.roles.includes('admin') || me.divisionCode === districtCode;
}
