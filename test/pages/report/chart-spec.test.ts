import { lianyunDivisions } from '../../../src/domain/division';
import { dashboardOf, recordsWithin, windowOf } from '../../../src/domain/report';
import {
  barsOf,
  categoryChart,
  certificatesByMonthChart,
  chartHeight,
  coverageTrendChart,
  divisionChart,
  echartsOption,
  issueUnitChart,
  shortMonth,
  subjectTypeChart,
  type ChartSpec,
} from '../../../src/pages-report/chart/spec';
import { liandao, world } from '../../domain/report-fixtures';

const now = new Date('2026-05-06T01:00:00.000Z');
const w = windowOf({ from: '2026-01-01', to: '2026-04-30' }, now);
const streets = lianyunDivisions.filter((d) => d.kind !== 'district');
const district = () =>
  dashboardOf(world(), { divisionCode: null, rows: streets }, w, now.toISOString());

const rows = (s: ChartSpec) => s.items.map((i) => [i.label, i.value, i.text]);

describe('chart specs from the dashboard', () => {
  it('certificates by month: one bar per month with its records, opening that month', () => {
    const spec = certificatesByMonthChart(district());
    expect(rows(spec)).toEqual([
      ['1月', 1, '1'],
      ['2月', 1, '1'],
      ['3月', 3, '3'],
      ['4月', 0, '0'],
    ]);
    expect(spec.items[2]!.drill).toEqual({
      figure: 'certificates',
      params: { from: '2026-01-01', to: '2026-04-30', month: '2026-03' },
    });
  });

  it('coverage trend: the monthly share of above-scale producers issuing, as a line', () => {
    const spec = coverageTrendChart(district());
    expect(spec).toMatchObject({ kind: 'line', unit: 'share' });
    expect(rows(spec)).toEqual([
      ['1月', 0.25, '25.0%（1/4）'],
      ['2月', 0.25, '25.0%（1/4）'],
      ['3月', 2 / 3, '66.7%（2/3）'],
      ['4月', 0, '0.0%（0/3）'],
    ]);
    expect(spec.items[0]!.drill.figure).toBe('aboveScale');
  });

  it('categories: only those with certificates, most first', () => {
    expect(rows(categoryChart(district()))).toEqual([
      ['蔬菜（含食用菌）', 4, '4'],
      ['水产品', 1, '1'],
    ]);
  });

  it('issue units and subject types keep every bar, zero included', () => {
    expect(rows(issueUnitChart(district())).map((r) => r[1])).toEqual([4, 1, 0]);
    const types = subjectTypeChart(district());
    expect(types.items.reduce((n, i) => n + (i.value ?? 0), 0)).toBe(
      district().directory.total.count,
    );
  });

  it('the division chart is only drawn for more than one division', () => {
    const d = district();
    expect(divisionChart(d)!.items.map((i) => i.label)).toEqual(streets.map((s) => s.name));
    const one = dashboardOf(
      recordsWithin(world(), [liandao]),
      { divisionCode: liandao, rows: streets.filter((s) => s.code === liandao) },
      w,
      now.toISOString(),
    );
    expect(divisionChart(one)).toBeNull();
  });

  it('names months with the year only when the period spans two years', () => {
    expect(shortMonth('2026-03', ['2026-01', '2026-03'])).toBe('3月');
    expect(shortMonth('2025-12', ['2025-12', '2026-01'])).toBe('25年12月');
  });
});

describe('renderings', () => {
  const spec: ChartSpec = {
    title: 't',
    kind: 'columns',
    unit: 'count',
    items: [10, 5, 0, 1000].map((v, i) => ({
      label: `m${i}`,
      value: v,
      text: String(v),
      drill: { figure: 'certificates', params: {} },
    })),
  };

  it('bars scale to the largest, and a small non-zero value stays visible', () => {
    expect(barsOf(spec).map((b) => b.percent)).toEqual([2, 2, 0, 100]);
    expect(barsOf({ ...spec, items: spec.items.slice(0, 2) }).map((b) => b.percent)).toEqual([
      100, 50,
    ]);
  });

  it('shares fill up to 100% and an unknown share draws nothing', () => {
    const shares = coverageTrendChart(district());
    expect(barsOf(shares).map((b) => b.percent)).toEqual([25, 25, 66.7, 0]);
    expect(
      barsOf({ ...shares, items: [{ ...shares.items[0]!, value: null, text: '—' }] })[0]!.percent,
    ).toBe(0);
  });

  it('the ECharts option carries the same categories and values (shares in percent)', () => {
    const bar = echartsOption(spec);
    expect(bar.xAxis).toMatchObject({ type: 'category', data: ['m0', 'm1', 'm2', 'm3'] });
    expect(bar.series).toEqual([expect.objectContaining({ type: 'bar', data: [10, 5, 0, 1000] })]);
    const line = echartsOption(coverageTrendChart(district()));
    expect(line.series).toEqual([
      expect.objectContaining({ type: 'line', data: [25, 25, 66.7, 0] }),
    ]);
    expect(line.yAxis).toMatchObject({ min: 0, max: 100 });
    // Categories lie on their side, the first on top, so long names stay readable.
    const bars = echartsOption(categoryChart(district()));
    expect(bars.yAxis).toMatchObject({
      type: 'category',
      inverse: true,
      data: ['蔬菜（含食用菌）', '水产品'],
    });
    expect(bars.series).toEqual([expect.objectContaining({ type: 'bar', data: [4, 1] })]);
    expect(chartHeight(categoryChart(district()))).toBeLessThan(
      chartHeight(subjectTypeChart(district())),
    );
  });
});
