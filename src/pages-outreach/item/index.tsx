/**
 * 通知详情 — one item (or training notice) addressed to the caller; opening it marks it read. A
 * 告知书 or 明白纸 asks for 已阅知 with one big button. The text is shown as text (never HTML),
 * in the blocks the server split it into. Subscribe messages open this page.
 * Route: /pages-outreach/item/index?id=… (the domain's `outreachPages.item`).
 *
 * Element ids (for end-to-end tests):
 * - `item-title`, `item-kind`, `item-date`, `item-body` (blocks), `item-image-<i>`, `item-video`,
 *   `item-pdf`, `item-session` (a training notice's time and place) with `item-session-open`
 *   (→ the session page: details, materials, sign-in)
 * - `ack-submit` (我已阅知) while not confirmed; `ack-done` (已阅知) after; errors in `form-error`
 * - `load-error`, `retry`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type InboxEntry } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { chinaDay } from '../dates';
import '../outreach.css';

/** Opens a link: H5 in a new tab; weapp cannot open outside pages, so the link is copied. */
function openLink(url: string) {
  if (process.env.TARO_ENV === 'h5') {
    window.open(url, '_blank', 'noopener');
    return;
  }
  void Taro.setClipboardData({ data: url }).then(() =>
    Taro.showToast({ title: '链接已复制，请在浏览器中打开', icon: 'none' }),
  );
}

export default function OutreachItem() {
  // Item ids are letters, digits and _, so H5's still-encoded parameter reads the same.
  const id = useRouter().params.id ?? '';
  const { state, reload } = useRemote(() => api.outreach.read(id), [id]);
  const [acked, setAcked] = useState<InboxEntry | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string[]>([]);
  const busyRef = useRef(false);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const { item, session } = state.data;
  const entry = acked ?? state.data.entry;

  async function acknowledge() {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setMessage([]);
    try {
      setAcked(await api.outreach.acknowledge(id));
    } catch (e) {
      setMessage([asApiError(e).message]);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  return (
    <View className="page outreach-item">
      <View className="card">
        <Text id="item-title" className="or-title">
          {entry.title}
        </Text>
        <Text className="or-entry__meta">
          <Text id="item-kind">{entry.kindLabel}</Text> ·{' '}
          <Text id="item-date">{chinaDay(entry.publishedAt)}</Text>
        </Text>
      </View>
      {item ? (
        <View id="item-body" className="card">
          {item.blocks.map((b, i) => (
            <Text key={i} className={b.type === 'heading' ? 'or-heading' : 'or-paragraph'}>
              {b.type === 'item' ? `• ${b.text}` : b.text}
            </Text>
          ))}
          {item.images.map((img, i) => (
            <Image
              key={img.fileId}
              id={`item-image-${i}`}
              className="or-image"
              src={img.url}
              mode="widthFix"
            />
          ))}
          {item.videoUrl ? (
            <Text id="item-video" className="or-link" onClick={() => openLink(item.videoUrl!)}>
              ▶ 观看视频：{item.videoUrl}
            </Text>
          ) : null}
          {item.pdf ? (
            <Text id="item-pdf" className="or-link" onClick={() => openLink(item.pdf!.url)}>
              📄 查看 PDF 文件
            </Text>
          ) : null}
        </View>
      ) : null}
      {session ? (
        <View id="item-session" className="card">
          <Text className="or-paragraph">
            时间：{chinaDay(session.startsAt)}{' '}
            {new Date(Date.parse(session.startsAt) + 8 * 3_600_000).toISOString().slice(11, 16)}
          </Text>
          <Text className="or-paragraph">地点：{session.place ?? '线上培训'}</Text>
          {session.onlineUrl ? (
            <Text className="or-link" onClick={() => openLink(session.onlineUrl!)}>
              {session.onlineUrl}
            </Text>
          ) : null}
          <Text
            id="item-session-open"
            className="or-link"
            onClick={() =>
              Taro.navigateTo({
                url: `/pages-outreach/session/index?id=${session.sessionId}`,
              })
            }
          >
            培训详情、资料与签到 ›
          </Text>
        </View>
      ) : null}
      {entry.requiresAck ? (
        entry.ackAt ? (
          <Text id="ack-done" className="or-done">
            ✔ 已阅知（{chinaDay(entry.ackAt)}）
          </Text>
        ) : (
          <View>
            <BigButton id="ack-submit" disabled={busy} onClick={acknowledge}>
              {busy ? '正在提交…' : '我已阅知'}
            </BigButton>
            <FormMessage messages={message} />
          </View>
        )
      ) : null}
    </View>
  );
}
