/** Reads the audience rules work on: the directory's active subjects and the staff users. */
import { districtCode, isWithinDivision, lianyunDivisions } from '../../src/domain/division';
import type { AudienceWorld, TrainingSession } from '../../src/domain/outreach';
import { hasAnyRole, staffRoles, type User } from '../../src/domain/role';
import type { Subject } from '../../src/domain/subject';
import { callerOf, type Ctx } from '../kit/action';
import type { Where } from '../kit/store/port';

/** Everyone an item or session could address: every active subject and every staff user. */
export interface World extends AudienceWorld {
  subjects: Subject[];
  users: User[];
}

export async function loadWorld(ctx: Pick<Ctx, 'store'>): Promise<World> {
  const subjects = await ctx.store
    .collection<Subject>('subjects')
    .find({ status: ['registered', 'approved'] });
  // Roles are an array the port cannot match on, so staff are picked out here.
  const users = (await ctx.store.collection<User>('users').find()).filter((u) =>
    hasAnyRole(u.roles, staffRoles),
  );
  return { subjects, users };
}

/**
 * The divisions `divisionCodes` reach (each code and every division under it), or null when they
 * reach the whole district — then nothing can be narrowed.
 */
export function divisionsReached(divisionCodes: readonly string[] | null): string[] | null {
  if (divisionCodes === null) return null;
  const reached = new Set(divisionCodes);
  for (const d of lianyunDivisions) {
    if (divisionCodes.some((c) => isWithinDivision(lianyunDivisions, d.code, c))) {
      reached.add(d.code);
    }
  }
  return reached.has(districtCode) ? null : [...reached];
}

/**
 * The part of the world a session can address, read narrowly: for producers' sessions only the
 * active subjects in its divisions (no users); for staff sessions only the staff users of its
 * divisions (no subjects). Its selection equals the one over `loadWorld`'s whole world.
 */
export async function loadSessionWorld(
  ctx: Pick<Ctx, 'store'>,
  session: Pick<TrainingSession, 'audience' | 'divisionCodes'>,
): Promise<World> {
  const reached = divisionsReached(session.divisionCodes);
  if (reached?.length === 0) return { subjects: [], users: [] };
  const inDivisions: Where = reached ? { divisionCode: reached } : {};
  if (session.audience === 'producers') {
    const subjects = await ctx.store
      .collection<Subject>('subjects')
      .find({ status: ['registered', 'approved'], ...inDivisions });
    return { subjects, users: [] };
  }
  // A staff user without a division counts under the district, which `reached` excludes.
  const users = (await ctx.store.collection<User>('users').find(inDivisions)).filter((u) =>
    hasAnyRole(u.roles, staffRoles),
  );
  return { subjects: [], users };
}

/** The caller's own part of the world: the subjects they operate, and themselves if staff. */
export async function ownWorld(ctx: Ctx): Promise<World> {
  const caller = callerOf(ctx);
  const subjects = (
    await ctx.store.collection<Subject>('subjects').find({ ownerId: caller.userId })
  ).filter((s) => s.status === 'registered' || s.status === 'approved');
  const users = caller.user && hasAnyRole(caller.user.roles, staffRoles) ? [caller.user] : [];
  return { subjects, users };
}
