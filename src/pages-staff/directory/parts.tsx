/** Small pieces the directory and staff pages share. */
import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';

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
