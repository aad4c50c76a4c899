/**
 * 书面总结 — a street's summary for any period: the dashboard's figures for the street, the
 * changes since the previous summary period, and the lists (dormant subjects, overdue
 * rectifications, untrained staff); as .xlsx and as a printable Chinese PDF; and the district
 * roll-up of all streets side by side.
 */
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import {
  changesBetween,
  dashboardOf,
  districtPeriodInputSchema,
  keyFigureLabels,
  keyFiguresOf,
  outreachFiguresOf,
  previousSummaryPeriod,
  recordsWithin,
  rectificationAt,
  scheduledPeriodOf,
  selectRectifications,
  summaryDocId,
  summaryInputSchema,
  summaryStatuses,
  windowOf,
  type Dashboard,
  type FigureChange,
  type KeyFigures,
  type OutreachFigures,
  type RectificationAt,
  type SummaryDoc,
  type SummaryPeriod,
} from '../../src/domain/report';
import { action, type Ctx } from '../kit/action';
import { dormantSubjects, type DormantItem } from '../directory/dormant';
import { bureau, reportReaders, reportScope, streets, streetScope } from './access';
import { dashboardFrom, load, type Loaded } from './dashboard';
import { storePdf, type StoredPdf } from './files';
import { renderSummaryPdf } from './pdf';
import { summaryWorkbook } from './workbook';

/** The most dormant subjects a summary lists (the count is always whole). */
export const summaryListLimit = 500;

export interface SummaryReport {
  divisionCode: string;
  divisionName: string;
  from: string;
  to: string;
  asOf: string;
  computedAt: string;
  /** The scheduled period these dates are (6 May, 6 August, 6 December), if they are one. */
  period: SummaryPeriod | null;
  dashboard: Dashboard;
  figures: KeyFigures;
  /** The previous summary period, its figures derived the same way. */
  previous: SummaryPeriod & { asOf: string; figures: KeyFigures };
  changes: FigureChange[];
  lists: {
    /** 在册不运行, as the directory derives it today (dormancy is judged at the present). */
    dormantSubjects: { asOf: string; afterDays: number; total: number; items: DormantItem[] };
    /** 逾期未销号整改 at the end of the period. */
    overdueRectifications: RectificationAt[];
    untrainedStaff: OutreachFigures['untrainedStaff'];
  };
  /** The street's summary document for this period, when one was drafted. */
  document: SummaryDoc | null;
}

/** A street's summary from its loaded records (the scope must be the street). */
export async function summaryOf(ctx: Ctx, loaded: Loaded): Promise<SummaryReport> {
  const divisionCode = loaded.scope.divisionCode ?? '';
  const w = loaded.window;
  const dashboard = dashboardFrom(ctx, loaded);
  const figures = keyFiguresOf(dashboard);
  const prev = previousSummaryPeriod(w.from);
  const prevWindow = windowOf(prev, ctx.now());
  const prevFigures = keyFiguresOf(
    dashboardOf(
      loaded.records,
      { divisionCode, rows: loaded.scope.rows },
      prevWindow,
      ctx.now().toISOString(),
    ),
  );
  const dormant = await dormantSubjects(ctx, loaded.scope.codes, summaryListLimit);
  const period = scheduledPeriodOf(w);
  const document = period
    ? await ctx.store
        .collection<SummaryDoc>('summaries')
        .get(summaryDocId(divisionCode, period.period))
    : null;
  return {
    divisionCode,
    divisionName: divisionName(lianyunDivisions, divisionCode) ?? divisionCode,
    from: w.from,
    to: w.to,
    asOf: w.asOf,
    computedAt: ctx.now().toISOString(),
    period,
    dashboard,
    figures,
    previous: { ...prev, asOf: prevWindow.asOf, figures: prevFigures },
    changes: changesBetween(figures, prevFigures),
    lists: {
      dormantSubjects: {
        asOf: ctx.now().toISOString(),
        afterDays: dormant.afterDays,
        total: dormant.total,
        items: dormant.items,
      },
      overdueRectifications: selectRectifications(loaded.records, w, {
        outstanding: true,
        overdue: true,
      }).map((c) => rectificationAt(c, w.asOf)),
      untrainedStaff: outreachFiguresOf(loaded.records, w, {}).untrainedStaff,
    },
    document,
  };
}

async function summaryFor(
  ctx: Ctx,
  input: { divisionCode: string; from: string; to: string },
): Promise<SummaryReport> {
  const loaded = await load(ctx, streetScope(ctx, input.divisionCode), input);
  return summaryOf(ctx, loaded);
}

const fileStem = (s: SummaryReport) => `${s.divisionName}书面总结-${s.from}至${s.to}`;

export interface RollupRow {
  divisionCode: string;
  divisionName: string;
  figures: KeyFigures;
  /** The street's summary document, when the dates are a scheduled period. */
  summary: {
    id: string;
    status: SummaryDoc['status'];
    statusLabel: string;
    submittedAt: string | null;
  } | null;
}

export interface Rollup {
  computedAt: string;
  from: string;
  to: string;
  asOf: string;
  period: SummaryPeriod | null;
  labels: typeof keyFigureLabels;
  rows: RollupRow[];
  /** The whole district. */
  total: KeyFigures;
}

export const summaryActions = {
  /** 书面总结 — one street over a period: its figures, changes since the last period, lists. */
  summary: action({
    input: summaryInputSchema,
    roles: reportReaders,
    run: (input, ctx): Promise<SummaryReport> => summaryFor(ctx, input),
  }),

  /** 书面总结（Excel） — the summary as an .xlsx workbook, base64. */
  summaryXlsx: action({
    input: summaryInputSchema,
    roles: reportReaders,
    async run(input, ctx): Promise<{ filename: string; base64: string }> {
      const summary = await summaryFor(ctx, input);
      const buffer = await summaryWorkbook(summary);
      return { filename: `${fileStem(summary)}.xlsx`, base64: buffer.toString('base64') };
    },
  }),

  /** 书面总结（PDF） — a printable Chinese PDF in the file store; answers a 15-minute link. */
  summaryPdf: action({
    input: summaryInputSchema,
    roles: reportReaders,
    async run(input, ctx): Promise<StoredPdf & { filename: string }> {
      const summary = await summaryFor(ctx, input);
      const pdf = await renderSummaryPdf(summary);
      const key = `report/summary/${summary.divisionCode}/${summary.from}_${summary.to}-${ctx.requestId}.pdf`;
      const stored = await storePdf(ctx, 'summary', key, summary.divisionCode, pdf);
      return { ...stored, filename: `${fileStem(summary)}.pdf` };
    },
  }),

  /** 全区汇总 — every street's key figures side by side, and the district's. */
  rollup: action({
    input: districtPeriodInputSchema,
    roles: bureau,
    async run(input, ctx): Promise<Rollup> {
      const loaded = await load(ctx, reportScope(ctx), input);
      const w = loaded.window;
      const period = scheduledPeriodOf(w);
      const docs = period
        ? new Map(
            (
              await ctx.store.collection<SummaryDoc>('summaries').find({ period: period.period })
            ).map((d) => [d.divisionCode, d]),
          )
        : new Map<string, SummaryDoc>();
      const rows: RollupRow[] = [];
      for (const street of streets()) {
        const dashboard = dashboardOf(
          recordsWithin(loaded.records, [street.code]),
          { divisionCode: street.code, rows: [street] },
          w,
          ctx.now().toISOString(),
        );
        const doc = docs.get(street.code);
        rows.push({
          divisionCode: street.code,
          divisionName: street.name,
          figures: keyFiguresOf(dashboard),
          summary: doc
            ? {
                id: doc._id,
                status: doc.status,
                statusLabel: summaryStatuses[doc.status],
                submittedAt: doc.submittedAt,
              }
            : null,
        });
      }
      return {
        computedAt: ctx.now().toISOString(),
        from: w.from,
        to: w.to,
        asOf: w.asOf,
        period,
        labels: keyFigureLabels,
        rows,
        total: keyFiguresOf(dashboardFrom(ctx, loaded)),
      };
    },
  }),
};
