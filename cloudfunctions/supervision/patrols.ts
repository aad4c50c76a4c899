/**
 * 巡查 — a visit to a producer: who went, whether certificates are being issued, the labels
 * checked on site (each verified as a supervisor's scan, its verdict kept), findings and photos.
 */
import * as z from 'zod/mini';
import { chinaDate } from '../../src/domain/certificate';
import { AppError } from '../../src/domain/errors';
import {
  isCalendarDate,
  isProblemCheck,
  labelCheckOf,
  patrolInputSchema,
  type LabelCheck,
  type Patrol,
} from '../../src/domain/supervision';
import { action, callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { deterministicId, newId } from '../kit/ids';
import { divisionScope } from '../kit/scope';
import { lookupCertificate } from '../verify/actions';
import { fieldStaff, scopeWhere, subjectInScope } from './access';
import { attachPhotos, checkPhotos, type PhotoTarget } from './photos';

/** A patrol with its on-site checks counted. */
export type PatrolView = Patrol & {
  summary: {
    checked: number;
    valid: number;
    revoked: number;
    notFound: number;
    suspicious: number;
    copySuspected: number;
    /** Checks that need follow-up: anything but a valid, unsuspected label. */
    problems: number;
  };
};

export function patrolView(p: Patrol): PatrolView {
  const count = (f: (c: LabelCheck) => boolean) => p.checks.filter(f).length;
  return {
    ...p,
    summary: {
      checked: p.checks.length,
      valid: count((c) => c.verdict === 'valid'),
      revoked: count((c) => c.verdict === 'revoked'),
      notFound: count((c) => c.verdict === 'not_found'),
      suspicious: count((c) => c.verdict === 'suspicious'),
      copySuspected: count((c) => c.copySuspected),
      problems: count(isProblemCheck),
    },
  };
}

const optionalDate = (label: string) =>
  z.optional(
    z
      .string({ error: `${label}格式应为 2026-11-29` })
      .check(z.refine(isCalendarDate, { error: `${label}格式应为 2026-11-29` })),
  );

/** Inclusive date filters shared by the lists. */
export const dateRangeFields = {
  from: optionalDate('开始日期'),
  to: optionalDate('结束日期'),
};

export function withinDates(date: string, range: { from?: string; to?: string }): boolean {
  return (!range.from || date >= range.from) && (!range.to || date <= range.to);
}

async function recordPatrol(ctx: Ctx, input: z.output<typeof patrolInputSchema>) {
  const subject = await subjectInScope(ctx, input.subjectId);
  if (input.date > chinaDate(ctx.now())) {
    throw new AppError('INVALID_INPUT', '巡查日期不能晚于今天', { date: ['巡查日期不能晚于今天'] });
  }
  const patrols = ctx.store.collection<Patrol>('patrols');
  const userId = callerOf(ctx).userId;
  const id = input.requestId ? deterministicId('pat', userId, input.requestId) : newId(ctx, 'pat');
  if (input.requestId) {
    const earlier = await patrols.get(id);
    if (earlier) return patrolView(earlier);
  }
  const target: PhotoTarget = {
    entity: 'patrols',
    id,
    subjectId: subject._id,
    divisionCode: subject.divisionCode,
  };
  await checkPhotos(ctx, input.photoFileIds, target, 'photoFileIds');

  // Each label is verified as any supervisor's scan is: the scan is logged, forgeries show.
  const checks: LabelCheck[] = [];
  for (const scanned of [...new Set(input.scanned)]) {
    const result = await lookupCertificate(ctx, scanned);
    checks.push(labelCheckOf(scanned, result, subject._id));
  }
  const patrol: Patrol = {
    _id: id,
    subjectId: subject._id,
    subjectName: subject.name,
    divisionCode: subject.divisionCode,
    date: input.date,
    staffNames: input.staffNames,
    issuingCertificates: input.issuingCertificates,
    checks,
    findings: input.findings,
    photoFileIds: input.photoFileIds,
    by: userId,
    at: ctx.now().toISOString(),
  };
  await ctx.store.transaction(async (tx) => {
    await tx.collection<Patrol>('patrols').insert(patrol);
    await attachPhotos(tx, ctx, input.photoFileIds, target, 'photoFileIds');
    await writeAudit(tx, ctx, {
      action: 'supervision.patrol',
      entity: 'patrols',
      entityId: patrol._id,
      detail: {
        subjectId: patrol.subjectId,
        date: patrol.date,
        issuingCertificates: patrol.issuingCertificates,
        checks: checks.map((c) => ({ label: c.label, verdict: c.verdict })),
        photos: patrol.photoFileIds.length,
      },
    });
  });
  return patrolView(patrol);
}

export const patrolActions = {
  /** 巡查记录 — a visit to a subject in the caller's division, with on-site label checks. */
  recordPatrol: action({
    input: patrolInputSchema,
    roles: fieldStaff,
    run: (input, ctx): Promise<PatrolView> => recordPatrol(ctx, input),
  }),

  /** 巡查记录列表 — the caller's division (or one subject in it), newest first. */
  patrols: action({
    input: z.object({
      subjectId: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
      ...dateRangeFields,
      limit: z._default(z.int().check(z.gte(1), z.lte(500)), 100),
    }),
    roles: fieldStaff,
    async run(input, ctx): Promise<PatrolView[]> {
      const where = input.subjectId
        ? { subjectId: (await subjectInScope(ctx, input.subjectId))._id }
        : scopeWhere(divisionScope(ctx));
      const found = await ctx.store.collection<Patrol>('patrols').find(where);
      return found
        .filter((p) => withinDates(p.date, input))
        .sort((a, b) => b.date.localeCompare(a.date) || b.at.localeCompare(a.at))
        .slice(0, input.limit)
        .map(patrolView);
    },
  }),
};
