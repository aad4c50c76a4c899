/**
 * ECharts as the H5 dashboard uses it: the core with only bar and line charts, a grid and the
 * canvas renderer, so the chunk stays small (no tooltip: it pulls in the axis pointer, and every
 * bar is labelled with its value anyway). Loaded on demand by index.h5.tsx; nothing
 * in the mini-program imports it.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, CanvasRenderer]);

export { init };
