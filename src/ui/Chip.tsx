import { View, Text } from '@tarojs/components';
import type { ReactNode } from 'react';

export interface ChipProps {
  id?: string;
  selected: boolean;
  /** Toggle chips (several may be on) show a tick box; choice chips show a dot. */
  multi?: boolean;
  onClick: () => void;
  children: ReactNode;
}

/** One choice among a few, shown all at once (easier than a picker); `chip--on` when chosen. */
export function Chip({ id, selected, multi, onClick, children }: ChipProps) {
  const mark = multi ? (selected ? '☑' : '☐') : selected ? '●' : '○';
  return (
    <View
      id={id}
      className={`chip${selected ? ' chip--on' : ''}`}
      hoverClass="chip--pressed"
      onClick={onClick}
    >
      <Text className="chip__mark">{mark}</Text>
      <Text className="chip__label">{children}</Text>
    </View>
  );
}

export function ChipGroup({ children, wide }: { children: ReactNode; wide?: boolean }) {
  return <View className={`chip-group${wide ? ' chip-group--wide' : ''}`}>{children}</View>;
}
