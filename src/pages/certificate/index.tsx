/**
 * 合格证 — one of the user's certificates as issued, with its QR code for the buyer to scan.
 * Route: /pages/certificate/index?code=<16-character code>
 *
 * Element ids (for end-to-end tests):
 * - `cert-title` (承诺达标合格证), `cert-status` (only when revoked), `cert-product`,
 *   `cert-quantity`, `cert-origin`, `cert-date`, `cert-issue-unit`, `cert-issuer`,
 *   `cert-contact`, `cert-phone`, `cert-address`, `cert-promise`, `cert-basis`, `cert-signer`,
 *   `cert-code` (formatted XXXX-XXXX-XXXX-XXXX)
 * - `cert-qr`: wraps the QR code (class `cert-qr` on the code itself); `cert-url`: its URL
 * - `issue-another` (再开一张), `to-certificates` (我的合格证); `load-error`, `retry`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import CertQrcode from '@/components/CertQrcode';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { CertificateCard } from '@/ui/CertificateCard';
import { ErrorNotice, Loading } from '@/ui/Notice';
import './index.css';

/** Back to the list when we came from it, else the list in place of this page. */
function toCertificates() {
  const pages = Taro.getCurrentPages();
  const previous = pages[pages.length - 2]?.route ?? '';
  if (previous.includes('pages/certificates/index')) Taro.navigateBack();
  else Taro.redirectTo({ url: '/pages/certificates/index' });
}

export default function CertificatePage() {
  const code = useRouter().params.code ?? '';
  const { state, reload } = useRemote(() => api.certificate.get(code), [code]);

  return (
    <View className="page certificate">
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' ? (
        <View>
          <CertificateCard cert={state.data}>
            <View id="cert-qr" className="certificate__qr">
              <CertQrcode text={state.data.verifyUrl} size={240} className="cert-qr" />
              <Text className="certificate__qr-hint">买方扫码即可核验真伪</Text>
              <Text id="cert-url" className="certificate__url" userSelect>
                {state.data.verifyUrl}
              </Text>
            </View>
          </CertificateCard>
          <BigButton
            id="issue-another"
            onClick={() => Taro.redirectTo({ url: '/pages/issue/index' })}
          >
            再开一张
          </BigButton>
          <BigButton id="to-certificates" kind="secondary" onClick={toCertificates}>
            我的合格证
          </BigButton>
        </View>
      ) : null}
    </View>
  );
}
