/**
 * 定时发送 — sending an item, publishing a session, and the timer's tick that does both for
 * whatever has fallen due. Publishing now and publishing later take the same path.
 */
import {
  isTrainedFor,
  itemMessage,
  selectAudience,
  selectSessionAudience,
  sessionMessage,
  type AddressedUser,
  type Attendance,
  type OutreachItem,
  type TrainingSession,
} from '../../src/domain/outreach';
import type { Ctx } from '../kit/action';
import { Budget, claimSend, deliver, endSend, type SendOutcome } from './send';
import { loadSessionWorld, loadWorld, type World } from './world';

/**
 * 培训对象 of a session as its notice addresses them (the world as it is now): the one selection
 * publishing, and the organiser's list of whom to mark present, both use. Only the session's part
 * of the world is read (the list asks again on every search).
 */
export async function sessionAddressees(
  ctx: Pick<Ctx, 'store'>,
  session: Pick<TrainingSession, 'audience' | 'productCategory' | 'divisionCodes'>,
): Promise<{ world: World; addressed: AddressedUser[] }> {
  const world = await loadSessionWorld(ctx, session);
  return { world, addressed: selectSessionAudience(session, world) };
}

/** Sends a due item to its audience; null when it is not this call's to send. */
export async function sendItem(
  ctx: Ctx,
  itemId: string,
  budget: Budget,
): Promise<SendOutcome | null> {
  const item = await claimSend<OutreachItem>(ctx, 'outreachItems', itemId);
  if (!item) return null;
  try {
    const world = await loadWorld(ctx);
    const outcome = await deliver(
      ctx,
      {
        itemId: item._id,
        itemType: 'publicity',
        purpose: 'delivery',
        data: itemMessage(item, ctx.now()),
        requiresAck: item.requiresAck,
        via: 'send',
      },
      selectAudience(item, world),
      budget,
    );
    const delivered = outcome.done
      ? await ctx.store.collection('deliveries').count({ itemId: item._id })
      : null;
    await endSend<OutreachItem>(
      ctx,
      'outreachItems',
      item._id,
      outcome.done
        ? { status: 'sent', sentAt: ctx.now().toISOString(), deliveredCount: delivered }
        : null,
    );
    return outcome;
  } catch (error) {
    await endSend(ctx, 'outreachItems', item._id, null).catch(() => undefined);
    throw error;
  }
}

/**
 * Publishes a due session: every user of its audience not yet trained gets a notice (staff not
 * yet trained at all; producers not yet at a producers' session).
 */
export async function publishSession(
  ctx: Ctx,
  sessionId: string,
  budget: Budget,
): Promise<SendOutcome | null> {
  const session = await claimSend<TrainingSession>(ctx, 'trainingSessions', sessionId);
  if (!session) return null;
  try {
    const [{ addressed }, attendance] = await Promise.all([
      sessionAddressees(ctx, session),
      ctx.store.collection<Attendance>('trainingAttendance').find({ method: ['scan', 'manual'] }),
    ]);
    // A session recorded after it was held (to mark attendance from a paper list) notifies nobody.
    const over = Date.parse(session.endsAt) < ctx.now().getTime();
    const untrained = over
      ? []
      : addressed.filter((u) => !isTrainedFor(session.audience, u.userId, attendance));
    const outcome = await deliver(
      ctx,
      {
        itemId: session._id,
        itemType: 'training',
        purpose: 'training',
        data: sessionMessage(session),
        requiresAck: false,
        via: 'send',
      },
      untrained,
      budget,
    );
    const notified = outcome.done
      ? await ctx.store.collection('deliveries').count({ itemId: session._id })
      : null;
    await endSend<TrainingSession>(
      ctx,
      'trainingSessions',
      session._id,
      outcome.done
        ? { status: 'published', publishedAt: ctx.now().toISOString(), notifiedCount: notified }
        : null,
    );
    return outcome;
  } catch (error) {
    await endSend(ctx, 'trainingSessions', session._id, null).catch(() => undefined);
    throw error;
  }
}

/** What one tick did. */
export interface TickResult {
  /** Items and sessions whose send finished in this tick. */
  items: number;
  sessions: number;
  delivered: number;
  messaged: number;
  /** Due records left for the next tick (budget spent, or another call holds them). */
  pending: number;
}

/** 定时任务: sends every item and publishes every session whose time has come. */
export async function runTick(ctx: Ctx): Promise<TickResult> {
  const now = ctx.now().getTime();
  const budget = new Budget();
  const result: TickResult = { items: 0, sessions: 0, delivered: 0, messaged: 0, pending: 0 };
  const due = <T extends { publishAt: string }>(docs: T[]) =>
    docs
      .filter((d) => Date.parse(d.publishAt) <= now)
      .sort((a, b) => a.publishAt.localeCompare(b.publishAt));
  const items = due(
    await ctx.store.collection<OutreachItem>('outreachItems').find({ status: 'scheduled' }),
  );
  const sessions = due(
    await ctx.store.collection<TrainingSession>('trainingSessions').find({ status: 'scheduled' }),
  );
  const work: [keyof Pick<TickResult, 'items' | 'sessions'>, string][] = [
    ...items.map((i): ['items', string] => ['items', i._id]),
    ...sessions.map((s): ['sessions', string] => ['sessions', s._id]),
  ];
  for (const [kind, id] of work) {
    const outcome = budget.expired()
      ? null
      : kind === 'items'
        ? await sendItem(ctx, id, budget)
        : await publishSession(ctx, id, budget);
    if (outcome) {
      result.delivered += outcome.delivered;
      result.messaged += outcome.messaged;
    }
    if (outcome?.done) result[kind] += 1;
    else result.pending += 1;
  }
  return result;
}
