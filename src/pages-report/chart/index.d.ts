import type { ReactElement } from 'react';
import type { ChartSpec } from './spec';

/** Props of Chart, the same in H5 (ECharts) and the mini-program (CSS bars). */
export interface ChartProps {
  /** The chart's id; its bars are `<id>-bar-<index>` in the mini-program. */
  id: string;
  spec: ChartSpec;
  /** A bar (or point) was tapped: open its records. */
  onSelect: (index: number) => void;
}

/** A dashboard chart whose bars open the records behind them. */
declare function Chart(props: ChartProps): ReactElement | null;
export default Chart;
