/**
 * 看板 — coverage and progress at a glance for the bureau (the district or one division) and for
 * a street office (its own division), every figure derived now from the records; and 钻取, the
 * records behind any figure, selected the way the figure counted them.
 */
import { chinaDate } from '../../src/domain/certificate';
import { AppError } from '../../src/domain/errors';
import {
  dashboardInputSchema,
  dashboardOf,
  drillFigures,
  drillInputSchema,
  drillItems,
  resolvePeriod,
  windowOf,
  type Dashboard,
  type DrillFigure,
  type DrillItem,
  type DrillParams,
  type ReportRecords,
  type ReportWindow,
} from '../../src/domain/report';
import { action, type Ctx } from '../kit/action';
import { reportReaders, reportScope, type ReportScope } from './access';
import { loadRecords } from './records';

/** The records and window of a scope and period, read once. */
export interface Loaded {
  scope: ReportScope;
  window: ReportWindow;
  records: ReportRecords;
}

export async function load(
  ctx: Ctx,
  scope: ReportScope,
  period: { from?: string; to?: string },
): Promise<Loaded> {
  const window = windowOf(resolvePeriod(period, chinaDate(ctx.now())), ctx.now());
  const records = await loadRecords(ctx, scope.codes);
  return { scope, window, records };
}

export function dashboardFrom(ctx: Ctx, l: Loaded): Dashboard {
  return dashboardOf(
    l.records,
    { divisionCode: l.scope.divisionCode, rows: l.scope.rows },
    l.window,
    ctx.now().toISOString(),
  );
}

export interface DrillResult {
  figure: DrillFigure;
  /** What the records are, in Chinese. */
  label: string;
  params: DrillParams;
  from: string;
  to: string;
  asOf: string;
  computedAt: string;
  /** Every record behind the figure; `items` is the page asked for. */
  total: number;
  skip: number;
  limit: number;
  items: DrillItem[];
}

export const dashboardActions = {
  /**
   * 看板 — the district (admin) or one division: directory, above-scale coverage and its trend,
   * certificates by month, category, product and issue unit, market acceptance, patrols and
   * samples, key supervision and rectification, training and publicity. The period defaults
   * to this year so far.
   */
  dashboard: action({
    input: dashboardInputSchema,
    roles: reportReaders,
    async run(input, ctx): Promise<Dashboard> {
      const loaded = await load(ctx, reportScope(ctx, input.divisionCode), input);
      return dashboardFrom(ctx, loaded);
    },
  }),

  /** 钻取 — the records behind a figure (its `drill`), paged, within the caller's scope. */
  drill: action({
    input: drillInputSchema,
    roles: reportReaders,
    async run(input, ctx): Promise<DrillResult> {
      const scope = reportScope(ctx, input.params.divisionCode);
      const loaded = await load(ctx, scope, input.params);
      if (
        (input.figure === 'training' || input.figure === 'publicity') &&
        !loaded.records.outreach
      ) {
        throw new AppError('UNAVAILABLE', '该运行环境没有宣传培训记录，无法统计');
      }
      const items = drillItems(loaded.records, input.figure, input.params, loaded.window);
      return {
        figure: input.figure,
        label: drillFigures[input.figure],
        params: input.params,
        from: loaded.window.from,
        to: loaded.window.to,
        asOf: loaded.window.asOf,
        computedAt: ctx.now().toISOString(),
        total: items.length,
        skip: input.skip,
        limit: input.limit,
        items: items.slice(input.skip, input.skip + input.limit),
      };
    },
  }),
};
