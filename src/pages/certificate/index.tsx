/**
 * 合格证 — one of the user's certificates as issued, with its QR code for the buyer to scan, its
 * labels, what it rests on, and revoking or (after the retention period) deleting it.
 * Route: /pages/certificate/index?code=<16-character code>
 *
 * Element ids (for end-to-end tests):
 * - `cert-title` (承诺达标合格证), `cert-status` (only when revoked, with the reason),
 *   `cert-product`, `cert-quantity`, `cert-origin`, `cert-date`, `cert-issue-unit`,
 *   `cert-issuer`, `cert-contact`, `cert-phone`, `cert-address`, `cert-promise`, `cert-basis`,
 *   `cert-signer`, `cert-code` (formatted XXXX-XXXX-XXXX-XXXX)
 * - `cert-qr`: wraps the first label's QR code (class `cert-qr` on the code itself);
 *   `label-index` (第 1 / N 件, when N > 1); `cert-url`: the URL it holds
 * - `labels` (全部标签, when N > 1): `label-<n>` with a small QR, `labels-prev`, `labels-next`,
 *   `labels-page`, `labels-range`; `labels-goto` + `labels-go` for many pages
 * - `cert-retention` (留存至), `cert-trace` (追溯码), `cert-tests` (`cert-test-<id>`),
 *   `cert-sources` (`cert-source-<i>`, style 2)
 * - `print` (打印标签, valid certificates only): chips `layout-80x60`, `layout-100x70`,
 *   `layout-50x30`, `layout-a4-two-part`; `print-from` / `print-to` (N > 1); `print-submit`
 *   (生成 PDF) → `print-result` with `print-link`, `print-next`; `print-error`
 * - `revoke` → `revoke-panel` with `revoke-reason-<i>`, `revoke-reason`, `revoke-confirm`,
 *   `revoke-cancel`; `remove` (删除, only after the retention period); `action-error`
 * - `history` (操作记录) with `history-<i>`
 * - `issue-another` (再开一张: the issue page's quick view, same subject), `to-certificates`
 *   (我的合格证); `load-error`, `retry`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import CertQrcode from '@/components/CertQrcode';
import { chinaDate } from '@/domain/certificate';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type OwnCertificateDetail } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { CertificateCard } from '@/ui/CertificateCard';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { History, LabelPages, LinkedTests, RevokePanel, Sources } from './parts';
import { PrintPanel } from './print';
import './index.css';

/** Back to the list when we came from it, else the list in place of this page. */
function toCertificates() {
  const pages = Taro.getCurrentPages();
  const previous = pages[pages.length - 2]?.route ?? '';
  if (previous.includes('pages/certificates/index')) Taro.navigateBack();
  else Taro.redirectTo({ url: '/pages/certificates/index' });
}

function Details({ cert }: { cert: OwnCertificateDetail }) {
  const until = chinaDate(new Date(cert.retentionUntil));
  return (
    <View id="cert-details" className="card details">
      <View id="cert-retention" className="details__block">
        <Text className="details__label">存根留存至</Text>
        <Text className="details__value">{until}</Text>
        <Text className="details__sub">
          {cert.retained
            ? '留存期内不能删除；如开错了，请撤销并写明原因。'
            : '已过留存期，可以删除。'}
        </Text>
      </View>
      {cert.traceCode ? (
        <View id="cert-trace" className="details__block">
          <Text className="details__label">追溯码（二合一）</Text>
          <Text className="details__value details__code">{cert.traceCode}</Text>
        </View>
      ) : null}
      {cert.tests.length > 0 ? <LinkedTests tests={cert.tests} /> : null}
      {cert.style === 2 || cert.sourceCodes.length > 0 ? (
        <Sources codes={cert.sourceCodes} />
      ) : null}
    </View>
  );
}

export default function CertificatePage() {
  const code = useRouter().params.code ?? '';
  const { state, reload } = useRemote(() => api.certificate.get(code), [code]);
  const history = useRemote(() => api.certificate.history(code), [code]);
  const [revoking, setRevoking] = useState(false);
  const [actionError, setActionError] = useState('');
  const [removing, setRemoving] = useState(false);
  /** The server's refusal to print (revoked meanwhile, on another phone). */
  const [printBlocked, setPrintBlocked] = useState('');

  async function remove() {
    if (removing) return;
    const { confirm } = await Taro.showModal({
      title: '删除合格证',
      content: '删除后不能恢复，买方扫码将查不到这张合格证。确定删除吗？',
      confirmText: '删除',
      confirmColor: '#b71c1c',
      cancelText: '不删除',
    });
    if (!confirm) return;
    setRemoving(true);
    setActionError('');
    try {
      await api.certificate.remove(code);
      Taro.showToast({ title: '已删除', icon: 'success' });
      Taro.redirectTo({ url: '/pages/certificates/index' });
    } catch (err) {
      setActionError(asApiError(err).message);
      setRemoving(false);
    }
  }

  if (state.status === 'loading') {
    return (
      <View className="page certificate">
        <Loading />
      </View>
    );
  }
  if (state.status === 'error') {
    return (
      <View className="page certificate">
        <ErrorNotice error={state.error} onRetry={reload} />
      </View>
    );
  }
  const cert = state.data;
  return (
    <View className="page certificate">
      <CertificateCard cert={cert}>
        <View id="cert-qr" className="certificate__qr">
          {cert.count > 1 ? (
            <Text id="label-index" className="certificate__label-index">
              第 1 / {cert.count} 件
            </Text>
          ) : null}
          <CertQrcode text={cert.verifyUrl} size={240} className="cert-qr" />
          <Text className="certificate__qr-hint">买方扫码即可核验真伪</Text>
          <Text id="cert-url" className="certificate__url" userSelect>
            {cert.verifyUrl}
          </Text>
        </View>
      </CertificateCard>

      {cert.status === 'valid' || printBlocked ? (
        <PrintPanel
          code={cert.code}
          count={cert.count}
          blocked={printBlocked}
          onBlocked={(message) => {
            setPrintBlocked(message);
            reload();
            history.reload();
          }}
        />
      ) : null}

      <Details cert={cert} />

      {cert.count > 1 ? (
        <LabelPages code={cert.code} count={cert.count} preview={cert.labels} />
      ) : null}

      <BigButton
        id="issue-another"
        onClick={() =>
          Taro.redirectTo({ url: `/pages/issue/index?quick=1&subjectId=${cert.subjectId}` })
        }
      >
        再开一张
      </BigButton>
      <BigButton id="to-certificates" kind="secondary" onClick={toCertificates}>
        我的合格证
      </BigButton>

      {cert.status === 'valid' && !revoking ? (
        <BigButton
          id="revoke"
          kind="danger"
          onClick={() => {
            setRevoking(true);
            setActionError('');
          }}
        >
          撤销这张合格证
        </BigButton>
      ) : null}
      {cert.status === 'valid' && revoking ? (
        <RevokePanel
          code={cert.code}
          onCancel={() => setRevoking(false)}
          onDone={() => {
            setRevoking(false);
            Taro.showToast({ title: '已撤销', icon: 'success' });
            Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined);
            reload();
            history.reload();
          }}
        />
      ) : null}
      {!cert.retained ? (
        <BigButton id="remove" kind="danger" disabled={removing} onClick={remove}>
          {removing ? '正在删除…' : '删除这张合格证'}
        </BigButton>
      ) : null}
      {actionError ? (
        <Text id="action-error" className="form-error form-error__line">
          {actionError}
        </Text>
      ) : null}

      {history.state.status === 'ok' ? (
        <History entries={history.state.data} issuedBy={cert.issuedBy} />
      ) : null}
    </View>
  );
}
