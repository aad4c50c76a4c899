/**
 * 书面总结的报送 — on each due date (6 May, 6 August, 6 December, China time) a draft summary is
 * generated for every street with its figures, and the street office is told; the office adds its
 * narrative and submits; the bureau sees who has not. A street office may open the upcoming
 * period's draft before its due date (openSummary): the same document, which the tick then leaves.
 *
 * Figures, one rule for both: a draft stores the figures as of the moment it was opened (an early
 * draft's thus cover the period so far); nothing refreshes them, at submission or on the due date.
 * What the bureau reads — the summary, its Excel and PDF, the roll-up — derives the figures from
 * the records on every request, as of the end of the period once it has ended.
 */
import * as z from 'zod/mini';
import { chinaDate } from '../../src/domain/certificate';
import { divisionName, lianyunDivisions, type Division } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import {
  dashboardOf,
  dueDateToDraft,
  emptyNarrative,
  keyFiguresOf,
  latestDueDate,
  nextDueDate,
  openSummaryInputSchema,
  recordsWithin,
  submitSummaryInputSchema,
  summariesInputSchema,
  summaryDocId,
  summaryPeriodOf,
  summaryRefInputSchema,
  summaryStatuses,
  windowOf,
  type ReportRecords,
  type SummaryDoc,
  type SummaryPeriod,
} from '../../src/domain/report';
import type { User } from '../../src/domain/role';
import { action, callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { assertInScope, divisionScope, inScope } from '../kit/scope';
import { StoreConflictError, type TransactionScope } from '../kit/store/port';
import { reportReaders, streetScope, streets } from './access';
import { notifySummaryDraft, type NotifyChannel } from './outreach';
import { loadRecords } from './records';

export interface TickResult {
  /** The China date the tick ran on. */
  today: string;
  /** The due date it drafted for, or null when none is due (or past the catch-up days). */
  period: string | null;
  created: string[];
  /** Drafts that were there already (an earlier tick made them). */
  existing: string[];
  channel: NotifyChannel | null;
}

/** The supervisors of a street, who are told of its draft. */
async function supervisorsOf(ctx: Ctx, divisionCode: string): Promise<string[]> {
  const users = await ctx.store.collection<User>('users').find({ divisionCode });
  return users
    .filter((u) => u.roles.includes('supervisor'))
    .map((u) => u._id)
    .sort();
}

/**
 * A street's draft for the period due on `due`: its figures derived from the records as of now
 * (the end of the period once it has ended), an empty narrative. The snapshot is what the draft
 * was opened with; the summary, its Excel and its PDF always derive the figures afresh.
 */
function draftOf(
  ctx: Ctx,
  street: Division,
  due: string,
  records: ReportRecords,
  notified: string[],
): SummaryDoc {
  const p = summaryPeriodOf(due);
  const figures = keyFiguresOf(
    dashboardOf(
      recordsWithin(records, [street.code]),
      { divisionCode: street.code, rows: [street] },
      windowOf(p, ctx.now()),
      ctx.now().toISOString(),
    ),
  );
  return {
    _id: summaryDocId(street.code, due),
    divisionCode: street.code,
    period: due,
    from: p.from,
    to: p.to,
    figures,
    narrative: { ...emptyNarrative },
    status: 'draft',
    generatedAt: ctx.now().toISOString(),
    notified,
    submittedAt: null,
    submittedBy: null,
  };
}

/** Inserts a draft with its audit entry; StoreConflictError when it exists already. */
async function insertDraft(
  tx: TransactionScope,
  ctx: Ctx,
  doc: SummaryDoc,
  early = false,
): Promise<void> {
  await tx.collection<SummaryDoc>('summaries').insert(doc);
  await writeAudit(tx, ctx, {
    action: 'report.summary.draft',
    entity: 'summaries',
    entityId: doc._id,
    detail: {
      divisionCode: doc.divisionCode,
      period: doc.period,
      from: doc.from,
      to: doc.to,
      ...(early ? { early: true } : {}),
    },
  });
}

/**
 * Drafts every street's summary for the period due today (or due within the catch-up days),
 * once: the id comes from the street and the period, so a second tick finds it and does nothing,
 * and the notice is written in the draft's own transaction.
 */
export async function draftDueSummaries(ctx: Ctx): Promise<TickResult> {
  const today = chinaDate(ctx.now());
  const due = dueDateToDraft(today);
  const result: TickResult = { today, period: due, created: [], existing: [], channel: null };
  if (!due) return result;
  const p = summaryPeriodOf(due);
  const docs = ctx.store.collection<SummaryDoc>('summaries');
  const pending = [];
  for (const street of streets()) {
    const id = summaryDocId(street.code, due);
    if (await docs.get(id)) result.existing.push(id);
    else pending.push(street);
  }
  if (pending.length === 0) return result;
  const records = await loadRecords(
    ctx,
    lianyunDivisions.map((d) => d.code),
  );
  for (const street of pending) {
    const doc = draftOf(ctx, street, due, records, await supervisorsOf(ctx, street.code));
    try {
      const channel = await ctx.store.transaction(async (tx) => {
        await insertDraft(tx, ctx, doc);
        return notifySummaryDraft(tx, ctx, {
          summaryId: doc._id,
          divisionCode: street.code,
          period: due,
          label: `${street.name}${p.label}`,
          to: doc.notified,
        });
      });
      result.created.push(doc._id);
      result.channel = channel;
    } catch (error) {
      // Another tick (or the office opening it early) drafted it in between: it exists.
      if (!(error instanceof StoreConflictError)) throw error;
      result.existing.push(doc._id);
    }
  }
  return result;
}

/** A street's summary document as lists show it. */
export type SummaryDocView = SummaryDoc & {
  divisionName: string;
  statusLabel: string;
  label: string;
};

function docView(d: SummaryDoc): SummaryDocView {
  return {
    ...d,
    divisionName: divisionName(lianyunDivisions, d.divisionCode) ?? d.divisionCode,
    statusLabel: summaryStatuses[d.status],
    label: summaryPeriodOf(d.period).label,
  };
}

/** One street's row in the list of a period: its document, or none yet. */
export interface SummaryStatusRow {
  divisionCode: string;
  divisionName: string;
  id: string;
  /** 'missing': no draft was generated (the tick has not run for this period). */
  status: SummaryDoc['status'] | 'missing';
  statusLabel: string;
  generatedAt: string | null;
  submittedAt: string | null;
  submittedBy: string | null;
}

export interface SummariesResult {
  period: SummaryPeriod;
  /** Whether the due date has come. */
  due: boolean;
  /** Whether this is the upcoming period, whose draft a street office may open early. */
  upcoming: boolean;
  rows: SummaryStatusRow[];
  /** 未报送 — the streets (in scope) that have not submitted for the period. */
  notSubmitted: SummaryStatusRow[];
  submitted: number;
  /** Every draft in scope still awaiting its narrative, of any period, oldest first. */
  openDrafts: OpenDraft[];
}

/** A draft not yet submitted, for reminders. */
export interface OpenDraft {
  id: string;
  divisionCode: string;
  period: string;
  label: string;
}

async function readable(ctx: Ctx, id: string): Promise<SummaryDoc> {
  const doc = await ctx.store.collection<SummaryDoc>('summaries').get(id);
  if (!doc) throw new AppError('NOT_FOUND', '没有找到这份总结');
  assertInScope(ctx, doc.divisionCode);
  return doc;
}

export const scheduleActions = {
  /**
   * 定时生成总结草稿 — what the timer runs daily (CloudBase timer trigger; the local runtime's
   * scheduler), never a person. Idempotent.
   */
  tick: action({
    input: z.object({}),
    roles: 'system',
    run: (_input, ctx): Promise<TickResult> => draftDueSummaries(ctx),
  }),

  /**
   * 提前填写 — a street office opens the upcoming period's draft before its due date. The same
   * document the tick would draft (same id), so the tick later finds it and leaves it, narrative
   * and all; opening it twice returns it. The street's other supervisors are told once, in the
   * draft's own transaction (the tick, finding the draft, tells no one); the opener is not.
   */
  openSummary: action({
    input: openSummaryInputSchema,
    roles: reportReaders,
    async run(input, ctx): Promise<SummaryDocView> {
      const street = streets().find((s) => s.code === input.divisionCode);
      if (!street) {
        throw new AppError('INVALID_INPUT', '请选择街道或乡镇', {
          divisionCode: ['书面总结按街道/乡镇报送'],
        });
      }
      const scope = streetScope(ctx, street.code);
      const upcoming = nextDueDate(chinaDate(ctx.now()));
      if (input.period !== upcoming) {
        throw new AppError('INVALID_INPUT', `只能提前填写下一期（${upcoming} 报送）的总结`, {
          period: [`只能提前填写 ${upcoming} 报送的总结`],
        });
      }
      const docs = ctx.store.collection<SummaryDoc>('summaries');
      const id = summaryDocId(street.code, upcoming);
      const existing = await docs.get(id);
      if (existing) return docView(existing);
      const opener = callerOf(ctx).userId;
      const others = (await supervisorsOf(ctx, street.code)).filter((u) => u !== opener);
      const records = await loadRecords(ctx, scope.codes);
      const doc = draftOf(ctx, street, upcoming, records, others);
      try {
        await ctx.store.transaction(async (tx) => {
          await insertDraft(tx, ctx, doc, true);
          if (others.length === 0) return;
          await notifySummaryDraft(tx, ctx, {
            summaryId: doc._id,
            divisionCode: street.code,
            period: upcoming,
            label: `${street.name}${summaryPeriodOf(upcoming).label}`,
            to: others,
            openedBy: opener,
          });
        });
        return docView(doc);
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
        const raced = await docs.get(id);
        if (!raced) throw error;
        return docView(raced);
      }
    },
  }),

  /** 报送总结 — the street's supervisor adds the narrative and submits; once. */
  submitSummary: action({
    input: submitSummaryInputSchema,
    roles: ['supervisor'],
    async run(input, ctx): Promise<SummaryDocView> {
      const doc = await readable(ctx, input.id);
      if (doc.status === 'submitted') {
        throw new AppError(
          'CONFLICT',
          `这份总结已于 ${chinaDate(new Date(doc.submittedAt ?? doc.generatedAt))} 报送`,
        );
      }
      const now = ctx.now().toISOString();
      const by = callerOf(ctx).userId;
      const patch = {
        narrative: input.narrative,
        status: 'submitted' as const,
        submittedAt: now,
        submittedBy: by,
      };
      const updated = await ctx.store.transaction(async (tx) => {
        const current = await tx.collection<SummaryDoc>('summaries').get(doc._id);
        if (!current) throw new AppError('NOT_FOUND', '没有找到这份总结');
        if (current.status === 'submitted') throw new AppError('CONFLICT', '这份总结已经报送');
        await tx.collection<SummaryDoc>('summaries').update(doc._id, patch);
        await writeAudit(tx, ctx, {
          action: 'report.summary.submit',
          entity: 'summaries',
          entityId: doc._id,
          detail: {
            divisionCode: doc.divisionCode,
            period: doc.period,
            narrative: input.narrative,
          },
        });
        return { ...current, ...patch };
      });
      return docView(updated);
    },
  }),

  /** 一份总结 — a street's document for a period (its office, or the bureau). */
  summaryDoc: action({
    input: summaryRefInputSchema,
    roles: reportReaders,
    run: async (input, ctx): Promise<SummaryDocView> => docView(await readable(ctx, input.id)),
  }),

  /**
   * 报送情况 — every street's document for a period (default: the latest due), and who has not
   * submitted. The bureau sees all streets; a street office its own.
   */
  summaries: action({
    input: summariesInputSchema,
    roles: reportReaders,
    async run(input, ctx): Promise<SummariesResult> {
      const today = chinaDate(ctx.now());
      const period = summaryPeriodOf(input.period ?? latestDueDate(today));
      const scope = divisionScope(ctx);
      const docs = new Map(
        (await ctx.store.collection<SummaryDoc>('summaries').find({ period: period.period })).map(
          (d) => [d.divisionCode, d],
        ),
      );
      const rows = streets()
        .filter((s) => inScope(scope, s.code))
        .map((s): SummaryStatusRow => {
          const d = docs.get(s.code);
          return {
            divisionCode: s.code,
            divisionName: s.name,
            id: summaryDocId(s.code, period.period),
            status: d?.status ?? 'missing',
            statusLabel: d ? summaryStatuses[d.status] : '未生成草稿',
            generatedAt: d?.generatedAt ?? null,
            submittedAt: d?.submittedAt ?? null,
            submittedBy: d?.submittedBy ?? null,
          };
        });
      const notSubmitted = rows.filter((r) => r.status !== 'submitted');
      const openDrafts = (
        await ctx.store.collection<SummaryDoc>('summaries').find({ status: 'draft' })
      )
        .filter((d) => inScope(scope, d.divisionCode))
        .sort((a, b) =>
          a.period === b.period ? (a._id < b._id ? -1 : 1) : a.period < b.period ? -1 : 1,
        )
        .map((d): OpenDraft => ({
          id: d._id,
          divisionCode: d.divisionCode,
          period: d.period,
          label: summaryPeriodOf(d.period).label,
        }));
      return {
        period,
        due: today >= period.period,
        upcoming: period.period === nextDueDate(today),
        openDrafts,
        rows,
        notSubmitted,
        submitted: rows.length - notSubmitted.length,
      };
    },
  }),
};
