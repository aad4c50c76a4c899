import { districtCode, isWithinDivision, lianyunDivisions } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import { callerOf, type Ctx } from './action';

/**
 * The division a staff caller may see and change: null for the whole district (admin), their own
 * division for division-scoped staff (a supervisor of 墟沟 sees 墟沟 only).
 */
export function divisionScope(ctx: Ctx): string | null {
  const caller = callerOf(ctx);
  if (caller.roles.includes('admin')) return null;
  const division = caller.user?.divisionCode;
  if (!division) throw new AppError('FORBIDDEN', '您的账号还没有设置辖区，请联系管理员');
  return division;
}

/** Whether a record of `divisionCode` lies inside the scope (null = district-wide). */
export function inScope(scope: string | null, divisionCode: string): boolean {
  return scope === null || isWithinDivision(lianyunDivisions, divisionCode, scope);
}

/** Throws FORBIDDEN unless the caller's scope covers `divisionCode`. */
export function assertInScope(ctx: Ctx, divisionCode: string): void {
  if (!inScope(divisionScope(ctx), divisionCode)) {
    throw new AppError('FORBIDDEN', '这条记录不在您的辖区内');
  }
}

/**
 * The division codes a staff list covers: the caller's area, or one division inside it. An
 * unknown code is INVALID_INPUT; a division outside the caller's area is FORBIDDEN.
 */
export function listScope(ctx: Ctx, asked?: string): string[] {
  if (asked !== undefined && !lianyunDivisions.some((d) => d.code === asked)) {
    throw new AppError('INVALID_INPUT', '街道/乡镇不正确', { divisionCode: ['没有这个街道/乡镇'] });
  }
  const scope = divisionScope(ctx);
  if (asked !== undefined && !inScope(scope, asked)) {
    throw new AppError('FORBIDDEN', '这不在您负责的街道/乡镇');
  }
  const root = asked ?? scope ?? districtCode;
  return lianyunDivisions
    .filter((d) => isWithinDivision(lianyunDivisions, d.code, root))
    .map((d) => d.code);
}
