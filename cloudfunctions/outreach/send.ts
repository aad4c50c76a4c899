/**
 * 发送 — how an item or a training notice reaches its audience, exactly once per user.
 *
 * Each addressed user gets a delivery whose `_id` comes from the item and the user, so a retried
 * or overlapping send finds it taken and moves on. A subscribe message goes out only when the
 * user has a consent left: the delivery, the consent taken and the push are written in one
 * transaction, so one consent pays for one message and a retry cannot take a second. Sends that
 * run long stop at a time budget and the timer's next tick carries on.
 */
import {
  sendPolicy,
  templateForPurpose,
  type Consent,
  type Delivery,
  type MessageData,
  type Push,
  type SendClaim,
  type TemplateKey,
  consentPolicy,
  type AddressedUser,
} from '../../src/domain/outreach';
import type { Ctx } from '../kit/action';
import { deterministicId } from '../kit/ids';
import { MessengerError, type Messenger } from '../kit/messenger/port';
import { outboxMessenger } from '../kit/messenger/outbox';
import { StoreConflictError, type TransactionScope } from '../kit/store/port';

export const deliveryId = (itemId: string, userId: string) =>
  deterministicId('dlv', itemId, userId);
export const consentId = (userId: string, templateKey: TemplateKey) =>
  deterministicId('cns', userId, templateKey);
export const attendanceId = (sessionId: string, userId: string) =>
  deterministicId('att', sessionId, userId);

/** The runtime's messenger, or the outbox where it supplies none (the embedded runtime, tests). */
export function messengerOf(ctx: Ctx): Messenger {
  return ctx.messenger ?? outboxMessenger(ctx);
}

/** A wall-clock deadline for one call's sending (the test clock does not move by itself). */
export class Budget {
  private readonly deadline: number;
  constructor(millis: number = sendPolicy.budgetMillis) {
    this.deadline = Date.now() + millis;
  }
  expired(): boolean {
    return Date.now() > this.deadline;
  }
}

export interface SendOutcome {
  /** Deliveries this call made. */
  delivered: number;
  /** Subscribe messages sent. */
  messaged: number;
  /** False when the budget ran out before everyone was reached. */
  done: boolean;
}

/** Takes one consent in a transaction; false when none is left. */
export async function takeConsent(
  tx: TransactionScope,
  ctx: Ctx,
  userId: string,
  templateKey: TemplateKey,
): Promise<boolean> {
  const consents = tx.collection<Consent>('consents');
  const id = consentId(userId, templateKey);
  const consent = await consents.get(id);
  if (!consent || consent.remaining < 1) return false;
  await consents.update(id, {
    remaining: consent.remaining - 1,
    used: consent.used + 1,
    updatedAt: ctx.now().toISOString(),
  });
  return true;
}

/** The users among `userIds` with a consent left for the template (to skip needless work). */
async function withConsent(
  ctx: Ctx,
  userIds: readonly string[],
  templateKey: TemplateKey,
): Promise<Set<string>> {
  const out = new Set<string>();
  const consents = ctx.store.collection<Consent>('consents');
  for (let i = 0; i < userIds.length; i += 100) {
    const found = await consents.find({ userId: userIds.slice(i, i + 100), templateKey });
    for (const c of found) if (c.remaining > 0) out.add(c.userId);
  }
  return out;
}

/**
 * Sends a push a consent paid for and records the outcome. A failed send gives the consent back,
 * unless WeChat says the user has no subscription (then none is left).
 */
export async function sendPush(ctx: Ctx, push: Push): Promise<boolean> {
  const pushes = ctx.store.collection<Push>('pushes');
  try {
    await messengerOf(ctx).send(push.userId, push.templateKey, push.data);
  } catch (error) {
    const permanent = error instanceof MessengerError && error.permanent;
    await pushes.update(push._id, {
      status: 'failed',
      error: (error instanceof Error ? error.message : String(error)).slice(0, 300),
    });
    await ctx.store.transaction(async (tx) => {
      const consents = tx.collection<Consent>('consents');
      const id = consentId(push.userId, push.templateKey);
      const consent = await consents.get(id);
      if (!consent) return;
      await consents.update(
        id,
        permanent
          ? { remaining: 0, updatedAt: ctx.now().toISOString() }
          : {
              remaining: Math.min(consent.remaining + 1, consentPolicy.maxBalance),
              used: Math.max(consent.used - 1, 0),
              updatedAt: ctx.now().toISOString(),
            },
      );
    });
    return false;
  }
  await pushes.update(push._id, { status: 'sent', sentAt: ctx.now().toISOString() });
  return true;
}

/** What is being delivered. */
export interface DeliveryPlan {
  itemId: string;
  itemType: Delivery['itemType'];
  purpose: 'delivery' | 'training';
  data: MessageData;
  /** Whether producers are asked to confirm 已阅知 (staff never are). */
  requiresAck: boolean;
  via: Delivery['via'];
}

/** A push document for a user (not yet written). */
export function pushFor(
  ctx: Ctx,
  userId: string,
  purpose: Push['purpose'],
  item: { itemId: string; itemType: Push['itemType'] },
  data: MessageData,
  idParts: readonly string[] = [],
): Push {
  return {
    _id: deterministicId('push', purpose, item.itemId, userId, ...idParts),
    userId,
    templateKey: templateForPurpose[purpose],
    purpose,
    itemId: item.itemId,
    itemType: item.itemType,
    data,
    status: 'pending',
    createdAt: ctx.now().toISOString(),
    sentAt: null,
    error: null,
  };
}

/** A delivery document for an addressed user (not yet written). */
export function deliveryFor(
  ctx: Ctx,
  plan: Omit<DeliveryPlan, 'purpose' | 'data'>,
  user: AddressedUser,
): Delivery {
  return {
    _id: deliveryId(plan.itemId, user.userId),
    itemId: plan.itemId,
    itemType: plan.itemType,
    userId: user.userId,
    recipient: user.recipient,
    divisionCode: user.divisionCode,
    requiresAck: plan.requiresAck && user.recipient === 'producer',
    deliveredAt: ctx.now().toISOString(),
    readAt: null,
    ackAt: null,
    remindedAt: null,
    remindedOn: null,
    via: plan.via,
  };
}

/** Delivers to every user not yet delivered to, with a subscribe message where consented. */
export async function deliver(
  ctx: Ctx,
  plan: DeliveryPlan,
  users: readonly AddressedUser[],
  budget: Budget,
): Promise<SendOutcome> {
  const deliveries = ctx.store.collection<Delivery>('deliveries');
  const existing = new Set((await deliveries.find({ itemId: plan.itemId })).map((d) => d.userId));
  const pending = users.filter((u) => !existing.has(u.userId));
  const templateKey = templateForPurpose[plan.purpose];
  const consented = await withConsent(
    ctx,
    pending.map((u) => u.userId),
    templateKey,
  );
  const outcome: SendOutcome = { delivered: 0, messaged: 0, done: true };
  for (const user of pending) {
    if (budget.expired()) return { ...outcome, done: false };
    const delivery = deliveryFor(ctx, plan, user);
    try {
      if (!consented.has(user.userId)) {
        await deliveries.insert(delivery);
        outcome.delivered += 1;
        continue;
      }
      const push = await ctx.store.transaction(async (tx) => {
        await tx.collection<Delivery>('deliveries').insert(delivery);
        if (!(await takeConsent(tx, ctx, user.userId, templateKey))) return null;
        const p = pushFor(ctx, user.userId, plan.purpose, plan, plan.data);
        await tx.collection<Push>('pushes').insert(p);
        return p;
      });
      outcome.delivered += 1;
      if (push && (await sendPush(ctx, push))) outcome.messaged += 1;
    } catch (error) {
      // Delivered already, by an overlapping send: nothing taken, nothing to do.
      if (error instanceof StoreConflictError) continue;
      throw error;
    }
  }
  return outcome;
}

type Claimable = {
  _id: string;
  status: string;
  publishAt: string;
  sending: SendClaim | null;
};

/**
 * Claims a due record for this call's send, in a transaction: null when it is not due, already
 * sent, or another call's claim is fresh.
 */
export async function claimSend<T extends Claimable>(
  ctx: Ctx,
  collection: 'outreachItems' | 'trainingSessions',
  id: string,
): Promise<T | null> {
  const now = ctx.now();
  return ctx.store.transaction(async (tx) => {
    const docs = tx.collection<T>(collection);
    const doc = await docs.get(id);
    if (!doc || doc.status !== 'scheduled') return null;
    if (Date.parse(doc.publishAt) > now.getTime()) return null;
    const claim = doc.sending;
    const stale = sendPolicy.claimStaleMinutes * 60_000;
    if (claim && now.getTime() - Date.parse(claim.at) < stale) return null;
    const sending: SendClaim = { requestId: ctx.requestId, at: now.toISOString() };
    await docs.update(id, { sending } as Partial<Omit<T, '_id'>>);
    return { ...doc, sending };
  });
}

/** Ends this call's claim: with the record's new state when done, or released for the next tick. */
export async function endSend<T extends Claimable>(
  ctx: Ctx,
  collection: 'outreachItems' | 'trainingSessions',
  id: string,
  done: Partial<Omit<T, '_id'>> | null,
): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const docs = tx.collection<T>(collection);
    const doc = await docs.get(id);
    if (!doc || doc.sending?.requestId !== ctx.requestId) return;
    await docs.update(id, { ...(done ?? {}), sending: null } as Partial<Omit<T, '_id'>>);
  });
}
