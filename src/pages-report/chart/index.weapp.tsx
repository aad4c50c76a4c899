import { Text, View } from '@tarojs/components';
import type { ChartProps } from './index';
import { barsOf } from './spec';

/**
 * The mini-program's light chart: one horizontal CSS bar per item, no chart library (the
 * subpackage stays small). Each bar opens its records.
 */
export default function Chart({ id, spec, onSelect }: ChartProps) {
  return (
    <View id={id} className="rp-bars">
      {barsOf(spec).map((bar, i) => (
        <View
          key={bar.label}
          id={`${id}-bar-${i}`}
          className="rp-bars__row"
          hoverClass="rp-pressed"
          onClick={() => onSelect(i)}
        >
          <Text className="rp-bars__label">{bar.label}</Text>
          <View className="rp-bars__track">
            <View className="rp-bars__fill" style={{ width: `${bar.percent}%` }} />
          </View>
          <Text className="rp-bars__value">{bar.text}</Text>
        </View>
      ))}
    </View>
  );
}
