/** Pieces the report pages share: a figure that opens its records, a chart card, a stamp. */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import type { DrillRef } from '@/domain/report';
import Chart from './chart';
import type { ChartSpec } from './chart/spec';
import { computedText, drillUrl } from './model';

export function openDrill(ref: DrillRef) {
  Taro.navigateTo({ url: drillUrl(ref) });
}

/**
 * One figure: its label and value; with a drill, the row opens the records behind it.
 * Element ids: `fig-<id>` (the row), `fig-<id>-value` (the number as shown).
 */
export function Figure({
  id,
  label,
  value,
  drill,
  note,
}: {
  id: string;
  label: string;
  value: string | number;
  drill?: DrillRef;
  note?: string;
}) {
  return (
    <View
      id={`fig-${id}`}
      className={`rp-figure${drill ? ' rp-figure--link' : ''}`}
      hoverClass={drill ? 'rp-pressed' : 'none'}
      ariaRole={drill ? 'button' : undefined}
      onClick={drill ? () => openDrill(drill) : undefined}
    >
      <View className="rp-figure__label">
        <Text>{label}</Text>
        {note ? <Text className="rp-figure__note">{note}</Text> : null}
      </View>
      <Text id={`fig-${id}-value`} className="rp-figure__value">
        {String(value)}
      </Text>
    </View>
  );
}

/** A card of figures with its title and the moment they were computed. */
export function FigureCard({
  id,
  title,
  computedAt,
  children,
}: {
  id: string;
  title: string;
  computedAt: string;
  children: ReactNode;
}) {
  return (
    <View id={id} className="card">
      <Text className="rp-card-title">{title}</Text>
      <Text className="rp-stamp">{computedText(computedAt)}</Text>
      {children}
    </View>
  );
}

/** A chart whose bars open their records, with its title. */
export function ChartBlock({ id, spec }: { id: string; spec: ChartSpec }) {
  return (
    <View>
      <Text className="rp-note">{spec.title}（点击柱形查看明细）</Text>
      <Chart
        id={id}
        spec={spec}
        onSelect={(i) => {
          const item = spec.items[i];
          if (item) openDrill(item.drill);
        }}
      />
    </View>
  );
}
