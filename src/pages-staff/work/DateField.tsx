import { Picker, Text, View } from '@tarojs/components';

/** A date chosen from the system's date picker (no typing), up to `end`. Id on the box. */
export function DateField({
  id,
  value,
  end,
  onChange,
}: {
  id: string;
  value: string;
  end: string;
  onChange: (date: string) => void;
}) {
  return (
    <Picker mode="date" value={value} end={end} onChange={(e) => onChange(String(e.detail.value))}>
      <View id={id} className="sv-date" hoverClass="chip--pressed">
        <Text className="sv-date__value">{value}</Text>
        <Text className="sv-date__hint">点击修改</Text>
      </View>
    </Picker>
  );
}
