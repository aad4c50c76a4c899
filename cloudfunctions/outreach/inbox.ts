/**
 * 收件箱 — what has been addressed to the caller: publicity items and training notices, newest
 * first, with read and 已阅知 state. A producer who joined after an item was sent finds it here
 * on their next visit (delivered late), so the 告知书 reaches every producer, not only those
 * registered on the day it went out.
 */
import * as z from 'zod/mini';
import { AppError } from '../../src/domain/errors';
import {
  publicityKinds,
  selectAudience,
  summaryOf,
  type Delivery,
  type OutreachItem,
  type PublicityKind,
  type TrainingSession,
} from '../../src/domain/outreach';
import { action, callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { StoreConflictError } from '../kit/store/port';
import { itemIdField, itemView, type ItemView } from './publicity';
import { deliveryFor, deliveryId } from './send';
import { sessionView, type SessionView } from './training';
import { ownWorld, type World } from './world';

export interface InboxEntry {
  itemId: string;
  itemType: Delivery['itemType'];
  kind: PublicityKind | 'training';
  kindLabel: string;
  title: string;
  summary: string;
  publishedAt: string;
  deliveredAt: string;
  readAt: string | null;
  ackAt: string | null;
  requiresAck: boolean;
  remindedAt: string | null;
  /** For training notices: when and where. */
  session: Pick<SessionView, 'startsAt' | 'endsAt' | 'place' | 'onlineUrl'> | null;
}

export function inboxEntry(
  d: Delivery,
  item: OutreachItem | null,
  session: TrainingSession | null,
): InboxEntry {
  const base = {
    itemId: d.itemId,
    itemType: d.itemType,
    deliveredAt: d.deliveredAt,
    readAt: d.readAt,
    ackAt: d.ackAt,
    requiresAck: d.requiresAck,
    remindedAt: d.remindedAt,
  };
  if (d.itemType === 'training') {
    return {
      ...base,
      kind: 'training',
      kindLabel: '培训通知',
      title: session?.title ?? '培训通知',
      summary: session ? `${session.place ?? '线上培训'}` : '',
      publishedAt: session?.publishedAt ?? d.deliveredAt,
      session: session
        ? {
            startsAt: session.startsAt,
            endsAt: session.endsAt,
            place: session.place,
            onlineUrl: session.onlineUrl,
          }
        : null,
    };
  }
  return {
    ...base,
    kind: item?.kind ?? 'article',
    kindLabel: item ? publicityKinds[item.kind] : '',
    title: item?.title ?? '',
    summary: item ? summaryOf(item.body) : '',
    publishedAt: item?.sentAt ?? d.deliveredAt,
    session: null,
  };
}

/** Delivers sent items the caller is addressed by now but has not received (late joiners). */
async function catchUp(ctx: Ctx, own: World, onlyItemIds?: readonly string[]): Promise<void> {
  if (own.subjects.length === 0 && own.users.length === 0) return;
  const userId = callerOf(ctx).userId;
  const itemsCol = ctx.store.collection<OutreachItem>('outreachItems');
  const items = onlyItemIds
    ? await itemsCol.find({ _id: [...onlyItemIds] })
    : await itemsCol.find({ status: 'sent' });
  const deliveries = ctx.store.collection<Delivery>('deliveries');
  const mine = new Set((await deliveries.find({ userId })).map((d) => d.itemId));
  for (const item of items) {
    if (item.status !== 'sent' || mine.has(item._id)) continue;
    const me = selectAudience(item, own).find((a) => a.userId === userId);
    if (!me) continue;
    const delivery = deliveryFor(
      ctx,
      { itemId: item._id, itemType: 'publicity', requiresAck: item.requiresAck, via: 'late' },
      me,
    );
    try {
      await deliveries.insert(delivery);
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
    }
  }
}

/** The caller's delivery of an item, delivering it late if they are addressed by it now. */
async function ownDelivery(ctx: Ctx, itemId: string): Promise<Delivery> {
  const deliveries = ctx.store.collection<Delivery>('deliveries');
  const id = deliveryId(itemId, callerOf(ctx).userId);
  let delivery = await deliveries.get(id);
  if (!delivery && itemId.startsWith('pub_')) {
    await catchUp(ctx, await ownWorld(ctx), [itemId]);
    delivery = await deliveries.get(id);
  }
  if (!delivery) throw new AppError('NOT_FOUND', '没有找到这条内容');
  return delivery;
}

async function entryOf(ctx: Ctx, d: Delivery): Promise<InboxEntry> {
  const item =
    d.itemType === 'publicity'
      ? await ctx.store.collection<OutreachItem>('outreachItems').get(d.itemId)
      : null;
  const session =
    d.itemType === 'training'
      ? await ctx.store.collection<TrainingSession>('trainingSessions').get(d.itemId)
      : null;
  return inboxEntry(d, item, session);
}

const inboxItemId = z
  .string({ error: '请选择内容' })
  .check(z.regex(/^(?:pub|trn)_[0-9a-f]{24}$/, { error: '内容编号不正确' }));

export const inboxActions = {
  /** 收件箱 — newest first; `unread` and `toAcknowledge` count the whole inbox. */
  inbox: action({
    input: z.object({ limit: z._default(z.int().check(z.gte(1), z.lte(200)), 50) }),
    roles: 'signedIn',
    async run(input, ctx) {
      const userId = callerOf(ctx).userId;
      await catchUp(ctx, await ownWorld(ctx));
      const deliveries = await ctx.store.collection<Delivery>('deliveries').find({ userId });
      const ids = (type: Delivery['itemType']) =>
        deliveries.filter((d) => d.itemType === type).map((d) => d.itemId);
      const items = new Map<string, OutreachItem>();
      const sessions = new Map<string, TrainingSession>();
      const pubIds = ids('publicity');
      const trnIds = ids('training');
      for (let i = 0; i < pubIds.length; i += 100) {
        const found = await ctx.store
          .collection<OutreachItem>('outreachItems')
          .find({ _id: pubIds.slice(i, i + 100) });
        for (const it of found) items.set(it._id, it);
      }
      for (let i = 0; i < trnIds.length; i += 100) {
        const found = await ctx.store
          .collection<TrainingSession>('trainingSessions')
          .find({ _id: trnIds.slice(i, i + 100) });
        for (const s of found) sessions.set(s._id, s);
      }
      const entries = deliveries
        .map((d) => inboxEntry(d, items.get(d.itemId) ?? null, sessions.get(d.itemId) ?? null))
        .sort(
          (a, b) => b.publishedAt.localeCompare(a.publishedAt) || b.itemId.localeCompare(a.itemId),
        );
      return {
        entries: entries.slice(0, input.limit),
        total: entries.length,
        unread: entries.filter((e) => !e.readAt).length,
        toAcknowledge: entries.filter((e) => e.requiresAck && !e.ackAt).length,
      };
    },
  }),

  /** 阅读 — opens an item or training notice addressed to the caller and marks it read. */
  read: action({
    input: z.object({ itemId: inboxItemId }),
    roles: 'signedIn',
    async run(
      input,
      ctx,
    ): Promise<{ entry: InboxEntry; item: ItemView | null; session: SessionView | null }> {
      const delivery = await ownDelivery(ctx, input.itemId);
      if (!delivery.readAt) {
        const readAt = ctx.now().toISOString();
        await ctx.store.collection<Delivery>('deliveries').update(delivery._id, { readAt });
        delivery.readAt = readAt;
      }
      const item =
        delivery.itemType === 'publicity'
          ? await ctx.store.collection<OutreachItem>('outreachItems').get(delivery.itemId)
          : null;
      const session =
        delivery.itemType === 'training'
          ? await ctx.store.collection<TrainingSession>('trainingSessions').get(delivery.itemId)
          : null;
      return {
        entry: inboxEntry(delivery, item, session),
        item: item ? await itemView(ctx, item) : null,
        session: session ? await sessionView(ctx, session, null, { sign: true }) : null,
      };
    },
  }),

  /** 已阅知 — the producer confirms a 告知书 or 明白纸 (once; again changes nothing), audited. */
  acknowledge: action({
    input: z.object({ itemId: itemIdField }),
    roles: 'signedIn',
    async run(input, ctx): Promise<InboxEntry> {
      const delivery = await ownDelivery(ctx, input.itemId);
      if (!delivery.requiresAck) throw new AppError('CONFLICT', '这条内容不需要确认已阅知');
      if (delivery.ackAt) return entryOf(ctx, delivery);
      const now = ctx.now().toISOString();
      const updated = await ctx.store.transaction(async (tx) => {
        const docs = tx.collection<Delivery>('deliveries');
        const current = await docs.get(delivery._id);
        if (!current || current.ackAt) return current;
        const patch = { ackAt: now, readAt: current.readAt ?? now };
        await docs.update(current._id, patch);
        await writeAudit(tx, ctx, {
          action: 'outreach.acknowledge',
          entity: 'deliveries',
          entityId: current._id,
          detail: { itemId: current.itemId, divisionCode: current.divisionCode },
        });
        return { ...current, ...patch };
      });
      return entryOf(ctx, updated ?? delivery);
    },
  }),
};
