import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import CertQrcode from '@/components/CertQrcode';
import { formatCertificateCode } from '@/domain/certificate';
import { testKinds, testParties, testResults, type TestRecord } from '@/domain/test-record';
import { api, asApiError, type AuditEntry, type LabelView } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Field, TextInput } from '@/ui/Field';
import { PickOrType } from '@/ui/PickOrType';
import { chinaDateTime } from '@/ui/summary';

/** Labels per page: each shows a QR code, which is heavy to draw on a cheap phone. */
export const labelPageSize = 10;

/**
 * 全部标签 — every package's label, a page of 10 at a time, each with its code and a small QR.
 * Ids: `labels`, `labels-range`, `label-<n>` (1-based), `labels-prev`, `labels-next`,
 * `labels-page`, and for more than 3 pages `labels-goto` (input) + `labels-go`.
 */
export function LabelPages({
  code,
  count,
  preview,
}: {
  code: string;
  count: number;
  /** The labels the certificate came with (the first 20): no call needed for those pages. */
  preview: readonly LabelView[];
}) {
  const pages = Math.ceil(count / labelPageSize);
  const [page, setPage] = useState(0);
  const [labels, setLabels] = useState<LabelView[] | null>(null);
  const [error, setError] = useState('');
  const [goto, setGoto] = useState('');

  useEffect(() => {
    const offset = page * labelPageSize;
    const want = Math.min(labelPageSize, count - offset);
    const known = preview.slice(offset, offset + want);
    if (known.length === want && known[0]?.index === offset + 1) {
      setLabels(known);
      return;
    }
    let current = true;
    setLabels(null);
    setError('');
    api.certificate.labels(code, offset, labelPageSize).then(
      (res) => current && setLabels(res.labels),
      (err: unknown) => current && setError(asApiError(err).message),
    );
    return () => {
      current = false;
    };
  }, [code, count, page, preview]);

  const first = page * labelPageSize + 1;
  const last = Math.min(count, first + labelPageSize - 1);

  function jump() {
    const n = Number(goto.trim());
    if (!Number.isInteger(n) || n < 1 || n > count) {
      setError(`请输入 1 到 ${count} 之间的件号`);
      return;
    }
    setError('');
    setPage(Math.floor((n - 1) / labelPageSize));
  }

  return (
    <View id="labels" className="card labels">
      <Text className="section-title labels__title">全部标签（共 {count} 件）</Text>
      <Text id="labels-range" className="labels__range muted">
        每件包装一张标签。下面是第 {first}–{last} 件：
      </Text>
      {error ? <Text className="field-error">{error}</Text> : null}
      {labels === null && !error ? <Text className="muted">正在加载…</Text> : null}
      {(labels ?? []).map((l) => (
        <View key={l.label} id={`label-${l.index}`} className="label-item">
          <View className="label-item__text">
            <Text className="label-item__index">第 {l.index} 件</Text>
            <Text className="label-item__code">{formatCertificateCode(l.label)}</Text>
          </View>
          <CertQrcode text={l.verifyUrl} size={150} className="label-item__qr" />
        </View>
      ))}
      <View className="pager">
        <View
          id="labels-prev"
          className={`pager__button${page === 0 ? ' pager__button--off' : ''}`}
          hoverClass="chip--pressed"
          ariaRole="button"
          onClick={() => page > 0 && setPage(page - 1)}
        >
          <Text>上一页</Text>
        </View>
        <Text id="labels-page" className="pager__page">
          {page + 1} / {pages} 页
        </Text>
        <View
          id="labels-next"
          className={`pager__button${page + 1 >= pages ? ' pager__button--off' : ''}`}
          hoverClass="chip--pressed"
          ariaRole="button"
          onClick={() => page + 1 < pages && setPage(page + 1)}
        >
          <Text>下一页</Text>
        </View>
      </View>
      {pages > 3 ? (
        <View className="labels__goto">
          <Text className="labels__goto-label">跳到第</Text>
          <View className="labels__goto-input">
            <TextInput
              id="labels-goto"
              type="number"
              value={goto}
              onChange={setGoto}
              maxlength={5}
            />
          </View>
          <Text className="labels__goto-label">件</Text>
          <View id="labels-go" className="pager__button" hoverClass="chip--pressed" onClick={jump}>
            <Text>跳转</Text>
          </View>
        </View>
      ) : null}
    </View>
  );
}

/** The test records a 检测合格 basis rests on (`cert-tests`, items `cert-test-<id>`). */
export function LinkedTests({ tests }: { tests: readonly TestRecord[] }) {
  return (
    <View id="cert-tests" className="details__block">
      <Text className="details__label">关联的检测记录</Text>
      {tests.map((t) => (
        <View key={t._id} id={`cert-test-${t._id}`} className="details__test">
          <Text className="details__value">
            {t.testedOn} {t.item}：{testResults[t.result]}
          </Text>
          <Text className="details__sub">
            {testParties[t.party]} · {testKinds[t.kind]} · {t.method}
            {t.lab ? ` · ${t.lab}` : ''}
          </Text>
        </View>
      ))}
    </View>
  );
}

/** 来源合格证 of a style-2 certificate; tapping one checks it (`cert-source-<i>`). */
export function Sources({ codes }: { codes: readonly string[] }) {
  return (
    <View id="cert-sources" className="details__block">
      <Text className="details__label">来源合格证（{codes.length} 张）</Text>
      {codes.map((c, i) => (
        <Text
          key={c}
          id={`cert-source-${i}`}
          className="details__link"
          onClick={() => Taro.navigateTo({ url: `/pages/verify/index?code=${c}` })}
        >
          {formatCertificateCode(c)}
        </Text>
      ))}
    </View>
  );
}

const reasonPresets = ['数量写错了', '产品写错了', '开错了，已重新开具', '货物未售出'];

/**
 * 撤销: the reason, then a confirmation. Ids: `revoke-panel`, chips `revoke-reason-<i>`, input
 * `revoke-reason` (wrapper `field-reason`), `revoke-confirm`, `revoke-cancel`.
 */
export function RevokePanel({
  code,
  onDone,
  onCancel,
}: {
  code: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    if (busy) return;
    if (reason.trim().length < 2) {
      setErrors(['请填写撤销原因（至少 2 个字）']);
      return;
    }
    setBusy(true);
    try {
      await api.certificate.revoke(code, reason.trim());
      onDone();
    } catch (err) {
      const error = asApiError(err);
      setErrors(error.fields?.reason ?? [error.message]);
      setBusy(false);
    }
  }

  return (
    <View id="revoke-panel" className="card revoke">
      <Text className="revoke__warning">
        撤销后，买方扫码会看到“已撤销”和撤销原因；撤销不能恢复。
      </Text>
      <Field name="reason" label="撤销原因" errors={errors}>
        <PickOrType
          options={reasonPresets}
          chipId="revoke-reason"
          wide
          id="revoke-reason"
          value={reason}
          onChange={(v) => {
            setReason(v);
            setErrors([]);
          }}
          placeholder="点上面的原因，或在这里填写"
          maxlength={200}
          invalid={errors.length > 0}
        />
      </Field>
      <BigButton id="revoke-confirm" kind="danger" disabled={busy} onClick={confirm}>
        {busy ? '正在撤销…' : '确认撤销'}
      </BigButton>
      <BigButton id="revoke-cancel" kind="secondary" disabled={busy} onClick={onCancel}>
        不撤销了
      </BigButton>
    </View>
  );
}

const actionLabels: Record<string, string> = {
  'certificate.issue': '开具',
  'certificate.revoke': '撤销',
  'certificate.remove': '删除',
};

function detailText(entry: AuditEntry): string {
  const d = entry.detail;
  if (entry.action === 'certificate.issue') {
    const count = typeof d.count === 'number' && d.count > 1 ? `，共 ${d.count} 件` : '';
    return typeof d.productName === 'string' ? `${d.productName}${count}` : '';
  }
  if (entry.action === 'certificate.revoke' && typeof d.reason === 'string') {
    return `原因：${d.reason}`;
  }
  return '';
}

/** 操作记录 — who did what, when (`history`, entries `history-<i>`). */
export function History({ entries, issuedBy }: { entries: AuditEntry[]; issuedBy: string }) {
  return (
    <View id="history" className="card history">
      <Text className="section-title history__title">操作记录</Text>
      {entries.length === 0 ? <Text className="muted">暂无记录</Text> : null}
      {entries.map((e, i) => {
        const who = e.actorId === null ? '系统' : e.actorId === issuedBy ? '本人' : '其他账号';
        const what = actionLabels[e.action] ?? '其他操作';
        const detail = detailText(e);
        return (
          <View key={e._id} id={`history-${i}`} className="history__entry">
            <Text className="history__when">{chinaDateTime(e.at)}</Text>
            <Text className="history__what">
              {who}
              {what}
              {detail ? `：${detail}` : ''}
            </Text>
          </View>
        );
      })}
    </View>
  );
}
