/**
 * 扫码核验 — is this certificate real and in force? Open to anyone, signed in or not.
 * Routes: /pages/verify/index?code=<code or scanned URL>; in the mini-program also ?q=<the
 * URL-encoded scanned link> (WeChat's "scan a plain link to open the mini-program").
 *
 * Element ids (for end-to-end tests):
 * - input `verify-input`, button `verify-submit`; `verify-scan` (mini-program only)
 * - `verdict`: 有效 / 已撤销 / 未找到, with class `verdict--valid|revoked|not_found`
 * - `revoked-reason` (when revoked), `verify-code`, `verify-checked-at`
 * - the certificate's fields as on the certificate page (`cert-title`, `cert-product`, …)
 * - `verify-error`: a failed lookup or an empty input
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { codeFromScan, formatCertificateCode } from '@/domain/certificate';
import { api, asApiError, type VerifyResult } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { TextInput } from '@/ui/Field';
import { CertificateCard } from '@/ui/CertificateCard';
import { Loading } from '@/ui/Notice';
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

export default function Verify() {
  const initial = scannedFrom(useRouter().params);
  const [text, setText] = useState(initial ? (codeFromScan(initial) ?? initial) : '');
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function lookup(scanned: string) {
    const value = scanned.trim();
    if (!value) {
      setError('请输入合格证编号（16 位）或扫描合格证上的二维码');
      return;
    }
    setBusy(true);
    setError('');
    try {
      setResult(await api.verify.lookup(value));
    } catch (err) {
      setResult(null);
      setError(asApiError(err).message);
    } finally {
      setBusy(false);
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
    // Once, for the code the page was opened with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const cert = result?.certificate ?? null;
  return (
    <View className="page verify">
      <Text className="page-title">合格证核验</Text>
      {busy ? <Loading text="正在核验…" /> : null}
      {result && !busy ? (
        <View className="verify__result">
          <View id="verdict" className={`verdict verdict--${result.verdict}`}>
            <Text className="verdict__mark">
              {result.verdict === 'valid' ? '✔' : result.verdict === 'revoked' ? '✘' : '?'}
            </Text>
            <Text className="verdict__label">{result.verdictLabel}</Text>
          </View>
          <Text className="verdict__explain">
            {result.verdict === 'valid'
              ? '这是一张真实有效的承诺达标合格证。'
              : result.verdict === 'revoked'
                ? '这张合格证已被开具方撤销，不能作为凭证。'
                : '没有找到这张合格证，请核对编号，或向开具方询问。'}
          </Text>
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
        <BigButton id="verify-submit" disabled={busy} onClick={() => lookup(text)}>
          核验
        </BigButton>
        {process.env.TARO_ENV === 'weapp' ? (
          <BigButton id="verify-scan" kind="secondary" disabled={busy} onClick={scan}>
            扫一扫二维码
          </BigButton>
        ) : null}
      </View>
    </View>
  );
}
