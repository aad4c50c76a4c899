/**
 * 触达情况 — how far one item has reached in the caller's scope: addressed, delivered, read and
 * (for a 告知书 or 明白纸) acknowledged, per street; who has not confirmed yet, and a 提醒 that
 * reminds them (once a day per person, however often tapped).
 * Route: /pages-outreach/reach/index?id=… (staff).
 *
 * Element ids (for end-to-end tests):
 * - `reach-title`; figures `reach-addressed`, `reach-delivered`, `reach-read`,
 *   `reach-acknowledged` (the number alone); `reach-division-<i>` per street
 * - `unack-<i>` producers not yet confirmed; `unack-none` when all have; `remind`, `remind-done`
 * - `poster-qr` the item's public QR code (for printing on boards), `poster-url` its address
 * - `load-error`, `retry`; errors in `form-error`
 */
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import CertQrcode from '@/components/CertQrcode';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import '../outreach.css';

function Figure({ id, label, value }: { id: string; label: string; value: number }) {
  return (
    <View className="or-figure">
      <Text id={id} className="or-figure__value">
        {value}
      </Text>
      <Text className="or-figure__label">{label}</Text>
    </View>
  );
}

export default function Reach() {
  // Item ids are letters, digits and _, so H5's still-encoded parameter reads the same.
  const id = useRouter().params.id ?? '';
  const { state, reload } = useRemote(async () => {
    const reach = await api.outreach.reach(id);
    const [pending, poster] = await Promise.all([
      reach.requiresAck ? api.outreach.unacknowledged(id) : null,
      api.outreach.posterQr(id),
    ]);
    return { reach, pending, poster };
  }, [id]);
  const [reminded, setReminded] = useState<string | null>(null);
  const [message, setMessage] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const { reach, pending, poster } = state.data;

  async function remind() {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setMessage([]);
    try {
      const r = await api.outreach.remind(id);
      setReminded(
        `已提醒 ${r.reminded} 人` +
          (r.messaged ? `（其中 ${r.messaged} 人收到微信消息）` : '') +
          (r.alreadyToday ? `，${r.alreadyToday} 人今天已提醒过` : ''),
      );
      reload();
    } catch (e) {
      setMessage([asApiError(e).message]);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  return (
    <View className="page outreach-reach">
      <Text id="reach-title" className="page-title">
        {reach.title}
      </Text>
      <View className="card or-figures">
        <Figure id="reach-addressed" label="应送达" value={reach.addressed} />
        <Figure id="reach-delivered" label="已送达" value={reach.delivered} />
        <Figure id="reach-read" label="已读" value={reach.read} />
        {reach.requiresAck ? (
          <Figure id="reach-acknowledged" label="已阅知" value={reach.acknowledged} />
        ) : null}
      </View>
      {reach.byDivision.length > 1 ? (
        <View className="card">
          {reach.byDivision.map((d, i) => (
            <Text key={d.divisionCode} id={`reach-division-${i}`} className="or-paragraph">
              {d.divisionName}：应送达 {d.addressed}，已读 {d.read}
              {reach.requiresAck ? `，已阅知 ${d.acknowledged}` : ''}
            </Text>
          ))}
        </View>
      ) : null}
      {pending ? (
        <View className="card">
          <Text className="or-heading">尚未确认已阅知（{pending.total}）</Text>
          {pending.rows.length === 0 ? (
            <Text id="unack-none" className="or-paragraph">
              全部已确认
            </Text>
          ) : null}
          {pending.rows.map((r, i) => (
            <View key={r.userId} id={`unack-${i}`} className="or-entry">
              <Text className="or-paragraph">
                {r.subjects.map((s) => s.name).join('、') || r.nickname || '生产主体'} ·{' '}
                {r.divisionName}
              </Text>
              <Text className="or-entry__meta">
                {r.subjects[0] ? `${r.subjects[0].contactName} ${r.subjects[0].phone} · ` : ''}
                {!r.delivered ? '尚未打开小程序' : r.readAt ? '已读未确认' : '未读'}
                {r.remindedAt ? ' · 已提醒' : ''}
              </Text>
            </View>
          ))}
          {pending.rows.length ? (
            <BigButton id="remind" kind="secondary" disabled={busy} onClick={remind}>
              {busy ? '正在提醒…' : '提醒'}
            </BigButton>
          ) : null}
          {reminded ? (
            <Text id="remind-done" className="or-done">
              {reminded}
            </Text>
          ) : null}
          <FormMessage messages={message} />
        </View>
      ) : null}
      <View className="card">
        <Text className="or-heading">宣传二维码（打印张贴在市场、基地）</Text>
        <View id="poster-qr">
          <CertQrcode text={poster.url} size={200} />
        </View>
        <Text id="poster-url" className="or-entry__meta">
          {poster.url}
        </Text>
        {poster.live ? null : <Text className="or-entry__meta">发布后扫码即可查看</Text>}
      </View>
    </View>
  );
}
