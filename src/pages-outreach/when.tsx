import { Picker, Text, View } from '@tarojs/components';
import { TextInput } from '@/ui/Field';

export interface WhenInputProps {
  /** The element id (e2e tests fill the H5 input inside it). */
  id: string;
  mode: 'date' | 'time';
  value: string;
  onChange: (value: string) => void;
}

/**
 * A date (YYYY-MM-DD) or time (HH:MM) in China time: the mini-program's own picker in weapp,
 * a plain input in H5 (the browser's picker differs from phone to phone).
 */
export function WhenInput({ id, mode, value, onChange }: WhenInputProps) {
  if (process.env.TARO_ENV === 'weapp') {
    return (
      <Picker id={id} mode={mode} value={value} onChange={(e) => onChange(String(e.detail.value))}>
        <View className="ui-input or-when">
          <Text>{value || (mode === 'date' ? '选择日期' : '选择时间')}</Text>
        </View>
      </Picker>
    );
  }
  return (
    <TextInput
      id={id}
      value={value}
      maxlength={mode === 'date' ? 10 : 5}
      placeholder={mode === 'date' ? '如 2026-12-01' : '如 09:00'}
      onChange={onChange}
    />
  );
}
