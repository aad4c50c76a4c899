/**
 * The embedded runtime's messenger: instead of WeChat, every message lands in the `outbox`
 * collection, where a developer (or a test) reads what would have been sent.
 */
import type { MessageData, TemplateKey } from '../../../src/domain/outreach';
import type { Ctx } from '../action';
import { newId } from '../ids';
import { templateIdsOf, type Messenger, type TemplateConfigs } from './port';

/** `outbox` — one document per message the local messenger "sent". */
export interface OutboxMessage {
  _id: string;
  userId: string;
  templateKey: TemplateKey;
  /** The configured WeChat template id, or null on a runtime with none. */
  templateId: string | null;
  data: MessageData;
  at: string;
}

export function outboxMessenger(
  ctx: Pick<Ctx, 'store' | 'now' | 'randomBytes'>,
  templates: TemplateConfigs = {},
): Messenger {
  const ids = templateIdsOf(templates);
  return {
    async send(userId, templateKey, data) {
      await ctx.store.collection<OutboxMessage>('outbox').insert({
        _id: newId(ctx, 'out'),
        userId,
        templateKey,
        templateId: ids[templateKey],
        data,
        at: ctx.now().toISOString(),
      });
    },
    templateIds: () => ids,
  };
}
