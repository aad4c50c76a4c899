/**
 * 整改 — a case opened by a failed sample (or a false certificate found on patrol): the subject
 * states its measures with evidence, a supervisor of its division signs it off (销号) or sends it
 * back (退回). Overdue is derived from the deadline, never stored.
 */
import * as z from 'zod/mini';
import { chinaDate } from '../../src/domain/certificate';
import { AppError } from '../../src/domain/errors';
import type { Subject } from '../../src/domain/subject';
import {
  daysBetween,
  daysOverdue,
  isOverdue,
  rectificationDeadline,
  rectificationReasons,
  rectificationStatusCodes,
  rectificationStatuses,
  rectificationSubmitSchema,
  signOffSchema,
  type Rectification,
  type RectificationReason,
  type Sample,
} from '../../src/domain/supervision';
import { action, callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { assertInScope, divisionScope } from '../kit/scope';
import type { TransactionScope } from '../kit/store/port';
import {
  fieldStaff,
  isFieldStaff,
  ownsSubject,
  scopeWhere,
  staffCovers,
  supervisors,
} from './access';
import { attachPhotos, checkPhotos } from './photos';

/** A case as lists show it: its labels and where it stands against its deadline. */
export type RectificationView = Rectification & {
  statusLabel: string;
  reasonLabel: string;
  overdue: boolean;
  daysOverdue: number;
  /** Days until the deadline (0 on the day itself); null once closed. */
  daysLeft: number | null;
};

export function rectificationView(c: Rectification, now: Date): RectificationView {
  return {
    ...c,
    statusLabel: rectificationStatuses[c.status],
    reasonLabel: rectificationReasons[c.reason],
    overdue: isOverdue(c, now),
    daysOverdue: daysOverdue(c, now),
    daysLeft: c.status === 'closed' ? null : Math.max(0, daysBetween(chinaDate(now), c.deadline)),
  };
}

/** Opens a case inside the transaction that records its cause. */
export async function openCase(
  tx: TransactionScope,
  ctx: Ctx,
  args: {
    id: string;
    subject: Subject;
    reason: RectificationReason;
    sampleId: string | null;
    patrolId: string | null;
    note: string;
  },
): Promise<Rectification> {
  const now = ctx.now();
  const c: Rectification = {
    _id: args.id,
    subjectId: args.subject._id,
    subjectName: args.subject.name,
    divisionCode: args.subject.divisionCode,
    reason: args.reason,
    sampleId: args.sampleId,
    patrolId: args.patrolId,
    note: args.note,
    measures: '',
    deadline: rectificationDeadline(chinaDate(now)),
    evidence: [],
    status: 'open',
    openedAt: now.toISOString(),
    openedBy: callerOf(ctx).userId,
    submittedAt: null,
    submittedBy: null,
    closedAt: null,
    closedBy: null,
    signOffs: [],
  };
  await tx.collection<Rectification>('rectifications').insert(c);
  await writeAudit(tx, ctx, {
    action: 'supervision.rectification.open',
    entity: 'rectifications',
    entityId: c._id,
    detail: {
      subjectId: c.subjectId,
      reason: c.reason,
      sampleId: c.sampleId,
      patrolId: c.patrolId,
      deadline: c.deadline,
    },
  });
  return c;
}

async function getCase(ctx: Ctx, caseId: string): Promise<Rectification> {
  const c = await ctx.store.collection<Rectification>('rectifications').get(caseId);
  if (!c) throw new AppError('NOT_FOUND', '没有找到这项整改');
  return c;
}

/** A case the caller may see or submit to: staff of its division, or the subject's producer. */
async function caseForCaller(ctx: Ctx, caseId: string): Promise<Rectification> {
  const c = await getCase(ctx, caseId);
  if (staffCovers(ctx, c.divisionCode)) return c;
  const subject = await ctx.store.collection<Subject>('subjects').get(c.subjectId);
  if (ownsSubject(ctx, subject)) return c;
  throw new AppError('FORBIDDEN', '这项整改不在您可查看的范围内');
}

/** Re-reads a case inside a transaction and insists on its status. */
async function caseInStatus(
  tx: TransactionScope,
  caseId: string,
  allowed: readonly Rectification['status'][],
  message: string,
): Promise<Rectification> {
  const c = await tx.collection<Rectification>('rectifications').get(caseId);
  if (!c) throw new AppError('NOT_FOUND', '没有找到这项整改');
  if (!allowed.includes(c.status)) throw new AppError('CONFLICT', message);
  return c;
}

export interface RectificationDetail {
  case: RectificationView;
  /** The failed sample that opened it, when a sample did. */
  sample: Sample | null;
}

export const rectificationActions = {
  /**
   * 提交整改 — the measures taken and photos of the evidence, by the subject's producer (or staff
   * of its division on their behalf). May be sent again until signed off.
   */
  submitRectification: action({
    input: rectificationSubmitSchema,
    roles: [...fieldStaff, 'producer'],
    async run(input, ctx): Promise<RectificationView> {
      const c = await caseForCaller(ctx, input.caseId);
      const closedMessage = '这项整改已销号，不能再提交';
      if (c.status === 'closed') throw new AppError('CONFLICT', closedMessage);
      const target = {
        entity: 'rectifications' as const,
        id: c._id,
        subjectId: c.subjectId,
        divisionCode: c.divisionCode,
      };
      await checkPhotos(ctx, input.evidenceFileIds, target, 'evidenceFileIds');
      const now = ctx.now().toISOString();
      const patch = {
        measures: input.measures,
        evidence: input.evidenceFileIds,
        status: 'submitted' as const,
        submittedAt: now,
        submittedBy: callerOf(ctx).userId,
      };
      const updated = await ctx.store.transaction(async (tx) => {
        const current = await caseInStatus(tx, c._id, ['open', 'submitted'], closedMessage);
        await attachPhotos(tx, ctx, input.evidenceFileIds, target, 'evidenceFileIds');
        await tx.collection<Rectification>('rectifications').update(c._id, patch);
        await writeAudit(tx, ctx, {
          action: 'supervision.rectification.submit',
          entity: 'rectifications',
          entityId: c._id,
          detail: { measures: input.measures, evidence: input.evidenceFileIds },
        });
        return { ...current, ...patch };
      });
      return rectificationView(updated, ctx.now());
    },
  }),

  /**
   * 核查销号 — a supervisor of the subject's division closes a submitted case, or sends it back
   * with a reason (optionally with a new deadline). Nobody signs off their own subject's case.
   */
  signOff: action({
    input: signOffSchema,
    roles: supervisors,
    async run(input, ctx): Promise<RectificationView> {
      const c = await getCase(ctx, input.caseId);
      assertInScope(ctx, c.divisionCode);
      const subject = await ctx.store.collection<Subject>('subjects').get(c.subjectId);
      if (ownsSubject(ctx, subject)) {
        throw new AppError('FORBIDDEN', '不能核查自己经营主体的整改');
      }
      const today = chinaDate(ctx.now());
      if (input.deadline !== undefined && input.deadline <= today) {
        throw new AppError('INVALID_INPUT', '新的整改期限应晚于今天', {
          deadline: ['新的整改期限应晚于今天'],
        });
      }
      const notSubmitted =
        c.status === 'closed' ? '这项整改已销号' : '整改措施尚未提交，暂不能核查';
      if (c.status !== 'submitted') throw new AppError('CONFLICT', notSubmitted);
      const now = ctx.now().toISOString();
      const by = callerOf(ctx).userId;
      const updated = await ctx.store.transaction(async (tx) => {
        const current = await caseInStatus(tx, c._id, ['submitted'], notSubmitted);
        const signOffs = [
          ...current.signOffs,
          { decision: input.decision, note: input.note, at: now, by },
        ];
        const patch: Partial<Rectification> =
          input.decision === 'close'
            ? { status: 'closed', closedAt: now, closedBy: by, signOffs }
            : { status: 'open', signOffs, ...(input.deadline ? { deadline: input.deadline } : {}) };
        await tx.collection<Rectification>('rectifications').update(c._id, patch);
        await writeAudit(tx, ctx, {
          action: `supervision.rectification.${input.decision}`,
          entity: 'rectifications',
          entityId: c._id,
          detail: { note: input.note, ...(input.deadline ? { deadline: input.deadline } : {}) },
        });
        return { ...current, ...patch };
      });
      return rectificationView(updated, ctx.now());
    },
  }),

  /**
   * 整改列表 — staff: the cases of their division; producers: the cases of their own subjects.
   * Overdue first, then by deadline.
   */
  rectifications: action({
    input: z.object({
      status: z.optional(z.enum(rectificationStatusCodes, { error: '整改状态不正确' })),
      overdue: z.optional(z.boolean({ error: '请选择是否逾期' })),
      subjectId: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
      limit: z._default(z.int().check(z.gte(1), z.lte(500)), 200),
    }),
    roles: [...fieldStaff, 'producer'],
    async run(input, ctx): Promise<RectificationView[]> {
      const cases = ctx.store.collection<Rectification>('rectifications');
      const found = new Map<string, Rectification>();
      if (isFieldStaff(ctx)) {
        for (const c of await cases.find(scopeWhere(divisionScope(ctx)))) found.set(c._id, c);
      }
      if (callerOf(ctx).roles.includes('producer')) {
        const own = await ctx.store
          .collection<Subject>('subjects')
          .find({ ownerId: callerOf(ctx).userId });
        if (own.length > 0) {
          for (const c of await cases.find({ subjectId: own.map((s) => s._id) })) {
            found.set(c._id, c);
          }
        }
      }
      const now = ctx.now();
      return [...found.values()]
        .map((c) => rectificationView(c, now))
        .filter(
          (c) =>
            (!input.status || c.status === input.status) &&
            (input.overdue === undefined || c.overdue === input.overdue) &&
            (!input.subjectId || c.subjectId === input.subjectId),
        )
        .sort(
          (a, b) =>
            Number(b.overdue) - Number(a.overdue) ||
            a.deadline.localeCompare(b.deadline) ||
            a.openedAt.localeCompare(b.openedAt),
        )
        .slice(0, input.limit);
    },
  }),

  /** 整改详情 — one case with the sample that opened it. */
  rectification: action({
    input: z.object({
      caseId: z.string({ error: '请选择整改事项' }).check(z.minLength(1), z.maxLength(80)),
    }),
    roles: [...fieldStaff, 'producer'],
    async run(input, ctx): Promise<RectificationDetail> {
      const c = await caseForCaller(ctx, input.caseId);
      const sample = c.sampleId
        ? await ctx.store.collection<Sample>('samples').get(c.sampleId)
        : null;
      return { case: rectificationView(c, ctx.now()), sample };
    },
  }),
};
