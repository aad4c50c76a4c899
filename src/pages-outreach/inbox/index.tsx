/**
 * 通知 — the caller's inbox: publicity items and training notices addressed to them, newest
 * first, each marked 未读, 待确认 (a 告知书 or 明白纸 not yet confirmed) or 已阅知.
 * Route: /pages-outreach/inbox/index.
 *
 * Element ids (for end-to-end tests):
 * - `inbox-counts` (未读 n · 待确认 n); `inbox-empty` when nothing was addressed to the caller
 * - `inbox-<i>` each entry (→ /pages-outreach/item/index?id=…), with badges `inbox-<i>-unread`,
 *   `inbox-<i>-to-ack`, `inbox-<i>-acked`
 * - `subscribe`, `subscribe-remaining` (订阅提醒, weapp only: see ../subscribe.tsx)
 * - `load-error`, `retry`
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chinaDay } from '../dates';
import { SubscribeReminders } from '../subscribe';
import '../outreach.css';

export default function Inbox() {
  const { state, reload } = useRemote(() => api.outreach.inbox());
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const { entries, unread, toAcknowledge } = state.data;
  return (
    <View className="page outreach-inbox">
      <Text className="page-title">通知</Text>
      <Text id="inbox-counts" className="muted">
        未读 {unread} · 待确认 {toAcknowledge}
      </Text>
      <SubscribeReminders />
      {entries.length === 0 ? (
        <Text id="inbox-empty" className="notice notice__text">
          暂时没有通知
        </Text>
      ) : null}
      {entries.map((e, i) => (
        <View
          key={e.itemId}
          id={`inbox-${i}`}
          className="card or-entry"
          hoverClass="ui-button--pressed"
          onClick={() => Taro.navigateTo({ url: `/pages-outreach/item/index?id=${e.itemId}` })}
        >
          <Text className="or-entry__title">{e.title}</Text>
          <Text className="or-entry__meta">
            {e.kindLabel} · {chinaDay(e.publishedAt)}
          </Text>
          <View>
            {!e.readAt ? (
              <Text id={`inbox-${i}-unread`} className="or-badge">
                未读
              </Text>
            ) : null}
            {e.requiresAck && !e.ackAt ? (
              <Text id={`inbox-${i}-to-ack`} className="or-badge or-badge--ack">
                待确认
              </Text>
            ) : null}
            {e.requiresAck && e.ackAt ? (
              <Text id={`inbox-${i}-acked`} className="or-badge or-badge--done">
                已阅知
              </Text>
            ) : null}
          </View>
        </View>
      ))}
    </View>
  );
}
