import type * as z from 'zod/mini';
import {
  daysSince,
  isPendingReview,
  reviewDecisions,
  staffSubjectView,
  statusAfterReview,
  subjectChange,
  submittedAtOf,
  type reviewInputSchema,
  type StaffSubjectView,
} from '../../src/domain/directory';
import { AppError } from '../../src/domain/errors';
import { subjectStatuses, type Subject } from '../../src/domain/subject';
import type { Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { subjectInScope, subjectsIn } from './scope';

/** 审核 — approve, return for changes (the owner edits and resubmits), or reject. */
export async function reviewSubject(
  ctx: Ctx,
  input: z.output<typeof reviewInputSchema>,
): Promise<StaffSubjectView> {
  const subject = await subjectInScope(ctx, input.subjectId);
  const notPending = (s: Subject) =>
    new AppError('CONFLICT', `该主体${subjectStatuses[s.status]}，不在待审核状态`);
  if (subject.status !== 'registered') throw notPending(subject);
  const reviewed = await ctx.store.transaction(async (tx) => {
    const subjects = tx.collection<Subject>('subjects');
    const fresh = await subjects.get(subject._id);
    if (!fresh) throw new AppError('NOT_FOUND', '没有找到这个主体');
    if (fresh.status !== 'registered') throw notPending(fresh);
    const now = ctx.now().toISOString();
    const { reviewNote: _earlierNote, ...rest } = fresh;
    const after: Subject = {
      ...rest,
      status: statusAfterReview(input.decision),
      reviewDecision: input.decision,
      reviewedAt: now,
      updatedAt: now,
      ...(input.reason ? { reviewNote: input.reason } : {}),
    };
    await subjects.put(after);
    await writeAudit(tx, ctx, {
      action: 'subject.review',
      entity: 'subjects',
      entityId: after._id,
      detail: subjectChange(fresh, after, {
        decision: input.decision,
        decisionLabel: reviewDecisions[input.decision],
        reason: input.reason ?? null,
      }),
    });
    return after;
  });
  return staffSubjectView(reviewed);
}

export interface PendingItem {
  subject: StaffSubjectView;
  submittedAt: string;
  daysWaiting: number;
  /** Resubmitted after 退回修改. */
  resubmitted: boolean;
  /** A registration that took over an office-imported record: check the claimant. */
  claim: boolean;
}

/** 待审核 — registered and not reviewed since last submitted, oldest first. */
export async function pendingReviews(
  ctx: Ctx,
  codes: readonly string[],
  limit: number,
): Promise<{ total: number; items: PendingItem[] }> {
  const now = ctx.now();
  const pending = (await subjectsIn(ctx, codes))
    .filter(isPendingReview)
    .sort((a, b) => submittedAtOf(a).localeCompare(submittedAtOf(b)) || (a._id < b._id ? -1 : 1));
  return {
    total: pending.length,
    items: pending.slice(0, limit).map((s) => ({
      subject: staffSubjectView(s),
      submittedAt: submittedAtOf(s),
      daysWaiting: daysSince(submittedAtOf(s), now),
      resubmitted: s.reviewDecision === 'request_changes',
      claim: s.source === 'import',
    })),
  };
}
