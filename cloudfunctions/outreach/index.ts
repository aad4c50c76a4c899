import { cloudbaseMain } from '../kit/cloudbase-main';
import { lazyMessenger, templatesFromEnv, withMessenger } from '../kit/messenger/port';
import { wechatMessenger } from '../kit/messenger/wechat';
import { outreachFunction } from './actions';

const states = ['developer', 'trial', 'formal'] as const;

/**
 * Subscribe messages through wx-server-sdk: OUTREACH_TEMPLATE_IDS (template ids by key) and
 * OUTREACH_MINIPROGRAM_STATE (which version a message opens: formal unless set).
 */
const messenger = lazyMessenger(() => {
  const state = process.env.OUTREACH_MINIPROGRAM_STATE?.trim();
  return wechatMessenger(templatesFromEnv(process.env.OUTREACH_TEMPLATE_IDS), {
    miniprogramState: states.find((s) => s === state) ?? 'formal',
  });
});

/** The CloudBase entry of the outreach function (handler `index.main`). */
export const main = cloudbaseMain(withMessenger(outreachFunction, messenger));
