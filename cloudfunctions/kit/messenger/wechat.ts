/**
 * The CloudBase messenger: WeChat subscribe messages through wx-server-sdk's 云调用
 * `cloud.openapi.subscribeMessage.send`. The function that uses it declares the permission in its
 * config.json (`permissions.openapi: ["subscribeMessage.send"]`, written by build-functions) and
 * lists wx-server-sdk in its package.json; the SDK is loaded on the first send only, so a runtime
 * that never sends never needs it.
 */
import type { MessageData, TemplateKey } from '../../../src/domain/outreach';
import {
  MessengerError,
  templateIdsOf,
  type Messenger,
  type TemplateConfig,
  type TemplateConfigs,
} from './port';

/** The part of wx-server-sdk this adapter uses. */
export interface WxServerSdk {
  init(options: { env: unknown }): void;
  DYNAMIC_CURRENT_ENV: unknown;
  openapi: {
    subscribeMessage: {
      send(params: {
        touser: string;
        templateId: string;
        page: string;
        data: Record<string, { value: string }>;
        miniprogramState: 'developer' | 'trial' | 'formal';
        lang: 'zh_CN';
      }): Promise<{ errCode?: number; errMsg?: string }>;
    };
  };
}

export interface WechatMessengerOptions {
  /** Which version of the mini-program a message opens (OUTREACH_MINIPROGRAM_STATE); formal. */
  miniprogramState?: 'developer' | 'trial' | 'formal';
  /** Loads the SDK (tests pass a fake); default `require('wx-server-sdk')`. */
  load?: () => WxServerSdk;
}

/** 43101: the user refused or has used up the subscription — retrying cannot help. */
const noSubscription = 43101;

/** Template keyword values have limits by keyword type (thing ≤ 20 characters, phrase ≤ 5…). */
export function keywordValue(keyword: string, value: string): string {
  const limit = keyword.startsWith('thing')
    ? 20
    : keyword.startsWith('phrase')
      ? 5
      : keyword.startsWith('name')
        ? 10
        : keyword.startsWith('character_string')
          ? 32
          : null;
  const chars = [...value];
  if (limit === null || chars.length <= limit) return value;
  return `${chars.slice(0, limit - 1).join('')}…`;
}

/** The template's keyword data for a message. */
export function templateData(
  template: TemplateConfig,
  data: MessageData,
): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {};
  for (const part of ['title', 'time', 'note'] as const) {
    const keyword = template.fields[part];
    out[keyword] = { value: keywordValue(keyword, data[part]) };
  }
  return out;
}

function defaultLoad(): WxServerSdk {
  // Installed beside the function on CloudBase (its package.json), never bundled.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('wx-server-sdk') as WxServerSdk;
}

export function wechatMessenger(
  templates: TemplateConfigs,
  options: WechatMessengerOptions = {},
): Messenger {
  let sdk: WxServerSdk | null = null;
  const ids = templateIdsOf(templates);
  const sdkOnce = (): WxServerSdk => {
    if (!sdk) {
      const loaded = (options.load ?? defaultLoad)();
      loaded.init({ env: loaded.DYNAMIC_CURRENT_ENV });
      sdk = loaded;
    }
    return sdk;
  };
  return {
    async send(userId: string, templateKey: TemplateKey, data: MessageData) {
      const template = templates[templateKey];
      if (!template) {
        throw new MessengerError(
          `订阅消息模板 ${templateKey} 未配置（OUTREACH_TEMPLATE_IDS）`,
          false,
        );
      }
      let result: { errCode?: number; errMsg?: string };
      try {
        result = await sdkOnce().openapi.subscribeMessage.send({
          touser: userId,
          templateId: template.id,
          page: data.page,
          data: templateData(template, data),
          miniprogramState: options.miniprogramState ?? 'formal',
          lang: 'zh_CN',
        });
      } catch (error) {
        const code = (error as { errCode?: unknown }).errCode;
        const message = (error as { errMsg?: unknown; message?: unknown }).errMsg ?? String(error);
        throw new MessengerError(
          String(message),
          code === noSubscription,
          typeof code === 'number' ? code : undefined,
        );
      }
      if (result.errCode !== undefined && result.errCode !== 0) {
        throw new MessengerError(
          result.errMsg ?? `errCode ${result.errCode}`,
          result.errCode === noSubscription,
          result.errCode,
        );
      }
    },
    templateIds: () => ids,
  };
}
