/**
 * 触达 — proof of reach for the office: how many were addressed, delivered, read and confirmed,
 * per division; who has not confirmed yet; and a reminder to them (at most once a day each).
 */
import * as z from 'zod/mini';
import { chinaDate } from '../../src/domain/certificate';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import {
  reachOf,
  reminderMessage,
  selectAudience,
  unclaimedSubjects,
  type AddressedUser,
  type Delivery,
  type OutreachItem,
  type Push,
  type Reach,
} from '../../src/domain/outreach';
import type { User } from '../../src/domain/role';
import { subjectTypes, type Subject, type SubjectType } from '../../src/domain/subject';
import { action, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { divisionScope, inScope } from '../kit/scope';
import { StoreConflictError } from '../kit/store/port';
import { itemForStaff, publishers, readers, scopePredicate } from './access';
import { itemIdField } from './publicity';
import { Budget, deliveryFor, deliveryId, pushFor, sendPush, takeConsent } from './send';
import { loadWorld, type World } from './world';

/** One producer who has not confirmed an item yet. */
export interface PendingRow {
  userId: string;
  nickname: string;
  divisionCode: string;
  divisionName: string;
  subjects: {
    subjectId: string;
    name: string;
    type: SubjectType;
    typeLabel: string;
    contactName: string;
    phone: string;
  }[];
  /** False when the producer is addressed but has not opened the app since the item went out. */
  delivered: boolean;
  deliveredAt: string | null;
  readAt: string | null;
  remindedAt: string | null;
}

interface Pending {
  user: AddressedUser;
  delivery: Delivery | null;
}

/**
 * Producers of the item within `accept` who have not confirmed: delivered and unconfirmed, or
 * addressed now and not yet delivered.
 */
function pendingOf(
  addressed: readonly AddressedUser[],
  deliveries: readonly Delivery[],
  accept: (code: string) => boolean,
): Pending[] {
  const byUser = new Map(deliveries.map((d) => [d.userId, d]));
  const out = new Map<string, Pending>();
  for (const a of addressed) {
    if (a.recipient !== 'producer') continue;
    const d = byUser.get(a.userId) ?? null;
    if (d?.ackAt) continue;
    if (accept(d?.divisionCode ?? a.divisionCode)) out.set(a.userId, { user: a, delivery: d });
  }
  for (const d of deliveries) {
    if (!d.requiresAck || d.ackAt || out.has(d.userId) || !accept(d.divisionCode)) continue;
    out.set(d.userId, {
      user: {
        userId: d.userId,
        recipient: d.recipient,
        divisionCode: d.divisionCode,
        subjectIds: [],
      },
      delivery: d,
    });
  }
  return [...out.values()];
}

async function itemState(ctx: Ctx, itemId: string) {
  const item = await itemForStaff(ctx, itemId);
  const world = await loadWorld(ctx);
  const deliveries = await ctx.store.collection<Delivery>('deliveries').find({ itemId: item._id });
  return { item, world, deliveries, addressed: selectAudience(item, world) };
}

function requireAck(item: OutreachItem): void {
  if (!item.requiresAck) {
    throw new AppError('CONFLICT', '这条内容不需要确认已阅知，没有未确认名单');
  }
}

/** Users' nicknames by id, read a hundred at a time. */
export async function nicknames(
  ctx: Pick<Ctx, 'store'>,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const users = ctx.store.collection<User>('users');
  for (let i = 0; i < ids.length; i += 100) {
    for (const u of await users.find({ _id: ids.slice(i, i + 100) })) out.set(u._id, u.nickname);
  }
  return out;
}

function subjectsOf(world: World, userId: string): Subject[] {
  return world.subjects
    .filter((s) => s.ownerId === userId)
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

const divisionOrder = (code: string) => {
  const i = lianyunDivisions.findIndex((d) => d.code === code);
  return i < 0 ? lianyunDivisions.length : i;
};

const divisionFilter = z.optional(
  z.string().check(z.regex(/^\d{6}(\d{3})?$/, { error: '区划代码为 6 位或 9 位数字' })),
);

export const reachActions = {
  /**
   * 触达统计 — addressed, delivered, read, acknowledged; by division and by recipient, within
   * the caller's scope. `unclaimedSubjects`: matching subjects nobody operates in the app yet.
   */
  reach: action({
    input: z.object({ itemId: itemIdField }),
    roles: readers,
    async run(
      input,
      ctx,
    ): Promise<Reach & { itemId: string; title: string; unclaimedSubjects: number }> {
      const { item, world, deliveries, addressed } = await itemState(ctx, input.itemId);
      const accept = scopePredicate(divisionScope(ctx));
      return {
        itemId: item._id,
        title: item.title,
        ...reachOf(item, addressed, deliveries, accept),
        unclaimedSubjects: unclaimedSubjects(item.audience, world.subjects).filter((s) =>
          accept(s.divisionCode),
        ).length,
      };
    },
  }),

  /** 未确认名单 — producers in scope (or one division of it) who have not confirmed 已阅知. */
  unacknowledged: action({
    input: z.object({
      itemId: itemIdField,
      divisionCode: divisionFilter,
      limit: z._default(z.int().check(z.gte(1), z.lte(2000)), 500),
    }),
    roles: readers,
    async run(input, ctx): Promise<{ total: number; rows: PendingRow[] }> {
      const scope = divisionScope(ctx);
      if (input.divisionCode && !inScope(scope, input.divisionCode)) {
        throw new AppError('FORBIDDEN', '这个街道不在您的辖区内');
      }
      const { item, world, deliveries, addressed } = await itemState(ctx, input.itemId);
      requireAck(item);
      const accept = (code: string) =>
        inScope(scope, code) && (!input.divisionCode || inScope(input.divisionCode, code));
      const pending = pendingOf(addressed, deliveries, accept);
      const names = await nicknames(
        ctx,
        pending.map((p) => p.user.userId),
      );
      const rows: PendingRow[] = pending.map(({ user, delivery }) => {
        const code = delivery?.divisionCode ?? user.divisionCode;
        return {
          userId: user.userId,
          nickname: names.get(user.userId) ?? '',
          divisionCode: code,
          divisionName: divisionName(lianyunDivisions, code) ?? code,
          subjects: subjectsOf(world, user.userId).map((s) => ({
            subjectId: s._id,
            name: s.name,
            type: s.type,
            typeLabel: subjectTypes[s.type],
            contactName: s.contactName,
            phone: s.phone,
          })),
          delivered: delivery !== null,
          deliveredAt: delivery?.deliveredAt ?? null,
          readAt: delivery?.readAt ?? null,
          remindedAt: delivery?.remindedAt ?? null,
        };
      });
      rows.sort(
        (a, b) =>
          divisionOrder(a.divisionCode) - divisionOrder(b.divisionCode) ||
          (a.subjects[0]?.name ?? '').localeCompare(b.subjects[0]?.name ?? '', 'zh-CN') ||
          a.userId.localeCompare(b.userId),
      );
      return { total: rows.length, rows: rows.slice(0, input.limit) };
    },
  }),

  /**
   * 提醒确认 — everyone in scope who has not confirmed gets a reminder in the inbox and, where
   * they consented, a subscribe message; once a day per person, however often the office asks.
   */
  remind: action({
    input: z.object({ itemId: itemIdField }),
    roles: publishers,
    async run(input, ctx) {
      const scope = divisionScope(ctx);
      const { item, deliveries, addressed } = await itemState(ctx, input.itemId);
      requireAck(item);
      if (item.status !== 'sent') throw new AppError('CONFLICT', '这条内容还没有发布，不能提醒');
      const now = ctx.now();
      const today = chinaDate(now);
      const data = reminderMessage(item, now);
      const budget = new Budget();
      const result = { reminded: 0, messaged: 0, alreadyToday: 0, done: true };
      const docs = ctx.store.collection<Delivery>('deliveries');
      for (const { user, delivery } of pendingOf(addressed, deliveries, scopePredicate(scope))) {
        if (budget.expired()) {
          result.done = false;
          break;
        }
        if (!delivery) {
          const late = deliveryFor(
            ctx,
            {
              itemId: item._id,
              itemType: 'publicity',
              requiresAck: item.requiresAck,
              via: 'reminder',
            },
            user,
          );
          await docs.insert(late).catch((error: unknown) => {
            if (!(error instanceof StoreConflictError)) throw error;
          });
        }
        const outcome = await ctx.store.transaction(async (tx) => {
          const d = await tx
            .collection<Delivery>('deliveries')
            .get(deliveryId(item._id, user.userId));
          if (!d || d.ackAt) return 'skip' as const;
          if (d.remindedOn === today) return 'today' as const;
          await tx
            .collection<Delivery>('deliveries')
            .update(d._id, { remindedAt: now.toISOString(), remindedOn: today });
          if (!(await takeConsent(tx, ctx, d.userId, 'reminder'))) return null;
          const push = pushFor(
            ctx,
            d.userId,
            'reminder',
            { itemId: item._id, itemType: 'publicity' },
            data,
            [today],
          );
          await tx.collection<Push>('pushes').insert(push);
          return push;
        });
        if (outcome === 'skip') continue;
        if (outcome === 'today') {
          result.alreadyToday += 1;
          continue;
        }
        result.reminded += 1;
        if (outcome && (await sendPush(ctx, outcome))) result.messaged += 1;
      }
      if (result.reminded > 0) {
        await ctx.store.transaction((tx) =>
          writeAudit(tx, ctx, {
            action: 'outreach.remind',
            entity: 'outreachItems',
            entityId: item._id,
            detail: { day: today, scope, reminded: result.reminded, messaged: result.messaged },
          }),
        );
      }
      return result;
    },
  }),
};
