/**
 * 扫码核验 — is this certificate real and in force? Open to anyone, signed in or not.
 * Routes: /pages/verify/index?code=<code or scanned URL>; in the mini-program also ?q=<the
 * URL-encoded scanned link> (WeChat's "scan a plain link to open the mini-program").
 *
 * Two steps, so an inspector without signal still gets an answer: the label's signature is
 * checked on the phone at once with the district's public key (签名有效（离线）), then the
 * server's verdict follows when it answers (已核验).
 *
 * Element ids (for end-to-end tests):
 * - input `verify-input`, button `verify-submit`; `verify-scan` (mini-program only);
 *   chip `share-place` (附上大致位置)
 * - `offline-verdict` with class `offline--valid|invalid|absent|no_key`
 * - `online-status`: 正在联网核验… / 已核验 / 暂时无法联网核验…
 * - `verdict`: 有效 / 已撤销 / 未找到 / 可疑, with class `verdict--valid|revoked|not_found|suspicious`
 * - `signature-state` (签名有效 / 签名无效 / 无签名), `label-index` (第 3 / 100 件),
 *   `copy-warning` (疑似复制), `revoked-reason`, `verify-code`, `verify-checked-at`
 * - the certificate's fields as on the certificate page (`cert-title`, `cert-product`, …)
 * - `verify-error`: a failed lookup or an empty input
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { codeFromScan, formatCertificateCode } from '@/domain/certificate';
import { checkScannedLabel, type OfflineCheck } from '@/domain/label-signature';
import type { ScanPlace } from '@/domain/scan';
import { api, asApiError, type VerifyResult } from '@/services/api';
import { knownPublicKeys, refreshPublicKey } from '@/services/signing-key';
import { BigButton } from '@/ui/Button';
import { Chip } from '@/ui/Chip';
import { TextInput } from '@/ui/Field';
import { CertificateCard } from '@/ui/CertificateCard';
import './index.css';

/** What was scanned or passed in: `q` is URL-encoded by WeChat; `code` may be a code or a URL. */
function scannedFrom(params: Partial<Record<string, string>>): string {
  const raw = params.q ?? params.code ?? '';
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return raw.trim();
  }
}

function checkedAtText(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(
    d.getHours(),
  )}:${pad(d.getMinutes())}`;
}

const offlineTexts: Record<
  Exclude<OfflineCheck['state'], 'no_code'>,
  { title: string; detail: string }
> = {
  valid: { title: '签名有效（离线）', detail: '标签上的防伪签名正确，是区里签发的标签。' },
  invalid: {
    title: '签名无效，疑似伪造',
    detail: '标签上的防伪签名与编号不符，请勿凭它认定产品来源。',
  },
  absent: { title: '无签名', detail: '这个编号没有防伪签名（手工输入或旧标签），需联网核验。' },
  no_key: { title: '暂不能离线验签', detail: '联网核验一次后，本机即可离线验签。' },
};

const marks: Record<VerifyResult['verdict'], string> = {
  valid: '✔',
  revoked: '✘',
  not_found: '?',
  suspicious: '⚠',
};

/** A coarse position the scanner agreed to share (rounded to 0.1° on the server). */
async function sharedPlace(): Promise<ScanPlace | undefined> {
  try {
    const { latitude, longitude } =
      process.env.TARO_ENV === 'weapp'
        ? await Taro.getFuzzyLocation({ type: 'wgs84' })
        : await Taro.getLocation({ type: 'wgs84' });
    return { lat: latitude, lng: longitude };
  } catch {
    return undefined;
  }
}

type Online = 'idle' | 'checking' | 'done' | 'offline';

export default function Verify() {
  const initial = scannedFrom(useRouter().params);
  const [text, setText] = useState(initial ? (codeFromScan(initial) ?? initial) : '');
  const [offline, setOffline] = useState<OfflineCheck | null>(null);
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [online, setOnline] = useState<Online>('idle');
  const [error, setError] = useState('');
  const [sharePlace, setSharePlace] = useState(false);
  const keys = useRef<string[]>(knownPublicKeys());
  const generation = useRef(0);
  // The whole scanned text, signature and all, while the input still shows its code.
  const lastScanned = useRef(initial);

  async function lookup(scanned: string) {
    const value = scanned.trim();
    if (!value) {
      setError('请输入合格证编号（16 位）或扫描合格证上的二维码');
      return;
    }
    lastScanned.current = value;
    const mine = ++generation.current;
    setError('');
    setResult(null);
    // First what the phone can tell alone, at once.
    setOffline(checkScannedLabel(value, keys.current));
    setOnline('checking');
    try {
      const place = sharePlace ? await sharedPlace() : undefined;
      const answer = await api.verify.lookup(value, place);
      if (mine !== generation.current) return;
      setResult(answer);
      setOnline('done');
    } catch (err) {
      if (mine !== generation.current) return;
      const apiError = asApiError(err);
      setOnline(apiError.code === 'NETWORK' ? 'offline' : 'idle');
      if (apiError.code !== 'NETWORK') setError(apiError.message);
    }
  }

  async function scan() {
    try {
      const { result: scanned } = await Taro.scanCode({ scanType: ['qrCode'] });
      setText(codeFromScan(scanned) ?? scanned);
      await lookup(scanned);
    } catch {
      // Cancelled.
    }
  }

  useEffect(() => {
    if (initial) void lookup(initial);
    // The key for next time (and, if this scan had to wait for it, a second offline look).
    void refreshPublicKey().then((fresh) => {
      const hadNone = keys.current.length === 0;
      keys.current = fresh;
      if (hadNone && fresh.length > 0 && initial) {
        setOffline((prev) =>
          prev && prev.state === 'no_key' ? checkScannedLabel(initial, fresh) : prev,
        );
      }
    });
    // Once, for the code the page was opened with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const cert = result?.certificate ?? null;
  const offlineText = offline && offline.state !== 'no_code' ? offlineTexts[offline.state] : null;
  return (
    <View className="page verify">
      <Text className="page-title">合格证核验</Text>

      {offlineText && offline ? (
        <View id="offline-verdict" className={`offline offline--${offline.state}`}>
          <Text className="offline__title">{offlineText.title}</Text>
          <Text className="offline__detail">{offlineText.detail}</Text>
        </View>
      ) : null}

      {online !== 'idle' ? (
        <Text id="online-status" className={`online online--${online}`}>
          {online === 'checking'
            ? '正在联网核验…'
            : online === 'done'
              ? '已核验'
              : '暂时无法联网核验：以上是本机离线验签的结果，有网络时请再点“核验”。'}
        </Text>
      ) : null}

      {result ? (
        <View className="verify__result">
          <View id="verdict" className={`verdict verdict--${result.verdict}`}>
            <Text className="verdict__mark">{marks[result.verdict]}</Text>
            <Text className="verdict__label">{result.verdictLabel}</Text>
          </View>
          <Text className="verdict__explain">{result.explanation}</Text>
          {result.label && result.label.count > 1 ? (
            <Text id="label-index" className="verify__meta">
              第 {result.label.index} / {result.label.count} 件
            </Text>
          ) : null}
          {result.verdict !== 'not_found' ? (
            <Text
              id="signature-state"
              className={`verify__meta signature signature--${result.signature}`}
            >
              防伪签名：{result.signatureLabel}
            </Text>
          ) : null}
          {result.copySuspected ? (
            <View id="copy-warning" className="verdict__reason">
              <Text>
                疑似复制：这个标签近期被许多不同的人、在多个地方扫过，远超一件真实商品的情况。请核对产品与下面的内容是否一致。
              </Text>
            </View>
          ) : null}
          {result.verdict === 'revoked' && cert?.revokedReason ? (
            <Text id="revoked-reason" className="verdict__reason">
              撤销原因：{cert.revokedReason}
            </Text>
          ) : null}
          {result.code ? (
            <Text id="verify-code" className="verify__meta muted">
              编号 {formatCertificateCode(result.code)}
            </Text>
          ) : null}
          <Text id="verify-checked-at" className="verify__meta muted">
            核验时间 {checkedAtText(result.checkedAt)}
            {result.divisionName ? ` · ${result.divisionName}` : ''}
          </Text>
          {cert ? <CertificateCard cert={cert} /> : null}
        </View>
      ) : null}

      <View className="verify__form card">
        <Text className="field__label">{result ? '核验另一张' : '输入合格证编号'}</Text>
        <TextInput
          id="verify-input"
          value={text}
          onChange={(v) => {
            setText(v);
            setError('');
          }}
          placeholder="如：ABCD-EFGH-JKMN-PQRS"
          maxlength={300}
          invalid={!!error}
        />
        {error ? (
          <Text id="verify-error" className="field-error">
            {error}
          </Text>
        ) : null}
        <Chip id="share-place" multi selected={sharePlace} onClick={() => setSharePlace((v) => !v)}>
          附上大致位置（约 10 公里，仅用于发现复制的标签）
        </Chip>
        <BigButton
          id="verify-submit"
          disabled={online === 'checking'}
          onClick={() =>
            lookup(
              text.trim() && text.trim() === codeFromScan(lastScanned.current)
                ? lastScanned.current
                : text,
            )
          }
        >
          核验
        </BigButton>
        {process.env.TARO_ENV === 'weapp' ? (
          <BigButton
            id="verify-scan"
            kind="secondary"
            disabled={online === 'checking'}
            onClick={scan}
          >
            扫一扫二维码
          </BigButton>
        ) : null}
      </View>
    </View>
  );
}
