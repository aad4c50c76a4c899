/**
 * 重点监管 — the list of subjects whose promise was contradicted by sampling or whose
 * certificates were false. A subject goes on it in the same transaction that records the cause,
 * and leaves it in the same transaction that records the passing follow-up sample (its cases all
 * closed before): the stored status never runs ahead of the records.
 */
import * as z from 'zod/mini';
import { chinaDate } from '../../src/domain/certificate';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import type { Subject } from '../../src/domain/subject';
import {
  isOverdue,
  keySupervisionReasons,
  keySupervisionStatuses,
  leavesKeySupervision,
  samplingPolicy,
  samplingSchedule,
  type KeySupervision,
  type KeySupervisionReason,
  type Patrol,
  type Rectification,
  type Sample,
} from '../../src/domain/supervision';
import { action, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { deterministicId } from '../kit/ids';
import { divisionScope } from '../kit/scope';
import type { TransactionScope } from '../kit/store/port';
import { fieldStaff, scopeWhere, subjectInScope } from './access';
import { lastSampledOnBySubject, subjectsById } from './reads';
import { openCase, rectificationView, type RectificationView } from './rectifications';

/**
 * Puts a subject on the list for a new cause, with the case that cause opened. Already on it:
 * the case joins the episode (every case must close before it may leave).
 */
export async function placeOnKeyList(
  tx: TransactionScope,
  ctx: Ctx,
  args: {
    subject: Subject;
    reason: KeySupervisionReason;
    sampleId: string | null;
    patrolId: string | null;
    caseId: string;
  },
): Promise<KeySupervision> {
  const list = tx.collection<KeySupervision>('keySupervision');
  const current = await list.get(args.subject._id);
  if (current?.status === 'active') {
    const caseIds = [...current.caseIds, args.caseId];
    await list.update(current._id, { caseIds });
    await writeAudit(tx, ctx, {
      action: 'supervision.key.extend',
      entity: 'keySupervision',
      entityId: current._id,
      detail: { reason: args.reason, sampleId: args.sampleId, patrolId: args.patrolId, caseIds },
    });
    return { ...current, caseIds };
  }
  const history = current
    ? [
        ...current.history,
        {
          since: current.since,
          reason: current.reason,
          sampleId: current.sampleId,
          patrolId: current.patrolId,
          caseIds: current.caseIds,
          samplingIntervalDays: current.samplingIntervalDays,
          liftedAt: current.liftedAt ?? ctx.now().toISOString(),
          liftedBySampleId: current.liftedBySampleId,
        },
      ]
    : [];
  const placed: KeySupervision = {
    _id: args.subject._id,
    subjectId: args.subject._id,
    divisionCode: args.subject.divisionCode,
    status: 'active',
    since: ctx.now().toISOString(),
    reason: args.reason,
    sampleId: args.sampleId,
    patrolId: args.patrolId,
    caseIds: [args.caseId],
    samplingIntervalDays: samplingPolicy.keyIntervalDays,
    liftedAt: null,
    liftedBySampleId: null,
    history,
  };
  await list.put(placed);
  await writeAudit(tx, ctx, {
    action: 'supervision.key.place',
    entity: 'keySupervision',
    entityId: placed._id,
    detail: {
      reason: placed.reason,
      sampleId: placed.sampleId,
      patrolId: placed.patrolId,
      caseId: args.caseId,
      samplingIntervalDays: placed.samplingIntervalDays,
    },
  });
  return placed;
}

/** A case opened while the subject is on the list joins it; off the list, nothing changes. */
export async function joinActiveEpisode(
  tx: TransactionScope,
  ctx: Ctx,
  subjectId: string,
  caseId: string,
): Promise<KeySupervision | null> {
  const list = tx.collection<KeySupervision>('keySupervision');
  const current = await list.get(subjectId);
  if (current?.status !== 'active') return current;
  const caseIds = [...current.caseIds, caseId];
  await list.update(subjectId, { caseIds });
  await writeAudit(tx, ctx, {
    action: 'supervision.key.extend',
    entity: 'keySupervision',
    entityId: subjectId,
    detail: { caseIds },
  });
  return { ...current, caseIds };
}

/**
 * Lifts key supervision when `sample` is the passing follow-up it waited for; answers the
 * record as it stands after (null when the subject was never on the list).
 */
export async function liftIfFollowUpPassed(
  tx: TransactionScope,
  ctx: Ctx,
  sample: Sample,
): Promise<{ record: KeySupervision | null; lifted: boolean }> {
  const list = tx.collection<KeySupervision>('keySupervision');
  const current = await list.get(sample.subjectId);
  if (current?.status !== 'active') return { record: current, lifted: false };
  const cases: Rectification[] = [];
  for (const id of current.caseIds) {
    const c = await tx.collection<Rectification>('rectifications').get(id);
    if (c) cases.push(c);
  }
  if (!leavesKeySupervision(current, cases, sample)) return { record: current, lifted: false };
  const patch = {
    status: 'lifted' as const,
    liftedAt: ctx.now().toISOString(),
    liftedBySampleId: sample._id,
  };
  await list.update(current._id, patch);
  await writeAudit(tx, ctx, {
    action: 'supervision.key.lift',
    entity: 'keySupervision',
    entityId: current._id,
    detail: { sampleId: sample._id, caseIds: current.caseIds },
  });
  return { record: { ...current, ...patch }, lifted: true };
}

/** One subject on (or once on) the key-supervision list, as the list shows it. */
export type KeyListItem = KeySupervision & {
  subjectName: string;
  divisionName: string | null;
  statusLabel: string;
  reasonLabel: string;
  openCases: number;
  overdueCases: number;
  lastSampledOn: string | null;
  /** 下次抽检: while on the list, the last sample (or the day it went on) plus the interval. */
  nextSamplingDue: string | null;
  samplingDue: boolean;
};

export interface KeyPlacement {
  keySupervision: KeySupervision;
  rectification: RectificationView;
}

export const keySupervisionActions = {
  /**
   * 重点监管名单 — subjects of the caller's division on the list (and, unless filtered, those
   * that have left it), with their cases and when the next sample is due.
   */
  keyList: action({
    input: z.object({
      status: z.optional(z.enum(['active', 'lifted'], { error: '监管状态不正确' })),
    }),
    roles: fieldStaff,
    async run(input, ctx): Promise<KeyListItem[]> {
      const records = (
        await ctx.store
          .collection<KeySupervision>('keySupervision')
          .find(scopeWhere(divisionScope(ctx)))
      ).filter((k) => !input.status || k.status === input.status);
      if (records.length === 0) return [];
      const ids = records.map((k) => k.subjectId);
      const subjects = await subjectsById(ctx, ids);
      const lastSampled = await lastSampledOnBySubject(ctx, { subjectId: ids });
      const caseIds = records.flatMap((k) => k.caseIds);
      const cases = new Map<string, Rectification>();
      for (let i = 0; i < caseIds.length; i += 100) {
        const page = await ctx.store
          .collection<Rectification>('rectifications')
          .find({ _id: caseIds.slice(i, i + 100) });
        for (const c of page) cases.set(c._id, c);
      }
      const now = ctx.now();
      const today = chinaDate(now);
      return records
        .map((k): KeyListItem => {
          const own = k.caseIds.map((id) => cases.get(id)).filter((c) => c !== undefined);
          const last = lastSampled.get(k.subjectId) ?? null;
          const schedule =
            k.status === 'active'
              ? samplingSchedule(
                  {
                    anchorOn: chinaDate(new Date(k.since)),
                    lastSampledOn: last,
                    underKeySupervision: true,
                  },
                  today,
                )
              : null;
          return {
            ...k,
            subjectName: subjects.get(k.subjectId)?.name ?? '',
            divisionName: divisionName(lianyunDivisions, k.divisionCode) ?? null,
            statusLabel: keySupervisionStatuses[k.status],
            reasonLabel: keySupervisionReasons[k.reason],
            openCases: own.filter((c) => c.status !== 'closed').length,
            overdueCases: own.filter((c) => isOverdue(c, now)).length,
            lastSampledOn: last,
            nextSamplingDue: schedule?.dueOn ?? null,
            samplingDue: schedule?.due ?? false,
          };
        })
        .sort(
          (a, b) =>
            Number(b.status === 'active') - Number(a.status === 'active') ||
            (a.nextSamplingDue ?? '').localeCompare(b.nextSamplingDue ?? '') ||
            b.since.localeCompare(a.since),
        );
    },
  }),

  /**
   * 虚假开具合格证 — a supervisor or enforcement officer who found false certificates on a patrol
   * puts the subject on the list; a rectification case opens with it. Once per patrol.
   */
  placeOnKeySupervision: action({
    input: z.object({
      subjectId: z.string({ error: '请选择主体' }).check(z.minLength(1), z.maxLength(80)),
      patrolId: z.string({ error: '请选择巡查记录' }).check(z.minLength(1), z.maxLength(80)),
      note: z
        .string({ error: '请写明虚假开具的情况' })
        .check(
          z.trim(),
          z.minLength(4, { error: '请写明虚假开具的情况' }),
          z.maxLength(500, { error: '情况说明最多 500 个字' }),
        ),
    }),
    roles: ['supervisor', 'enforcement', 'admin'],
    async run(input, ctx): Promise<KeyPlacement> {
      const subject = await subjectInScope(ctx, input.subjectId);
      const patrol = await ctx.store.collection<Patrol>('patrols').get(input.patrolId);
      if (!patrol || patrol.subjectId !== subject._id) {
        throw new AppError('INVALID_INPUT', '巡查记录不正确', {
          patrolId: ['没有找到该主体的这次巡查记录'],
        });
      }
      const caseId = deterministicId('rec', 'patrol', patrol._id);
      if (await ctx.store.collection<Rectification>('rectifications').get(caseId)) {
        throw new AppError('CONFLICT', '这次巡查发现的问题已列入重点监管');
      }
      return ctx.store.transaction(async (tx) => {
        const rectification = await openCase(tx, ctx, {
          id: caseId,
          subject,
          reason: 'false_certificate',
          sampleId: null,
          patrolId: patrol._id,
          note: input.note,
        });
        const keySupervision = await placeOnKeyList(tx, ctx, {
          subject,
          reason: 'false_certificate',
          sampleId: null,
          patrolId: patrol._id,
          caseId,
        });
        return { keySupervision, rectification: rectificationView(rectification, ctx.now()) };
      });
    },
  }),
};
