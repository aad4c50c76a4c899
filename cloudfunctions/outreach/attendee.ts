/** Where an attendee counts: their division and whether they attend as producer or staff. */
import { districtCode } from '../../src/domain/division';
import { staffDivisionOf, type Attendance, type TrainingSession } from '../../src/domain/outreach';
import { hasAnyRole, staffRoles, type User } from '../../src/domain/role';
import type { Subject } from '../../src/domain/subject';
import type { Ctx } from '../kit/action';

/**
 * A producers' session counts an operator under their (lowest-coded) active subject's division;
 * a staff session counts staff under their own. Anyone else attends as 'other'.
 */
export async function attendeeProfile(
  ctx: Pick<Ctx, 'store'>,
  userId: string,
  user: User | null,
  session: Pick<TrainingSession, 'audience'>,
): Promise<Pick<Attendance, 'divisionCode' | 'recipient'>> {
  const subjects = (await ctx.store.collection<Subject>('subjects').find({ ownerId: userId }))
    .filter((s) => s.status === 'registered' || s.status === 'approved')
    .map((s) => s.divisionCode)
    .sort();
  const staff = user !== null && hasAnyRole(user.roles, staffRoles);
  if (subjects[0] && (session.audience === 'producers' || !staff)) {
    return { divisionCode: subjects[0], recipient: 'producer' };
  }
  if (staff && user) return { divisionCode: staffDivisionOf(user), recipient: 'staff' };
  return { divisionCode: districtCode, recipient: 'other' };
}
