/**
 * Who may see and act on which outreach record: staff within their division (divisionScope), an
 * addressed user on their own deliveries.
 */
import { isWithinDivision, lianyunDivisions } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import type { OutreachItem, TrainingSession } from '../../src/domain/outreach';
import type { Role } from '../../src/domain/role';
import { callerOf, type Ctx } from '../kit/action';
import { divisionScope, inScope } from '../kit/scope';

/** 工作人员: may read items, reach figures and sessions in their division. */
export const readers: readonly Role[] = ['coordinator', 'supervisor', 'enforcement', 'admin'];

/** 发布者 / 组织者: publish, remind, organise training (a street's supervisor, the bureau). */
export const publishers: readonly Role[] = ['supervisor', 'admin'];

/** True when a caller of any role may act as staff (reads in scope). */
export function isStaff(ctx: Ctx): boolean {
  return callerOf(ctx).roles.some((r) => readers.includes(r));
}

/** Whether two divisions overlap: one lies within the other. */
function overlaps(a: string, b: string): boolean {
  return isWithinDivision(lianyunDivisions, a, b) || isWithinDivision(lianyunDivisions, b, a);
}

/**
 * Whether staff of `scope` see an item: the bureau sees all; a street sees what it published and
 * whatever is addressed to (part of) it, district-wide items included (their figures limited to
 * the street).
 */
export function itemVisible(scope: string | null, item: OutreachItem): boolean {
  if (scope === null) return true;
  if (item.ownerDivision && inScope(scope, item.ownerDivision)) return true;
  const { audience } = item;
  if (audience.all || audience.divisionCodes === null) return true;
  return audience.divisionCodes.some((c) => overlaps(c, scope));
}

/** Whether staff of `scope` see a session (same rule as items). */
export function sessionVisible(scope: string | null, session: TrainingSession): boolean {
  if (scope === null) return true;
  if (session.ownerDivision && inScope(scope, session.ownerDivision)) return true;
  if (session.divisionCodes === null) return true;
  return session.divisionCodes.some((c) => overlaps(c, scope));
}

/** The item a staff caller may see: NOT_FOUND when there is none, FORBIDDEN outside scope. */
export async function itemForStaff(ctx: Ctx, itemId: string): Promise<OutreachItem> {
  const scope = divisionScope(ctx);
  const item = await ctx.store.collection<OutreachItem>('outreachItems').get(itemId);
  if (!item) throw new AppError('NOT_FOUND', '没有找到这条宣传内容');
  if (!itemVisible(scope, item)) throw new AppError('FORBIDDEN', '这条宣传内容不在您的辖区内');
  return item;
}

/**
 * The session the caller organises: the bureau organises all; a street's supervisor the sessions
 * of their street (not the bureau's district-wide ones).
 */
export async function sessionForOrganiser(ctx: Ctx, sessionId: string): Promise<TrainingSession> {
  const scope = divisionScope(ctx);
  const session = await ctx.store.collection<TrainingSession>('trainingSessions').get(sessionId);
  if (!session) throw new AppError('NOT_FOUND', '没有找到这场培训');
  if (scope !== null && !(session.ownerDivision && inScope(scope, session.ownerDivision))) {
    throw new AppError('FORBIDDEN', '这场培训不是您辖区组织的');
  }
  return session;
}

/** A predicate for "this division is within the caller's scope" (all for the bureau). */
export function scopePredicate(scope: string | null): (code: string) => boolean {
  return (code) => inScope(scope, code);
}

/** The division codes a scope covers; null for the whole district (no filter). */
export function codesIn(scope: string | null): string[] | null {
  if (scope === null) return null;
  return lianyunDivisions
    .filter((d) => isWithinDivision(lianyunDivisions, d.code, scope))
    .map((d) => d.code);
}
