/**
 * The report function's client (统计报表): the dashboard and its drill-down, the periodic
 * summaries, the assessment and station ranking, and compliance statements. Apart from
 * api.ts so the bureau's calls live with the bureau's pages.
 */
import type {
  Assessment,
  ComplianceResult,
  DrillResult,
  Rollup,
  StationRanking,
  StatementResult,
  SummariesResult,
  SummaryDocView,
} from '../../cloudfunctions/report/actions';
import type { StoredPdf } from '../../cloudfunctions/report/files';
import type { Dashboard, DrillFigure, DrillParams, Narrative } from '../domain/report';
import { call } from './transport';

export type {
  Assessment,
  ComplianceResult,
  Dashboard,
  DrillResult,
  Rollup,
  StationRanking,
  StatementResult,
  SummariesResult,
  SummaryDocView,
};

/** A period (YYYY-MM-DD, China time) and optionally one division inside the caller's area. */
export interface ReportPeriod {
  divisionCode?: string;
  from?: string;
  to?: string;
}

/** One street's summary over a period. */
export interface StreetPeriod {
  divisionCode: string;
  from: string;
  to: string;
}

export interface ComplianceQuery {
  subjectId: string;
  from: string;
  to: string;
}

const report = <T>(action: string, input: unknown = {}) => call<T>('report', action, input);

export const reportApi = {
  dashboard: (input: ReportPeriod = {}) => report<Dashboard>('dashboard', input),
  drill: (input: { figure: DrillFigure; params: DrillParams; skip?: number; limit?: number }) =>
    report<DrillResult>('drill', input),
  /** 报送情况 of a period named by its due date (default: the latest due). */
  summaries: (period?: string) => report<SummariesResult>('summaries', period ? { period } : {}),
  summaryDoc: (id: string) => report<SummaryDocView>('summaryDoc', { id }),
  /** 提前填写: opens a street's draft for the upcoming period (idempotent). */
  openSummary: (divisionCode: string, period: string) =>
    report<SummaryDocView>('openSummary', { divisionCode, period }),
  submitSummary: (id: string, narrative: Narrative) =>
    report<SummaryDocView>('submitSummary', { id, narrative }),
  summaryXlsx: (input: StreetPeriod) =>
    report<{ filename: string; base64: string }>('summaryXlsx', input),
  summaryPdf: (input: StreetPeriod) =>
    report<StoredPdf & { filename: string }>('summaryPdf', input),
  rollup: (input: { from: string; to: string }) => report<Rollup>('rollup', input),
  assessment: (input: { from: string; to: string }) => report<Assessment>('assessment', input),
  stationRanking: () => report<StationRanking>('stationRanking'),
  compliance: (input: ComplianceQuery) => report<ComplianceResult>('compliance', input),
  complianceStatement: (input: ComplianceQuery) =>
    report<StatementResult>('complianceStatement', input),
};
