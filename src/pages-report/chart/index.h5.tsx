import { useEffect, useRef, useState } from 'react';
import type { ChartProps } from './index';
import { chartHeight, echartsOption } from './spec';

/** The chart drawn by ECharts on a canvas, loaded in its own chunk when a chart first shows. */
export default function Chart({ id, spec, onSelect }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let disposed = false;
    let dispose = () => {};
    import(/* webpackChunkName: "echarts" */ './echarts-setup').then(
      ({ init }) => {
        if (disposed || !box.current) return;
        const chart = init(box.current, null, { renderer: 'canvas' });
        chart.setOption(echartsOption(spec));
        chart.on('click', (p) => select.current(p.dataIndex));
        const resize = () => chart.resize();
        window.addEventListener('resize', resize);
        dispose = () => {
          window.removeEventListener('resize', resize);
          chart.dispose();
        };
      },
      () => setFailed(true),
    );
    return () => {
      disposed = true;
      dispose();
    };
  }, [spec]);

  if (failed) return null;
  return (
    <div
      id={id}
      ref={box}
      className="rp-chart"
      role="img"
      aria-label={spec.title}
      style={{ width: '100%', height: `${chartHeight(spec)}px` }}
    />
  );
}
