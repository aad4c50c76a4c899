import { reviewNotice } from '../../../src/pages/index/review-note';

const reviewed = '2026-11-02T00:00:00.000Z';

describe('reviewNotice', () => {
  it('tells a producer their registration was returned, with the note', () => {
    expect(
      reviewNotice({
        status: 'registered',
        reviewDecision: 'request_changes',
        reviewNote: '地址请写到村组',
        reviewedAt: reviewed,
      }),
    ).toEqual({ kind: 'changes', note: '地址请写到村组', resubmitted: false });
  });

  it('knows when the edit was sent back for review', () => {
    expect(
      reviewNotice({
        status: 'registered',
        reviewDecision: 'request_changes',
        reviewNote: '地址请写到村组',
        reviewedAt: reviewed,
        submittedAt: '2026-11-03T00:00:00.000Z',
      }),
    ).toMatchObject({ kind: 'changes', resubmitted: true });
  });

  it('tells a rejected producer why', () => {
    expect(
      reviewNotice({ status: 'rejected', reviewDecision: 'reject', reviewNote: '非本区主体' }),
    ).toEqual({ kind: 'rejected', note: '非本区主体' });
  });

  it('says nothing before a review or after approval', () => {
    expect(reviewNotice({ status: 'registered' })).toBeNull();
    expect(reviewNotice({ status: 'approved', reviewDecision: 'approve' })).toBeNull();
    expect(reviewNotice({ status: 'retired' })).toBeNull();
  });
});
