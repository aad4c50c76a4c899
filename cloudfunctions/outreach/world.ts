/** Reads the audience rules work on: the directory's active subjects and the staff users. */
import type { AudienceWorld } from '../../src/domain/outreach';
import { hasAnyRole, staffRoles, type User } from '../../src/domain/role';
import type { Subject } from '../../src/domain/subject';
import { callerOf, type Ctx } from '../kit/action';

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

/** The caller's own part of the world: the subjects they operate, and themselves if staff. */
export async function ownWorld(ctx: Ctx): Promise<World> {
  const caller = callerOf(ctx);
  const subjects = (
    await ctx.store.collection<Subject>('subjects').find({ ownerId: caller.userId })
  ).filter((s) => s.status === 'registered' || s.status === 'approved');
  const users = caller.user && hasAnyRole(caller.user.roles, staffRoles) ? [caller.user] : [];
  return { subjects, users };
}
