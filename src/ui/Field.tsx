import { Input, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';

export interface FieldProps {
  /** The field's key: the wrapper gets id `field-<name>` (to scroll to it). */
  name: string;
  label: string;
  hint?: string;
  errors?: readonly string[];
  children: ReactNode;
}

/** A labelled field with its errors in red right under it (class `field-error`). */
export function Field({ name, label, hint, errors = [], children }: FieldProps) {
  return (
    <View id={`field-${name}`} className={`field${errors.length ? ' field--invalid' : ''}`}>
      <Text className="field__label">{label}</Text>
      {hint ? <Text className="field__hint">{hint}</Text> : null}
      {children}
      {errors.map((message) => (
        <Text key={message} className="field-error">
          {message}
        </Text>
      ))}
    </View>
  );
}

export interface TextInputProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  type?: 'text' | 'number' | 'digit' | 'idcard';
  maxlength?: number;
  invalid?: boolean;
}

/** A large single-line input. */
export function TextInput({
  id,
  value,
  onChange,
  placeholder,
  type = 'text',
  maxlength = 140,
  invalid,
}: TextInputProps) {
  return (
    <Input
      id={id}
      name={id}
      className={`ui-input${invalid ? ' ui-input--invalid' : ''}`}
      value={value}
      type={type}
      maxlength={maxlength}
      placeholder={placeholder}
      placeholderClass="ui-placeholder"
      onInput={(e) => onChange(e.detail.value)}
    />
  );
}
