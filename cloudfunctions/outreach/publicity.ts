/**
 * 宣传发布 — a street office or the bureau publishes an item to an audience, now or at a set
 * time; staff list what reaches their division, with the figures so far and the poster link.
 */
import * as z from 'zod/mini';
import { AppError } from '../../src/domain/errors';
import {
  audienceFor,
  audienceText,
  kindsRequiringAck,
  outreachItemIdPattern,
  posterUrl,
  publicityKindCodes,
  publicityKinds,
  publicityPolicy,
  publishInputSchema,
  summaryOf,
  textBlocks,
  type Delivery,
  type OutreachItem,
  type PublicityKind,
  type StoredAudience,
  type TextBlock,
} from '../../src/domain/outreach';
import { action, callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { newId } from '../kit/ids';
import { divisionScope } from '../kit/scope';
import { codesIn, itemForStaff, itemVisible, publishers, readers } from './access';
import { sendItem } from './dispatch';
import { checkFiles, fileLinks, type FileLink } from './files';
import { Budget } from './send';

/** An item as staff list it. */
export interface ItemSummary {
  itemId: string;
  kind: PublicityKind;
  kindLabel: string;
  title: string;
  summary: string;
  requiresAck: boolean;
  audience: StoredAudience;
  audienceText: string;
  /** scheduled: 待发布; sending: 发送中 (due, part-delivered); sent: 已发布. */
  status: 'scheduled' | 'sending' | 'sent';
  statusLabel: string;
  publishAt: string;
  sentAt: string | null;
  ownerDivision: string | null;
  createdBy: string;
  createdAt: string;
  /** The public poster page (works once sent). */
  shareUrl: string;
}

/** Delivered, read and acknowledged within the caller's scope. */
export interface QuickFigures {
  delivered: number;
  read: number;
  acknowledged: number;
}

/** An item as its reader sees it: the text in blocks, signed links to its files. */
export interface ItemView {
  itemId: string;
  kind: PublicityKind;
  kindLabel: string;
  title: string;
  blocks: TextBlock[];
  images: FileLink[];
  videoUrl: string | null;
  pdf: FileLink | null;
  requiresAck: boolean;
  publishedAt: string;
  shareUrl: string;
}

const statusLabels = { scheduled: '待发布', sending: '发送中', sent: '已发布' } as const;

export function itemSummary(ctx: Ctx, item: OutreachItem): ItemSummary {
  const status =
    item.status === 'sent'
      ? 'sent'
      : Date.parse(item.publishAt) <= ctx.now().getTime()
        ? 'sending'
        : 'scheduled';
  return {
    itemId: item._id,
    kind: item.kind,
    kindLabel: publicityKinds[item.kind],
    title: item.title,
    summary: summaryOf(item.body),
    requiresAck: item.requiresAck,
    audience: item.audience,
    audienceText: audienceText(item.audience),
    status,
    statusLabel: statusLabels[status],
    publishAt: item.publishAt,
    sentAt: item.sentAt,
    ownerDivision: item.ownerDivision,
    createdBy: item.createdBy,
    createdAt: item.createdAt,
    shareUrl: posterUrl(ctx.config.publicBaseUrl, item._id),
  };
}

export async function itemView(ctx: Ctx, item: OutreachItem): Promise<ItemView> {
  const [images, pdf] = await Promise.all([
    fileLinks(ctx, item.imageFileIds),
    item.pdfFileId ? fileLinks(ctx, [item.pdfFileId]) : Promise.resolve([]),
  ]);
  return {
    itemId: item._id,
    kind: item.kind,
    kindLabel: publicityKinds[item.kind],
    title: item.title,
    blocks: item.blocks,
    images,
    videoUrl: item.videoUrl,
    pdf: pdf[0] ?? null,
    requiresAck: item.requiresAck,
    publishedAt: item.sentAt ?? item.publishAt,
    shareUrl: posterUrl(ctx.config.publicBaseUrl, item._id),
  };
}

async function quickFigures(
  ctx: Ctx,
  item: OutreachItem,
  codes: string[] | null,
): Promise<QuickFigures> {
  const deliveries = ctx.store.collection<Delivery>('deliveries');
  const where = { itemId: item._id, ...(codes ? { divisionCode: codes } : {}) };
  const delivered = await deliveries.count(where);
  if (delivered === 0) return { delivered, read: 0, acknowledged: 0 };
  const unread = await deliveries.count({ ...where, readAt: null });
  // Items that ask for confirmation address producers only, so every delivery is asked.
  const unacknowledged = item.requiresAck ? await deliveries.count({ ...where, ackAt: null }) : 0;
  return {
    delivered,
    read: delivered - unread,
    acknowledged: item.requiresAck ? delivered - unacknowledged : 0,
  };
}

export const itemIdField = z
  .string({ error: '请选择宣传内容' })
  .check(z.regex(outreachItemIdPattern, { error: '宣传内容编号不正确' }));

export const publicityActions = {
  /**
   * 发布 — an article, poster, video, 告知书 or 明白纸 to an audience: now (sent at once, the
   * rest left to the timer if the audience is large) or at `publishAt` (scheduled). A street's
   * supervisor addresses their own street only.
   */
  publish: action({
    input: publishInputSchema,
    roles: publishers,
    async run(input, ctx) {
      const scope = divisionScope(ctx);
      const check = audienceFor(input.audience, scope);
      if (!check.ok)
        throw new AppError(check.code, check.message, { [check.field]: [check.message] });
      const now = ctx.now();
      const later = input.publishAt && Date.parse(input.publishAt) > now.getTime();
      const limit = now.getTime() + publicityPolicy.maxScheduleDays * 86_400_000;
      if (input.publishAt && Date.parse(input.publishAt) > limit) {
        const message = `发布时间最多设在 ${publicityPolicy.maxScheduleDays} 天之后`;
        throw new AppError('INVALID_INPUT', message, { publishAt: [message] });
      }
      await checkFiles(ctx, [
        ...input.imageFileIds.map((fileId, i) => ({
          field: `imageFileIds.${i}`,
          fileId,
          types: ['image/jpeg', 'image/png'] as const,
        })),
        ...(input.pdfFileId
          ? [{ field: 'pdfFileId', fileId: input.pdfFileId, types: ['application/pdf'] as const }]
          : []),
      ]);
      const item: OutreachItem = {
        _id: newId(ctx, 'pub'),
        kind: input.kind,
        title: input.title,
        body: input.body,
        blocks: textBlocks(input.body),
        imageFileIds: input.imageFileIds,
        videoUrl: input.videoUrl ?? null,
        pdfFileId: input.pdfFileId ?? null,
        audience: check.audience,
        requiresAck: input.requiresAck ?? kindsRequiringAck.includes(input.kind),
        ownerDivision: scope,
        publishAt: later && input.publishAt ? input.publishAt : now.toISOString(),
        status: 'scheduled',
        sending: null,
        sentAt: null,
        deliveredCount: null,
        createdBy: callerOf(ctx).userId,
        createdAt: now.toISOString(),
      };
      await ctx.store.transaction(async (tx) => {
        await tx.collection<OutreachItem>('outreachItems').insert(item);
        await writeAudit(tx, ctx, {
          action: 'outreach.publish',
          entity: 'outreachItems',
          entityId: item._id,
          detail: {
            kind: item.kind,
            title: item.title,
            audience: item.audience,
            requiresAck: item.requiresAck,
            publishAt: item.publishAt,
          },
        });
      });
      const outcome = later ? null : await sendItem(ctx, item._id, new Budget());
      const stored =
        (await ctx.store.collection<OutreachItem>('outreachItems').get(item._id)) ?? item;
      return {
        item: itemSummary(ctx, stored),
        /** Deliveries and subscribe messages made by this call (0 when scheduled). */
        delivered: outcome?.delivered ?? 0,
        messaged: outcome?.messaged ?? 0,
      };
    },
  }),

  /** 宣传内容列表 — what reaches the caller's division, newest first, with figures in scope. */
  items: action({
    input: z.object({
      status: z.optional(z.enum(['scheduled', 'sent'], { error: '状态不正确' })),
      kind: z.optional(z.enum(publicityKindCodes, { error: '内容类型不正确' })),
      limit: z._default(z.int().check(z.gte(1), z.lte(100)), 20),
    }),
    roles: readers,
    async run(input, ctx): Promise<(ItemSummary & { figures: QuickFigures })[]> {
      const scope = divisionScope(ctx);
      const found = await ctx.store
        .collection<OutreachItem>('outreachItems')
        .find(input.status ? { status: input.status } : {});
      const visible = found
        .filter((i) => itemVisible(scope, i) && (!input.kind || i.kind === input.kind))
        .sort((a, b) => b.publishAt.localeCompare(a.publishAt) || b._id.localeCompare(a._id))
        .slice(0, input.limit);
      const codes = codesIn(scope);
      const out = [];
      for (const item of visible) {
        out.push({ ...itemSummary(ctx, item), figures: await quickFigures(ctx, item, codes) });
      }
      return out;
    },
  }),

  /** 宣传内容详情 (staff) — the item as readers see it, with its state and audience. */
  item: action({
    input: z.object({ itemId: itemIdField }),
    roles: readers,
    async run(input, ctx): Promise<ItemSummary & { view: ItemView; body: string }> {
      const item = await itemForStaff(ctx, input.itemId);
      return { ...itemSummary(ctx, item), body: item.body, view: await itemView(ctx, item) };
    },
  }),

  /** 海报二维码 — the public link to print as a QR code on boards (live once the item is sent). */
  posterQr: action({
    input: z.object({ itemId: itemIdField }),
    roles: readers,
    async run(input, ctx) {
      const item = await itemForStaff(ctx, input.itemId);
      return {
        itemId: item._id,
        title: item.title,
        kindLabel: publicityKinds[item.kind],
        url: posterUrl(ctx.config.publicBaseUrl, item._id),
        live: item.status === 'sent',
      };
    },
  }),
};
