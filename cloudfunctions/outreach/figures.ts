/**
 * Outreach figures for other functions (the district dashboard, the periodic summaries): training
 * coverage and the reach of the items producers must confirm, for a set of divisions, derived
 * from the same records and rules as the outreach function's own views.
 */
import { chinaDate } from '../../src/domain/certificate';
import {
  coverageOf,
  reachOf,
  selectAudience,
  type Attendance,
  type Delivery,
  type Figures,
  type OutreachItem,
} from '../../src/domain/outreach';
import type { Ctx } from '../kit/action';
import { loadWorld } from './world';

export interface OutreachCounts {
  training: {
    /** Supervisors, enforcement officers and coordinators (extension) in the divisions. */
    staffTotal: number;
    staffTrained: number;
    untrainedStaff: { userId: string; nickname: string; divisionCode: string }[];
    /** Active subjects in the divisions, and those whose operator attended a producers' session. */
    subjectsTotal: number;
    subjectsTrained: number;
  };
  /** 告知书/明白纸 and other items asking 已阅知, sent within the dates: their reach, summed. */
  publicity: Figures & { items: number };
}

/**
 * The counts for `divisionCodes` (null: the whole district); publicity limited to items sent on
 * China dates `sentFrom`..`sentTo` (YYYY-MM-DD, inclusive) when given.
 */
export async function outreachCounts(
  ctx: Pick<Ctx, 'store'>,
  divisionCodes: readonly string[] | null,
  dates: { sentFrom?: string; sentTo?: string } = {},
): Promise<OutreachCounts> {
  const inScope = (code: string) => divisionCodes === null || divisionCodes.includes(code);
  const [world, attendance, items] = await Promise.all([
    loadWorld(ctx),
    ctx.store.collection<Attendance>('trainingAttendance').find({ method: ['scan', 'manual'] }),
    ctx.store.collection<OutreachItem>('outreachItems').find({ status: 'sent' }),
  ]);
  const coverage = coverageOf({
    users: world.users,
    subjects: world.subjects,
    attendance,
    inScope,
  });
  const publicity = { items: 0, addressed: 0, delivered: 0, read: 0, acknowledged: 0 };
  for (const item of items) {
    if (!item.requiresAck || !item.sentAt) continue;
    const day = chinaDate(new Date(item.sentAt));
    if ((dates.sentFrom && day < dates.sentFrom) || (dates.sentTo && day > dates.sentTo)) continue;
    const deliveries = await ctx.store
      .collection<Delivery>('deliveries')
      .find({ itemId: item._id });
    const r = reachOf(item, selectAudience(item, world), deliveries, inScope);
    if (r.addressed === 0) continue;
    publicity.items += 1;
    publicity.addressed += r.addressed;
    publicity.delivered += r.delivered;
    publicity.read += r.read;
    publicity.acknowledged += r.acknowledged;
  }
  return {
    training: {
      staffTotal: coverage.staff.total,
      staffTrained: coverage.staff.trained,
      untrainedStaff: coverage.staff.rows
        .filter((r) => !r.trained)
        .map((r) => ({ userId: r.userId, nickname: r.nickname, divisionCode: r.divisionCode })),
      subjectsTotal: coverage.producers.total,
      subjectsTrained: coverage.producers.trained,
    },
    publicity,
  };
}
