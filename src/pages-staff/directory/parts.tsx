/** Small pieces the directory and staff pages share. */
import { Text, View } from '@tarojs/components';
import { useState, type ReactNode } from 'react';
import { asApiError } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Field, TextInput } from '@/ui/Field';

/** A label and its value on one line. */
export function Row({ id, label, children }: { id?: string; label: string; children: ReactNode }) {
  return (
    <View className="dir-row">
      <Text className="dir-row__label">{label}</Text>
      <Text id={id} className="dir-row__value">
        {children}
      </Text>
    </View>
  );
}

/** A button smaller than BigButton, for actions on one item of a list. */
export function SmallButton({
  id,
  danger,
  onClick,
  children,
}: {
  id: string;
  danger?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <View
      id={id}
      className={`dir-small-button${danger ? ' dir-small-button--danger' : ''}`}
      hoverClass="chip--pressed"
      ariaRole="button"
      onClick={onClick}
    >
      <Text>{children}</Text>
    </View>
  );
}

/** One figure and what it counts. */
export function Figure({
  id,
  value,
  label,
  warn,
}: {
  id: string;
  value: ReactNode;
  label: string;
  warn?: boolean;
}) {
  return (
    <View className="dir-figure">
      <Text id={id} className={`dir-figure__value${warn ? ' dir-figure__value--warn' : ''}`}>
        {value}
      </Text>
      <Text className="dir-figure__label">{label}</Text>
    </View>
  );
}

/**
 * A decision that needs a written reason (at least 2 characters), under a list item. Ids: input
 * `<prefix>-reason` (wrapper `field-<prefix>-reason`), `<prefix>-submit`, `<prefix>-cancel`,
 * `<prefix>-error` (errors that are not about the reason).
 */
export function ReasonPanel({
  prefix,
  label,
  placeholder,
  tooShort,
  danger,
  submitLabel,
  busyLabel,
  send,
  onDone,
  onCancel,
}: {
  prefix: string;
  label: string;
  placeholder: string;
  /** The error when the reason is shorter than 2 characters. */
  tooShort: string;
  danger: boolean;
  submitLabel: string;
  busyLabel: string;
  /** Sends the decision with the trimmed reason; says what was done. */
  send: (reason: string) => Promise<string>;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (busy) return;
    if (reason.trim().length < 2) {
      setErrors([tooShort]);
      return;
    }
    setBusy(true);
    setMessage('');
    try {
      onDone(await send(reason.trim()));
    } catch (e) {
      const err = asApiError(e);
      if (err.fields?.reason) setErrors(err.fields.reason);
      else setMessage(err.message);
      setBusy(false);
    }
  }

  return (
    <View className="dir-panel">
      <Field name={`${prefix}-reason`} label={label} errors={errors}>
        <TextInput
          id={`${prefix}-reason`}
          value={reason}
          onChange={(v) => {
            setReason(v);
            setErrors([]);
          }}
          placeholder={placeholder}
          maxlength={200}
          invalid={errors.length > 0}
        />
      </Field>
      <BigButton
        id={`${prefix}-submit`}
        kind={danger ? 'danger' : 'primary'}
        disabled={busy}
        onClick={submit}
      >
        {busy ? busyLabel : submitLabel}
      </BigButton>
      <BigButton id={`${prefix}-cancel`} kind="secondary" onClick={onCancel}>
        取消
      </BigButton>
      {message ? (
        <Text id={`${prefix}-error`} className="dir-error">
          {message}
        </Text>
      ) : null}
    </View>
  );
}
