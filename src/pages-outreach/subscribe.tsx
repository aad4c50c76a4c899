/**
 * 订阅提醒 — in the mini-program, one tap asks WeChat for consent to the outreach templates
 * (wx.requestSubscribeMessage must come from a tap); each accepted template is recorded
 * (`outreach.consent`) and allows one message. H5 has no subscribe messages: nothing is shown.
 *
 * Element ids: `subscribe` (the button), `subscribe-remaining`, `subscribe-message`.
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { acceptedTemplates, remainingText, requestableTemplates } from './model';

function Subscribe() {
  const { state, reload } = useRemote(() => api.outreach.subscriptions());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  if (state.status !== 'ok') return null;
  const asked = requestableTemplates(state.data);
  // No template configured for this mini-program: there is nothing to consent to.
  if (asked.length === 0) return null;

  async function subscribe() {
    if (busy) return;
    setBusy(true);
    setMessage('');
    try {
      const answer = (await Taro.requestSubscribeMessage({
        tmplIds: asked.map((t) => t.templateId),
      } as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, unknown>;
      const accepted = acceptedTemplates(asked, answer);
      for (const key of accepted) await api.outreach.consent(key, 1);
      setMessage(accepted.length ? '已订阅，有新通知或培训时微信会提醒您' : '您没有允许提醒');
      reload();
    } catch (e) {
      const errMsg = (e as { errMsg?: string } | null)?.errMsg;
      setMessage(errMsg ? '订阅没有成功，请稍后再试' : asApiError(e).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="card">
      <BigButton id="subscribe" kind="secondary" disabled={busy} onClick={subscribe}>
        {busy ? '正在订阅…' : '订阅提醒'}
      </BigButton>
      <Text id="subscribe-remaining" className="or-entry__meta">
        每次允许只能收到一条提醒。还可收到：{remainingText(state.data)}
      </Text>
      {message ? (
        <Text id="subscribe-message" className="or-entry__meta">
          {message}
        </Text>
      ) : null}
    </View>
  );
}

/** The 订阅提醒 card in weapp; nothing in H5. */
export function SubscribeReminders() {
  return process.env.TARO_ENV === 'weapp' ? <Subscribe /> : null;
}
