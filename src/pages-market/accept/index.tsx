/**
 * 扫码收证 (凭证入市) — scan the label that came with the goods; a valid certificate is accepted
 * and kept in the market's records, anything else is refused in red with the reason.
 * Route: /pages-market/accept/index?marketSubjectId=…[&scan=1] (scan=1: the mini-program opens
 * the camera at once).
 *
 * Element ids (for end-to-end tests):
 * - `accept-market`: the market's name
 * - `accept-result` (green) after an acceptance: `accept-title` (已收取，准予入市),
 *   `accept-product`, `accept-quantity`, `accept-issuer`, `accept-label-index` (第 i / N 件, for
 *   a per-package certificate), `accept-code`, `accept-at`; warnings `accept-seen-elsewhere`
 *   (accepted by another market before) and `accept-copy-warning` (疑似复制)
 * - `accept-error` (red) for a refusal: `accept-error-title` (合格证已撤销 / 疑似伪造 /
 *   未找到这张合格证 / 已收取过 / 未能收证) and `accept-error-message` (the server's words);
 *   `accept-to-no-cert` to record the goods as arriving without a certificate (not for 已收取过)
 * - `accept-scan` (weapp: 扫码收证 / 继续扫码), input `accept-input` (a code or the scanned
 *   link), `accept-submit`; inputs `accept-stall`, `accept-buyer` (kept for the next arrival)
 * - `load-error`, `retry`, `market-none`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { codeFromScan, formatCertificateCode } from '@/domain/certificate';
import { formatQuantity } from '@/domain/quantity';
import { api, asApiError, type AcceptResult, type OwnSubject } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Field, TextInput } from '@/ui/Field';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chinaDateTime } from '@/ui/summary';
import { lastDetails, rememberDetails, type ArrivalDetails } from '../memory';
import { labelLine, refusalOf } from '../model';
import { marketUrl, useMarket } from '../use-market';
import '../market.css';

const isWeapp = process.env.TARO_ENV === 'weapp';

type Outcome =
  | { kind: 'accepted'; result: AcceptResult }
  | { kind: 'refused'; title: string; message: string; offerNoCertificate: boolean };

function Accepted({ result }: { result: AcceptResult }) {
  const { entry, verification } = result;
  const cert = verification.certificate;
  const index = labelLine(verification.label);
  return (
    <View id="accept-result" className="mk-outcome mk-outcome--ok">
      <Text id="accept-title" className="mk-outcome__title">
        ✔ 已收取，准予入市
      </Text>
      <Text id="accept-product" className="mk-outcome__product">
        {entry.productName}
      </Text>
      <Text id="accept-quantity" className="mk-outcome__line">
        {formatQuantity(entry.quantity)}
        {cert && cert.issueUnit !== 'package' ? `（${cert.display.issueUnitLabel}）` : ''}
      </Text>
      {index ? (
        <Text id="accept-label-index" className="mk-outcome__line">
          {index}
        </Text>
      ) : null}
      <Text id="accept-issuer" className="mk-outcome__line">
        开具：{entry.issuerName}
        {entry.issuerDivisionName ? `（${entry.issuerDivisionName}）` : ''}
      </Text>
      <Text id="accept-code" className="mk-outcome__small">
        编号 {formatCertificateCode(entry.label)}
      </Text>
      <Text id="accept-at" className="mk-outcome__small">
        收证时间 {chinaDateTime(entry.at)}
        {entry.stall ? ` · 摊位 ${entry.stall}` : ''}
        {entry.buyerName ? ` · 收货人 ${entry.buyerName}` : ''}
      </Text>
      {entry.seenElsewhere ? (
        <Text id="accept-seen-elsewhere" className="mk-alert mk-alert--pending">
          注意：这张标签已在其他市场登记入市。可能是复制的标签，或货品转手时没有重新开具合格证，请核对货品。
        </Text>
      ) : null}
      {entry.copySuspected ? (
        <Text id="accept-copy-warning" className="mk-alert mk-alert--pending">
          疑似复制：这张标签近期在多处被扫过，远超一件真实货品的情况。请核对货品与合格证内容是否一致。
        </Text>
      ) : null}
    </View>
  );
}

function Scanner({ market, scanAtOnce }: { market: OwnSubject; scanAtOnce: boolean }) {
  const [text, setText] = useState('');
  const [details, setDetails] = useState<ArrivalDetails>(lastDetails);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);

  async function accept(scanned: string) {
    if (busyRef.current) return;
    const value = scanned.trim();
    if (!value) {
      setOutcome({
        kind: 'refused',
        title: '请先扫码或输入编号',
        message: '请扫描合格证上的二维码，或输入合格证编号（16 位）。',
        offerNoCertificate: false,
      });
      return;
    }
    busyRef.current = true;
    setBusy(true);
    rememberDetails(details);
    try {
      const result = await api.market.accept({
        marketSubjectId: market._id,
        scanned: value,
        ...(details.stall.trim() ? { stall: details.stall.trim() } : {}),
        ...(details.buyerName.trim() ? { buyerName: details.buyerName.trim() } : {}),
      });
      setOutcome({ kind: 'accepted', result });
      setText('');
    } catch (err) {
      const error = asApiError(err);
      const refusal = refusalOf(error);
      setOutcome({
        kind: 'refused',
        title: refusal.title,
        message: error.message,
        // Goods whose label is no good may still come in as goods without a certificate; goods
        // already accepted here need nothing more.
        offerNoCertificate: refusal.kind !== 'other' && refusal.kind !== 'duplicate',
      });
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
    // The phone's own page scroll: the outcome is at the top.
    Taro.pageScrollTo({ scrollTop: 0, duration: 100 }).catch(() => undefined);
  }

  async function scan() {
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
      setText(codeFromScan(result) ?? result);
      await accept(result);
    } catch {
      // Cancelled.
    }
  }

  useEffect(() => {
    if (isWeapp && scanAtOnce) void scan();
    // Once, when the page opens from 扫码收证.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <View>
      {outcome?.kind === 'accepted' ? <Accepted result={outcome.result} /> : null}
      {outcome?.kind === 'refused' ? (
        <View id="accept-error" className="mk-outcome mk-outcome--fail">
          <Text id="accept-error-title" className="mk-outcome__title">
            ✘ {outcome.title}
          </Text>
          <Text id="accept-error-message" className="mk-outcome__message">
            {outcome.message}
          </Text>
          {outcome.offerNoCertificate ? (
            <BigButton
              id="accept-to-no-cert"
              kind="secondary"
              className="mk-outcome__button"
              onClick={() => Taro.navigateTo({ url: marketUrl('no-cert', market._id) })}
            >
              按无证到货登记、抽检
            </BigButton>
          ) : null}
        </View>
      ) : null}

      {isWeapp ? (
        <BigButton id="accept-scan" className="mk-big mk-big--scan" disabled={busy} onClick={scan}>
          {busy ? '正在查验…' : outcome ? '继续扫码收证' : '扫码收证'}
        </BigButton>
      ) : null}

      <View className="card mk-form">
        <Field name="scanned" label={isWeapp ? '二维码扫不出？输入编号' : '合格证编号或二维码链接'}>
          <TextInput
            id="accept-input"
            value={text}
            onChange={setText}
            placeholder="如：ABCD-EFGH-JKMN-PQRS"
            maxlength={300}
          />
        </Field>
        <View className="mk-pair">
          <View className="mk-pair__half">
            <Field name="stall" label="摊位（选填）">
              <TextInput
                id="accept-stall"
                value={details.stall}
                onChange={(stall) => setDetails((d) => ({ ...d, stall }))}
                placeholder="如：A-12"
                maxlength={20}
              />
            </Field>
          </View>
          <View className="mk-pair__half">
            <Field name="buyerName" label="收货人（选填）">
              <TextInput
                id="accept-buyer"
                value={details.buyerName}
                onChange={(buyerName) => setDetails((d) => ({ ...d, buyerName }))}
                placeholder="姓名"
                maxlength={20}
              />
            </Field>
          </View>
        </View>
        <BigButton
          id="accept-submit"
          kind={isWeapp ? 'secondary' : 'primary'}
          disabled={busy}
          onClick={() => accept(text)}
        >
          {busy ? '正在查验…' : '查验并收证'}
        </BigButton>
      </View>
    </View>
  );
}

export default function Accept() {
  const params = useRouter().params;
  const { state, reload } = useMarket(params.marketSubjectId, async () => null);
  return (
    <View className="page market">
      <Text className="page-title">扫码收证</Text>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && !state.data.market ? (
        <Text id="market-none" className="notice__text">
          还没有登记为“收购商”的主体，不能收证。
        </Text>
      ) : null}
      {state.status === 'ok' && state.data.market ? (
        <View>
          <Text id="accept-market" className="muted mk-sub">
            {state.data.market.name}
          </Text>
          <Scanner
            key={state.data.market._id}
            market={state.data.market}
            scanAtOnce={params.scan === '1'}
          />
        </View>
      ) : null}
    </View>
  );
}
