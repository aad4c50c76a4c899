/**
 * Who may act on which supervision record: staff within their division (divisionScope), a
 * producer on the cases of the subjects they operate.
 */
import { isWithinDivision, lianyunDivisions } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import type { Role } from '../../src/domain/role';
import type { Subject } from '../../src/domain/subject';
import { callerOf, type Ctx } from '../kit/action';
import { divisionScope, inScope } from '../kit/scope';
import type { Where } from '../kit/store/port';

/** 监管人员: everyone who patrols and samples. */
export const fieldStaff: readonly Role[] = ['coordinator', 'supervisor', 'enforcement', 'admin'];

/** Who signs off rectifications, keeps stations and reads the work list. */
export const supervisors: readonly Role[] = ['supervisor', 'admin'];

export function isFieldStaff(ctx: Ctx): boolean {
  return callerOf(ctx).roles.some((r) => fieldStaff.includes(r));
}

/** The division codes a scope covers; null for the whole district (no filter). */
export function divisionCodesIn(scope: string | null): string[] | null {
  if (scope === null) return null;
  return lianyunDivisions
    .filter((d) => isWithinDivision(lianyunDivisions, d.code, scope))
    .map((d) => d.code);
}

/** A `where` that keeps records of the scope's divisions (nothing for the whole district). */
export function scopeWhere(scope: string | null, field = 'divisionCode'): Where {
  const codes = divisionCodesIn(scope);
  return codes ? { [field]: codes } : {};
}

/** A subject the staff caller may act on: NOT_FOUND when there is none, FORBIDDEN outside scope. */
export async function subjectInScope(ctx: Ctx, subjectId: string): Promise<Subject> {
  const scope = divisionScope(ctx);
  const subject = await ctx.store.collection<Subject>('subjects').get(subjectId);
  if (!subject) throw new AppError('NOT_FOUND', '没有找到这个主体');
  if (!inScope(scope, subject.divisionCode)) {
    throw new AppError('FORBIDDEN', '这个主体不在您的辖区内');
  }
  return subject;
}

/** True when the caller operates the subject (its producer). */
export function ownsSubject(ctx: Ctx, subject: Pick<Subject, 'ownerId'> | null): boolean {
  return subject !== null && subject.ownerId === callerOf(ctx).userId;
}

/**
 * Whether the caller, as field staff, covers records of `divisionCode`: false for non-staff and
 * for staff without a division (rather than FORBIDDEN, so a producer-and-staff caller can still
 * act as the producer).
 */
export function staffCovers(ctx: Ctx, divisionCode: string): boolean {
  if (!isFieldStaff(ctx)) return false;
  const caller = callerOf(ctx);
  if (caller.roles.includes('admin')) return true;
  const own = caller.user?.divisionCode;
  return Boolean(own) && inScope(own ?? null, divisionCode);
}
