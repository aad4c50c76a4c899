import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { FieldErrors } from '@/domain/errors';
import { Field, TextInput } from '@/ui/Field';
import { BigButton } from '@/ui/Button';
import { addScanned, scannedLabel } from './model';

const isWeapp = process.env.TARO_ENV === 'weapp';

/**
 * 现场扫码 — labels read on site: the camera (mini-program) or a typed code or pasted link, each
 * shown as a chip that can be taken out. Ids: `<prefix>-scan` (mini-program), input
 * `<prefix>-scan-input`, `<prefix>-scan-add`, `<prefix>-scan-error`; chips `<prefix>-scanned-<i>`
 * with `<prefix>-scanned-<i>-remove` and the server's word about each under it.
 */
export function ScanList({
  prefix,
  items,
  onChange,
  max,
  errorsFor,
}: {
  prefix: string;
  items: readonly string[];
  onChange: (items: string[]) => void;
  max: number;
  errorsFor?: (i: number) => string[];
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState('');

  function add(value: string) {
    const next = addScanned(items, value, max);
    if (!next.ok) {
      setError(next.error);
      return false;
    }
    setError('');
    onChange(next.list);
    return true;
  }

  async function scan() {
    try {
      const { result } = await Taro.scanCode({ scanType: ['qrCode', 'barCode'] });
      add(result);
    } catch {
      // Cancelled.
    }
  }

  return (
    <View className="sv-scan">
      {items.map((s, i) => {
        const label = scannedLabel(s);
        const problems = errorsFor?.(i) ?? [];
        return (
          <View
            key={s}
            id={`${prefix}-scanned-${i}`}
            className={`sv-scanned${problems.length ? ' sv-scanned--invalid' : ''}`}
          >
            <View className="sv-scanned__head">
              <Text className="sv-scanned__code">{label.code}</Text>
              <View
                id={`${prefix}-scanned-${i}-remove`}
                className="sv-scanned__remove"
                hoverClass="chip--pressed"
                ariaRole="button"
                onClick={() => onChange(items.filter((_, j) => j !== i))}
              >
                <Text>移除</Text>
              </View>
            </View>
            <Text className="sv-scanned__note muted">
              {label.signed ? '扫码（带防伪签名）' : '手工输入'}
            </Text>
            {problems.map((m) => (
              <Text key={m} className="field-error">
                {m}
              </Text>
            ))}
          </View>
        );
      })}
      {isWeapp ? (
        <BigButton id={`${prefix}-scan`} onClick={scan}>
          {items.length ? '继续扫码' : '扫码核验标签'}
        </BigButton>
      ) : null}
      <View className="sv-add">
        <View className="sv-add__input">
          <TextInput
            id={`${prefix}-scan-input`}
            value={text}
            onChange={(v) => {
              setText(v);
              setError('');
            }}
            placeholder={isWeapp ? '或输入编号' : '编号或标签链接'}
            maxlength={300}
          />
        </View>
        <View
          id={`${prefix}-scan-add`}
          className="sv-add__button"
          hoverClass="chip--pressed"
          ariaRole="button"
          onClick={() => {
            if (add(text)) setText('');
          }}
        >
          <Text>添加</Text>
        </View>
      </View>
      {error ? (
        <Text id={`${prefix}-scan-error`} className="field-error">
          {error}
        </Text>
      ) : null}
    </View>
  );
}

/** A form's field of scanned labels (`field-<name>`): the server's word on label i under it. */
export function ScanField({
  name,
  label,
  hint,
  errors,
  ...list
}: {
  name: string;
  label: string;
  hint: string;
  errors: FieldErrors;
  prefix: string;
  items: readonly string[];
  onChange: (items: string[]) => void;
  max: number;
}) {
  return (
    <Field name={name} label={label} hint={hint} errors={errors[name] ?? []}>
      <ScanList {...list} errorsFor={(i) => errors[`${name}.${i}`] ?? []} />
    </Field>
  );
}
