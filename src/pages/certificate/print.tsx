import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { maxLabelsPerPdf, printLayouts, type PrintLayout } from '@/domain/print';
import { api, asApiError, type PrintLabelsResult } from '@/services/api';
import { openPdf } from '@/services/files';
import { preferredPrintLayout, rememberPrintLayout } from '@/services/print-layout';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { nextBatch, printRange } from './print-range';

/** The chips' short names, in the order a producer is likely to want them. */
const layoutChips: readonly (readonly [PrintLayout, string])[] = [
  ['80x60', '80×60 标签'],
  ['100x70', '100×70 标签'],
  ['50x30', '50×30 小标签'],
  ['a4-two-part', 'A4 两联单'],
];

/**
 * 打印标签 — a PDF of the certificate's labels in one of the common sizes, opened at once (H5: a
 * new tab; mini-program: downloaded and opened with its menu, to print on a Bluetooth label
 * printer or forward). Ids: `print`, chips `layout-<layout>`, inputs `print-from` / `print-to`
 * (several packages only), `print-submit`, then `print-result` and `print-link` (H5: a link;
 * mini-program: opens it again), `print-next` (the next batch of 1000); `print-error`.
 * `blocked`: the server refused (revoked meanwhile): only its message is shown.
 */
export function PrintPanel({
  code,
  count,
  blocked,
  onBlocked,
}: {
  code: string;
  count: number;
  blocked: string;
  onBlocked: (message: string) => void;
}) {
  const [layout, setLayout] = useState<PrintLayout>(preferredPrintLayout);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [errors, setErrors] = useState<{ from?: string[]; to?: string[] }>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PrintLabelsResult | null>(null);

  async function open(url: string) {
    try {
      await openPdf(url);
    } catch (err) {
      setMessage(err instanceof Error ? err.message : 'PDF 无法打开，请重试');
    }
  }

  async function generate(range?: { from: number; to: number }) {
    if (busy) return;
    const wanted = range ? ({ ok: true, ...range } as const) : printRange(fromText, toText, count);
    if (!wanted.ok) {
      setErrors(wanted.errors);
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage('');
    setResult(null);
    try {
      const printed = await api.print.labels({
        code,
        layout,
        ...(wanted.from !== undefined ? { from: wanted.from } : {}),
        ...(wanted.to !== undefined ? { to: wanted.to } : {}),
      });
      rememberPrintLayout(layout);
      setResult(printed);
      setBusy(false);
      await open(printed.url);
    } catch (err) {
      const error = asApiError(err);
      setBusy(false);
      if (error.code === 'CONFLICT') {
        onBlocked(error.message);
        return;
      }
      const from = error.fields?.from;
      const to = error.fields?.to;
      if (from || to) setErrors({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
      setMessage(error.message);
    }
  }

  if (blocked) {
    return (
      <View id="print" className="card print">
        <Text className="section-title print__title">打印标签</Text>
        <Text id="print-error" className="form-error form-error__line">
          {blocked}
        </Text>
      </View>
    );
  }

  const next = result ? nextBatch(result.to, result.count) : null;
  const minutes = result ? Math.round(result.expiresIn / 60) : 0;
  return (
    <View id="print" className="card print">
      <Text className="section-title print__title">打印标签</Text>
      <Field name="layout" label="标签尺寸" hint={printLayouts[layout]}>
        <ChipGroup>
          {layoutChips.map(([l, name]) => (
            <Chip
              key={l}
              id={`layout-${l}`}
              selected={layout === l}
              onClick={() => {
                setLayout(l);
                setResult(null);
              }}
            >
              {name}
            </Chip>
          ))}
        </ChipGroup>
      </Field>
      {count > 1 ? (
        <Field
          name="print-range"
          label="打印哪几件（选填）"
          hint={`共 ${count} 件，不填就打印全部${count > maxLabelsPerPdf ? `的前 ${maxLabelsPerPdf} 件` : ''}。一个 PDF 最多 ${maxLabelsPerPdf} 张标签，多的请分批打印。`}
          errors={[...(errors.from ?? []), ...(errors.to ?? [])]}
        >
          <View className="print__range">
            <Text className="print__range-label">从第</Text>
            <View className="print__range-input">
              <TextInput
                id="print-from"
                type="number"
                value={fromText}
                onChange={(v) => {
                  setFromText(v);
                  setErrors({});
                }}
                placeholder="1"
                maxlength={5}
                invalid={errors.from !== undefined}
              />
            </View>
            <Text className="print__range-label">到</Text>
            <View className="print__range-input">
              <TextInput
                id="print-to"
                type="number"
                value={toText}
                onChange={(v) => {
                  setToText(v);
                  setErrors({});
                }}
                placeholder={String(Math.min(count, maxLabelsPerPdf))}
                maxlength={5}
                invalid={errors.to !== undefined}
              />
            </View>
            <Text className="print__range-label">件</Text>
          </View>
        </Field>
      ) : null}
      <BigButton id="print-submit" disabled={busy} onClick={() => generate()}>
        {busy ? '正在生成 PDF…' : '生成 PDF'}
      </BigButton>
      {message ? (
        <Text id="print-error" className="form-error form-error__line print__error">
          {message}
        </Text>
      ) : null}
      {result ? (
        <View id="print-result" className="print__result">
          <Text className="print__result-title">PDF 已生成</Text>
          <Text className="print__result-line">
            {count > 1 ? `第 ${result.from}–${result.to} 件，` : ''}共 {result.pages} 页 ·{' '}
            {printLayouts[layout]}
          </Text>
          <Text className="print__result-line muted">
            {process.env.TARO_ENV === 'h5'
              ? `已在新窗口打开；如没有打开，请点下面的链接。链接 ${minutes} 分钟内有效。`
              : `可用手机上的打印应用打印，或转发给他人。${minutes} 分钟后需重新生成。`}
          </Text>
          {/* A real link in the browser (long-press, new tab); weapp has no such element. */}
          {process.env.TARO_ENV === 'h5' ? (
            <a
              id="print-link"
              className="print__link"
              href={result.url}
              target="_blank"
              rel="noopener noreferrer"
            >
              打开 PDF
            </a>
          ) : (
            <BigButton id="print-link" kind="secondary" onClick={() => open(result.url)}>
              再次打开 PDF
            </BigButton>
          )}
          {next ? (
            <BigButton
              id="print-next"
              kind="secondary"
              onClick={() => {
                setFromText(String(next.from));
                setToText(String(next.to));
                void generate(next);
              }}
            >
              接着生成第 {next.from}–{next.to} 件
            </BigButton>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}
