/**
 * What the supervision function reads from the producer directory (名录): registrations waiting
 * for review and 在册不运行 subjects, both the directory's own derivations (cloudfunctions/
 * directory), and how promptly a division reviews registrations, for the stations' stars.
 *
 * This is the one seam between the two contexts. The directory exports no timeliness figure, so
 * it is derived here from what its reviews leave on each subject (`submittedAt`, `reviewedAt`):
 * only a subject's latest review is on its record, so earlier rounds of 退回修改 go uncounted.
 */
import { chinaDate } from '../../src/domain/certificate';
import { lianyunDivisions } from '../../src/domain/division';
import { isPendingReview, submittedAtOf } from '../../src/domain/directory';
import type { Subject } from '../../src/domain/subject';
import { addDays, registrationReviewDays } from '../../src/domain/supervision';
import type { Ctx } from '../kit/action';
import { dormantSubjects, type DormantItem } from '../directory/dormant';
import { pendingReviews, type PendingItem } from '../directory/review';
import { divisionCodesIn } from './access';

/** 待审核登记: the directory's item, and whether it has waited past the review period. */
export type PendingRegistration = PendingItem & {
  /** Waiting longer than registrationReviewDays. */
  late: boolean;
};

/** 在册不运行, as the directory derives it. */
export type DormantSubject = DormantItem;

/** Some of a derived list, and how many there are in all. */
export interface Derived<T> {
  total: number;
  items: T[];
}

/** Registrations whose review fell due in a window, and how many were reviewed in time. */
export interface ReviewTimeliness {
  due: number;
  onTime: number;
}

export interface DirectoryDerivations {
  pendingRegistrations(
    ctx: Ctx,
    scope: string | null,
    limit: number,
  ): Promise<Derived<PendingRegistration>>;
  dormantSubjects(ctx: Ctx, scope: string | null, limit: number): Promise<Derived<DormantSubject>>;
  /** For one division over [from, to] (China dates, inclusive). */
  reviewTimeliness(
    ctx: Ctx,
    divisionCode: string,
    window: { from: string; to: string },
  ): Promise<ReviewTimeliness>;
}

const dayMs = 86_400_000;
const chinaDay = (iso: string) => chinaDate(new Date(iso));
const codesOf = (scope: string | null) =>
  divisionCodesIn(scope) ?? lianyunDivisions.map((d) => d.code);

export const directoryDerivations: DirectoryDerivations = {
  async pendingRegistrations(ctx, scope, limit) {
    const { total, items } = await pendingReviews(ctx, codesOf(scope), limit);
    return {
      total,
      items: items.map((i) => ({ ...i, late: i.daysWaiting > registrationReviewDays })),
    };
  },

  async dormantSubjects(ctx, scope, limit) {
    const { total, items } = await dormantSubjects(ctx, codesOf(scope), limit);
    return { total, items };
  },

  /**
   * A registration's review falls due `registrationReviewDays` after it was submitted. Counted:
   * those reviewed within the window (on time when within the period), and those still pending
   * whose due day passed within it (late). Only a subject's latest review is on its record.
   */
  async reviewTimeliness(ctx, divisionCode, window) {
    const subjects = await ctx.store.collection<Subject>('subjects').find({ divisionCode });
    const today = chinaDate(ctx.now());
    let due = 0;
    let onTime = 0;
    for (const s of subjects) {
      const submittedAt = submittedAtOf(s);
      const dueOn = addDays(chinaDay(submittedAt), registrationReviewDays);
      if (s.reviewedAt && !isPendingReview(s)) {
        const reviewedOn = chinaDay(s.reviewedAt);
        if (reviewedOn < window.from || reviewedOn > window.to) continue;
        due++;
        if (Date.parse(s.reviewedAt) - Date.parse(submittedAt) <= registrationReviewDays * dayMs) {
          onTime++;
        }
      } else if (
        isPendingReview(s) &&
        dueOn >= window.from &&
        dueOn <= window.to &&
        dueOn < today
      ) {
        due++;
      }
    }
    return { due, onTime };
  },
};
