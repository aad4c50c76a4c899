/**
 * The messaging port: WeChat subscribe messages (订阅消息). Two adapters keep one contract: an
 * outbox collection on the embedded runtime (tests read it), and wx-server-sdk's
 * `cloud.openapi.subscribeMessage.send` on CloudBase. Counting consents is not the port's job:
 * callers send only when a consent paid for the message.
 */
import {
  subscribeTemplates,
  templateKeyCodes,
  type MessageData,
  type TemplateKey,
} from '../../../src/domain/outreach';
import type { CloudFunction, Ctx } from '../action';
import { ConfigError } from '../config';

export interface Messenger {
  /** Sends one message; rejects with MessengerError (or any error) when it did not go out. */
  send(userId: string, templateKey: TemplateKey, data: MessageData): Promise<void>;
  /** The WeChat template id behind each key, for wx.requestSubscribeMessage; null when unset. */
  templateIds(): Record<TemplateKey, string | null>;
}

/** A send that failed; `permanent` when retrying cannot help (the user has no subscription). */
export class MessengerError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'MessengerError';
  }
}

/** A template as configured: its id and which of its keywords each part of the message fills. */
export interface TemplateConfig {
  id: string;
  /** Keyword names in the template, e.g. { title: 'thing1', time: 'time2', note: 'thing3' }. */
  fields: { title: string; time: string; note: string };
}

export type TemplateConfigs = Partial<Record<TemplateKey, TemplateConfig>>;

/** The keywords a template id alone is taken to have (pick templates with these, or map them). */
export const defaultTemplateFields: TemplateConfig['fields'] = {
  title: 'thing1',
  time: 'time2',
  note: 'thing3',
};

const keywordPattern = /^[a-z_]+\d+$/;

/**
 * OUTREACH_TEMPLATE_IDS: JSON of template key → id, or → { id, fields }, e.g.
 * `{"notice":"AbC…","training":{"id":"XyZ…","fields":{"title":"thing4","time":"date2","note":"thing5"}}}`.
 * Keys: notice (新通知提醒), training (培训通知), reminder (待确认提醒). Unset = none configured.
 */
export function templatesFromEnv(raw: string | undefined): TemplateConfigs {
  if (!raw?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('OUTREACH_TEMPLATE_IDS 不是有效的 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('OUTREACH_TEMPLATE_IDS 应为 {"notice":"模板ID", …}');
  }
  const out: TemplateConfigs = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!(templateKeyCodes as readonly string[]).includes(key)) {
      throw new ConfigError(
        `OUTREACH_TEMPLATE_IDS 里有未知的模板 ${key}（可用：${templateKeyCodes
          .map((k) => `${k}=${subscribeTemplates[k]}`)
          .join('，')}）`,
      );
    }
    const config =
      typeof value === 'string'
        ? { id: value, fields: defaultTemplateFields }
        : (value as { id?: unknown; fields?: Record<string, unknown> } | null);
    const id = config?.id;
    const fields = { ...defaultTemplateFields, ...(config?.fields ?? {}) };
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{8,128}$/.test(id)) {
      throw new ConfigError(`OUTREACH_TEMPLATE_IDS.${key} 的模板 ID 不正确`);
    }
    if (!Object.values(fields).every((f) => typeof f === 'string' && keywordPattern.test(f))) {
      throw new ConfigError(`OUTREACH_TEMPLATE_IDS.${key}.fields 应为模板关键词，如 thing1、time2`);
    }
    out[key as TemplateKey] = { id, fields: fields as TemplateConfig['fields'] };
  }
  return out;
}

/** Template ids by key, null where none is configured. */
export function templateIdsOf(templates: TemplateConfigs): Record<TemplateKey, string | null> {
  return Object.fromEntries(templateKeyCodes.map((k) => [k, templates[k]?.id ?? null])) as Record<
    TemplateKey,
    string | null
  >;
}

/**
 * The function with `messenger` in the ctx of every action and of its scheduled work: how a
 * runtime that sends real messages (CloudBase) hands its messenger to the function needing it.
 */
export function withMessenger<F extends CloudFunction>(fn: F, messenger: Messenger): F {
  const inject = (ctx: Ctx): Ctx => ({ ...ctx, messenger });
  const actions = Object.fromEntries(
    Object.entries(fn.actions).map(([name, a]) => [
      name,
      { ...a, run: (input: unknown, ctx: Ctx) => a.run(input, inject(ctx)) },
    ]),
  );
  const scheduled = fn.scheduled;
  return {
    ...fn,
    actions,
    ...(scheduled ? { scheduled: (ctx: Ctx) => scheduled(inject(ctx)) } : {}),
  };
}

/** A messenger made on first use, so a bad configuration fails that use, not the function's load. */
export function lazyMessenger(make: () => Messenger): Messenger {
  let made: Messenger | null = null;
  const get = () => (made ??= make());
  return {
    send: (userId, templateKey, data) => get().send(userId, templateKey, data),
    templateIds: () => get().templateIds(),
  };
}
