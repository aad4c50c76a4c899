/**
 * 订阅消息授权 — each time a user accepts wx.requestSubscribeMessage for a template, the app
 * records it here; every subscribe message sent takes one (see send.ts). Never a message without.
 */
import * as z from 'zod/mini';
import {
  consentInputSchema,
  consentPolicy,
  subscribeTemplates,
  templateKeyCodes,
  type Consent,
  type TemplateKey,
} from '../../src/domain/outreach';
import { action, callerOf } from '../kit/action';
import { consentId, messengerOf } from './send';

export interface Subscription {
  key: TemplateKey;
  label: string;
  /** The WeChat template id to pass to wx.requestSubscribeMessage; null when not configured. */
  templateId: string | null;
  /** Messages of this template the user may still receive. */
  remaining: number;
}

export const consentActions = {
  /** 订阅 — records `count` accepted subscriptions of a template (capped at the policy's balance). */
  consent: action({
    input: consentInputSchema,
    roles: 'signedIn',
    async run(input, ctx): Promise<{ templateKey: TemplateKey; remaining: number }> {
      const userId = callerOf(ctx).userId;
      const id = consentId(userId, input.templateKey);
      const now = ctx.now().toISOString();
      const remaining = await ctx.store.transaction(async (tx) => {
        const consents = tx.collection<Consent>('consents');
        const seen = await consents.get(id);
        const next = Math.min((seen?.remaining ?? 0) + input.count, consentPolicy.maxBalance);
        await consents.put({
          _id: id,
          userId,
          templateKey: input.templateKey,
          remaining: next,
          granted: (seen?.granted ?? 0) + input.count,
          used: seen?.used ?? 0,
          updatedAt: now,
        });
        return next;
      });
      return { templateKey: input.templateKey, remaining };
    },
  }),

  /** 我的订阅 — each template, its WeChat id (for requestSubscribeMessage) and what is left. */
  subscriptions: action({
    input: z.object({}),
    roles: 'signedIn',
    async run(_input, ctx): Promise<Subscription[]> {
      const userId = callerOf(ctx).userId;
      const mine = new Map(
        (await ctx.store.collection<Consent>('consents').find({ userId })).map((c) => [
          c.templateKey,
          c.remaining,
        ]),
      );
      const ids = messengerOf(ctx).templateIds();
      return templateKeyCodes.map((key) => ({
        key,
        label: subscribeTemplates[key],
        templateId: ids[key],
        remaining: mine.get(key) ?? 0,
      }));
    },
  }),
};
