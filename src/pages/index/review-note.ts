import type { Subject } from '@/domain/subject';

/** What the home page tells a producer about the last review of their subject. */
export type ReviewNotice =
  { kind: 'changes'; note: string; resubmitted: boolean } | { kind: 'rejected'; note: string };

/**
 * 审核意见 for the producer: a subject returned for changes (退回修改, still registered; once
 * edited it waits for review again) or rejected (不予通过). Null when there is nothing to say.
 */
export function reviewNotice(
  s: Pick<Subject, 'status' | 'reviewDecision' | 'reviewNote' | 'reviewedAt' | 'submittedAt'>,
): ReviewNotice | null {
  const note = s.reviewNote ?? '';
  if (s.status === 'rejected') return { kind: 'rejected', note };
  if (s.status === 'registered' && s.reviewDecision === 'request_changes') {
    const resubmitted = Boolean(s.submittedAt && s.reviewedAt && s.submittedAt > s.reviewedAt);
    return { kind: 'changes', note, resubmitted };
  }
  return null;
}
