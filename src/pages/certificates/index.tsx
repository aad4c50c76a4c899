/**
 * 我的合格证 — the retained copies (留存联) of the user's certificates, newest first.
 *
 * Element ids (for end-to-end tests):
 * - `cert-list`; each item `cert-<code>` (class `cert-item`) with `.cert-item__product`,
 *   `.cert-item__quantity`, `.cert-item__date`, `.cert-item__code` and a status badge
 *   `.status-valid` (有效) or `.status-revoked` (已撤销); tap → /pages/certificate/index?code=…
 * - `list-issue`: issue a new one (also the button of the empty state `cert-empty`)
 * - `load-error`, `retry`
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { certificateStatuses, formatCertificateCode } from '@/domain/certificate';
import { formatQuantity } from '@/domain/quantity';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { ErrorNotice, Loading } from '@/ui/Notice';
import './index.css';

function toIssue() {
  Taro.navigateTo({ url: '/pages/issue/index' });
}

export default function Certificates() {
  const { state, reload } = useRemote(() => api.certificate.mine());

  return (
    <View className="page certificates">
      <Text className="page-title">我的合格证</Text>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <View id="cert-empty" className="notice">
          <Text className="notice__text">还没有开具过合格证。</Text>
          <BigButton id="list-issue" onClick={toIssue}>
            开具合格证
          </BigButton>
        </View>
      ) : null}
      {state.status === 'ok' && state.data.length > 0 ? (
        <View>
          <BigButton id="list-issue" onClick={toIssue}>
            开具新的合格证
          </BigButton>
          <Text className="certificates__note muted">
            以下是您留存的合格证（共 {state.data.length} 张），点开可查看二维码。
          </Text>
          <View id="cert-list">
            {state.data.map((c) => (
              <View
                key={c.code}
                id={`cert-${c.code}`}
                className="cert-item card"
                hoverClass="cert-item--pressed"
                onClick={() => Taro.navigateTo({ url: `/pages/certificate/index?code=${c.code}` })}
              >
                <View className="cert-item__head">
                  <Text className="cert-item__product">{c.productName}</Text>
                  <Text className={`status-badge status-${c.status}`}>
                    {certificateStatuses[c.status]}
                  </Text>
                </View>
                <Text className="cert-item__quantity">{formatQuantity(c.quantity)}</Text>
                <Text className="cert-item__date muted">开具日期 {c.issueDate}</Text>
                <Text className="cert-item__code muted">编号 {formatCertificateCode(c.code)}</Text>
              </View>
            ))}
          </View>
        </View>
      ) : null}
    </View>
  );
}
