/**
 * 工作清单 — what a supervisor's division needs from them now, every part derived at call time:
 * subjects due for sampling, overdue rectifications, suspected copied or forged labels, dormant
 * subjects and registrations waiting for review (the last two are the directory's derivations).
 */
import * as z from 'zod/mini';
import { chinaDate } from '../../src/domain/certificate';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import type { Subject } from '../../src/domain/subject';
import {
  samplingSchedule,
  type KeySupervision,
  type Rectification,
} from '../../src/domain/supervision';
import { action, type Ctx } from '../kit/action';
import { divisionScope } from '../kit/scope';
import { verifyFunction, type SuspectLabel } from '../verify/actions';
import { scopeWhere, supervisors } from './access';
import {
  directoryDerivations,
  type Derived,
  type DormantSubject,
  type PendingRegistration,
} from './directory-derivations';
import { lastSampledOnBySubject } from './reads';
import { rectificationView, type RectificationView } from './rectifications';

/** The most records a section lists; `count` is always the full number. */
export const workListItemsPerSection = 200;

export interface WorkListSection<T> {
  count: number;
  items: T[];
}

/** 应抽检 — a subject whose next sample is due. */
export interface SamplingDueItem {
  subjectId: string;
  name: string;
  divisionCode: string;
  divisionName: string | null;
  underKeySupervision: boolean;
  intervalDays: number;
  lastSampledOn: string | null;
  dueOn: string;
  daysOverdue: number;
}

export interface WorkList {
  /** The moment it was derived. */
  at: string;
  /** The division it covers; null for the whole district (admin). */
  divisionCode: string | null;
  dueForSampling: WorkListSection<SamplingDueItem>;
  overdueRectifications: WorkListSection<RectificationView>;
  suspectedCopies: WorkListSection<SuspectLabel>;
  dormantSubjects: WorkListSection<DormantSubject>;
  pendingRegistrations: WorkListSection<PendingRegistration>;
}

function section<T>(items: T[]): WorkListSection<T> {
  return { count: items.length, items: items.slice(0, workListItemsPerSection) };
}

function derived<T>(d: Derived<T>): WorkListSection<T> {
  return { count: d.total, items: d.items };
}

/**
 * Subjects due for sampling: producers in the directory (registered or approved) on their
 * half-yearly schedule, and any subject on the key-supervision list on its monthly one.
 */
async function dueForSampling(ctx: Ctx, scope: string | null): Promise<SamplingDueItem[]> {
  const where = scopeWhere(scope);
  const subjects = await ctx.store
    .collection<Subject>('subjects')
    .find({ ...where, status: ['registered', 'approved'] });
  const onList = new Map(
    (
      await ctx.store
        .collection<KeySupervision>('keySupervision')
        .find({ ...where, status: 'active' })
    ).map((k) => [k.subjectId, k]),
  );
  const lastSampled = await lastSampledOnBySubject(ctx, where);
  const today = chinaDate(ctx.now());
  const due: SamplingDueItem[] = [];
  for (const s of subjects) {
    const key = onList.get(s._id);
    if (!key && s.type === 'buyer') continue;
    const schedule = samplingSchedule(
      {
        anchorOn: chinaDate(new Date(key ? key.since : s.createdAt)),
        lastSampledOn: lastSampled.get(s._id) ?? null,
        underKeySupervision: Boolean(key),
      },
      today,
    );
    if (!schedule.due) continue;
    due.push({
      subjectId: s._id,
      name: s.name,
      divisionCode: s.divisionCode,
      divisionName: divisionName(lianyunDivisions, s.divisionCode) ?? null,
      underKeySupervision: Boolean(key),
      intervalDays: schedule.intervalDays,
      lastSampledOn: schedule.lastSampledOn,
      dueOn: schedule.dueOn,
      daysOverdue: schedule.daysOverdue,
    });
  }
  return due.sort(
    (a, b) =>
      Number(b.underKeySupervision) - Number(a.underKeySupervision) ||
      b.daysOverdue - a.daysOverdue ||
      a.name.localeCompare(b.name, 'zh-Hans-CN'),
  );
}

async function overdueRectifications(ctx: Ctx, scope: string | null): Promise<RectificationView[]> {
  const now = ctx.now();
  const cases = await ctx.store
    .collection<Rectification>('rectifications')
    .find({ ...scopeWhere(scope), status: ['open', 'submitted'] });
  return cases
    .map((c) => rectificationView(c, now))
    .filter((c) => c.overdue)
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.openedAt.localeCompare(b.openedAt));
}

export const workListActions = {
  /** 工作清单 — the supervisor's division (an admin's: the district), derived now. */
  workList: action({
    input: z.object({}),
    roles: supervisors,
    async run(_input, ctx): Promise<WorkList> {
      const scope = divisionScope(ctx);
      const suspects = await verifyFunction.actions.suspects.run(
        { limit: workListItemsPerSection },
        ctx,
      );
      return {
        at: ctx.now().toISOString(),
        divisionCode: scope,
        dueForSampling: section(await dueForSampling(ctx, scope)),
        overdueRectifications: section(await overdueRectifications(ctx, scope)),
        suspectedCopies: section(suspects.items),
        dormantSubjects: derived(
          await directoryDerivations.dormantSubjects(ctx, scope, workListItemsPerSection),
        ),
        pendingRegistrations: derived(
          await directoryDerivations.pendingRegistrations(ctx, scope, workListItemsPerSection),
        ),
      };
    },
  }),
};
