/**
 * What the dashboard's charts show, as plain data: one spec per chart, mapped from the dashboard
 * the report function derived. Both renderers read it: ECharts in H5 (echartsOption) and the
 * light CSS bars of the mini-program (barsOf). Pure, so the mapping is tested without a screen.
 */
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { Dashboard, DrillRef } from '../../domain/report';

/** One bar (or point): what it is called, its value, how it reads, and its records. */
export interface ChartItem {
  label: string;
  /** A count, or a share 0–1 for `unit: 'share'`; null when there is nothing to divide by. */
  value: number | null;
  text: string;
  drill: DrillRef;
}

export interface ChartSpec {
  title: string;
  /**
   * How H5 draws it: months as columns (or a line for a share's trend), categories as horizontal
   * bars so their names stay readable. The mini-program draws bars for all.
   */
  kind: 'columns' | 'line' | 'bars';
  unit: 'count' | 'share';
  items: ChartItem[];
}

/** 2026-05 → 5月 (with the year when the months run over a new year: 25年12月). */
export function shortMonth(month: string, months: readonly string[]): string {
  const years = new Set(months.map((m) => m.slice(0, 4)));
  const m = `${Number(month.slice(5, 7))}月`;
  return years.size > 1 ? `${month.slice(2, 4)}年${m}` : m;
}

const shareText = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);

/** 合格证开具（按月）: records issued each month of the period. */
export function certificatesByMonthChart(d: Dashboard): ChartSpec {
  return {
    title: '开具合格证（张，按月）',
    kind: 'columns',
    unit: 'count',
    items: d.certificates.byMonth.map((m) => ({
      label: shortMonth(m.month, d.months),
      value: m.records,
      text: String(m.records),
      drill: m.drill,
    })),
  };
}

/** 规模以上主体开证率（按月）: the share of above-scale producers that issued in each month. */
export function coverageTrendChart(d: Dashboard): ChartSpec {
  return {
    title: '规模以上主体开证率（按月）',
    kind: 'line',
    unit: 'share',
    items: d.coverage.byMonth.map((m) => ({
      label: shortMonth(m.month, d.months),
      value: m.share,
      text: m.aboveScale === 0 ? '—' : `${shareText(m.share)}（${m.issuing}/${m.aboveScale}）`,
      drill: m.drill,
    })),
  };
}

/** 按产品品类: categories with certificates, most first (all of them when none has any). */
export function categoryChart(d: Dashboard): ChartSpec {
  const used = d.certificates.byCategory.filter((c) => c.records > 0);
  const rows = (used.length ? used : d.certificates.byCategory)
    .slice()
    .sort((a, b) => b.records - a.records);
  return {
    title: '开具合格证（张，按产品品类）',
    kind: 'bars',
    unit: 'count',
    items: rows.map((c) => ({
      label: c.label,
      value: c.records,
      text: String(c.records),
      drill: c.drill,
    })),
  };
}

/** 按开具方式: 一箱一证 / 一车一证 / 一批一证. */
export function issueUnitChart(d: Dashboard): ChartSpec {
  return {
    title: '开具合格证（张，按开具方式）',
    kind: 'bars',
    unit: 'count',
    items: d.certificates.byIssueUnit.map((u) => ({
      label: u.label,
      value: u.records,
      text: String(u.records),
      drill: u.drill,
    })),
  };
}

/** 名录主体（按类型）. */
export function subjectTypeChart(d: Dashboard): ChartSpec {
  return {
    title: '名录主体（家，按类型）',
    kind: 'bars',
    unit: 'count',
    items: d.directory.byType.map((t) => ({
      label: t.label,
      value: t.count,
      text: String(t.count),
      drill: t.drill,
    })),
  };
}

/** 名录主体（按街道/乡镇）: only worth a chart for more than one division. */
export function divisionChart(d: Dashboard): ChartSpec | null {
  if (d.directory.byDivision.length < 2) return null;
  return {
    title: '名录主体（家，按街道/乡镇）',
    kind: 'bars',
    unit: 'count',
    items: d.directory.byDivision.map((r) => ({
      label: r.divisionName,
      value: r.total,
      text: String(r.total),
      drill: r.drill,
    })),
  };
}

/** A bar of the mini-program's light chart: its length as a percentage of the longest. */
export interface Bar extends ChartItem {
  /** 0–100. */
  percent: number;
}

/** Bars scaled to the largest value (shares to 100%); a bar with a value is never invisible. */
export function barsOf(spec: ChartSpec): Bar[] {
  const top = spec.unit === 'share' ? 1 : Math.max(0, ...spec.items.map((i) => i.value ?? 0));
  return spec.items.map((item) => {
    const v = item.value ?? 0;
    const percent = top === 0 || v <= 0 ? 0 : Math.max(2, Math.round((v / top) * 1000) / 10);
    return { ...item, percent: Math.min(100, percent) };
  });
}

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption>;

/** The chart's height in CSS px in H5: horizontal bars grow with their number. */
export function chartHeight(spec: ChartSpec): number {
  return spec.kind === 'bars' ? 32 + 30 * spec.items.length : 240;
}

/** The ECharts option of a spec: categories along x, counts (or percentages) up y. */
export function echartsOption(spec: ChartSpec): ChartOption {
  const share = spec.unit === 'share';
  const data = spec.items.map((i) =>
    i.value === null ? null : share ? Math.round(i.value * 1000) / 10 : i.value,
  );
  const labels = spec.items.map((i) => i.label);
  const values = share
    ? { type: 'value' as const, min: 0, max: 100, axisLabel: { formatter: '{value}%' } }
    : { type: 'value' as const, minInterval: 1 };
  if (spec.kind === 'bars') {
    return {
      animation: false,
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      // The first item on top, as the list below reads.
      yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { fontSize: 12 } },
      xAxis: values,
      series: [
        {
          type: 'bar',
          data,
          barMaxWidth: 24,
          itemStyle: { color: '#2e7d32' },
          label: { show: true, position: 'right' },
        },
      ],
    };
  }
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: labels,
      axisLabel: { interval: 0, rotate: spec.items.length > 6 ? 40 : 0, fontSize: 12 },
    },
    yAxis: values,
    series: [
      spec.kind === 'line'
        ? {
            type: 'line',
            data,
            connectNulls: false,
            symbolSize: 10,
            itemStyle: { color: '#1b5e20' },
            label: { show: true, formatter: share ? '{c}%' : '{c}' },
          }
        : {
            type: 'bar',
            data,
            barMaxWidth: 40,
            itemStyle: { color: '#2e7d32' },
            label: { show: true, position: 'top' },
          },
    ],
  };
}
