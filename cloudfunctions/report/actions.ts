/**
 * 统计报表 — the district bureau's view: the dashboard and its drill-down, the periodic written
 * summaries (drafted on the due dates, submitted by the streets, rolled up for the district),
 * the assessment of streets and the stations' ranking, and compliance statements. Each concern
 * lives in its own file; this is the table the runtime dispatches on.
 */
import { cloudFunction } from '../kit/action';
import { assessmentActions } from './assessment';
import { complianceActions } from './compliance';
import { dashboardActions } from './dashboard';
import { draftDueSummaries, scheduleActions } from './schedule';
import { statementRoute } from './statement-page';
import { summaryActions } from './summary';

export const reportFunction = {
  ...cloudFunction('report', {
    ...dashboardActions,
    ...summaryActions,
    ...scheduleActions,
    ...assessmentActions,
    ...complianceActions,
  }),
  /** The daily timer drafts the summaries due (6 May, 6 August, 6 December); idempotent. */
  scheduled: draftDueSummaries,
  /** `/s/<id>`: a compliance statement's verification page. */
  pages: [statementRoute],
};

export type { Assessment, AssessmentRow, StationRanking, StationRankRow } from './assessment';
export type { ComplianceResult, StatementResult } from './compliance';
export type { DrillResult } from './dashboard';
export type {
  OpenDraft,
  SummariesResult,
  SummaryDocView,
  SummaryStatusRow,
  TickResult,
} from './schedule';
export type { Rollup, RollupRow, SummaryReport } from './summary';
