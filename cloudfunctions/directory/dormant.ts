/**
 * 在册不运行 — registered but not operating, derived from the certificates each time it is asked
 * (never stored as a flag that would drift); only a supervisor's confirmation is kept.
 */
import type * as z from 'zod/mini';
import {
  addDays,
  daysSince,
  defaultDormancyPolicy,
  dormancyOf,
  dormancyPolicy,
  formatSeason,
  inSeason,
  isActiveStatus,
  staffSubjectView,
  subjectChange,
  type confirmDormantInputSchema,
  type Dormancy,
  type DormancyPolicy,
  type StaffSubjectView,
} from '../../src/domain/directory';
import type { Certificate } from '../../src/domain/certificate';
import { AppError } from '../../src/domain/errors';
import { subjectStatuses, type Subject } from '../../src/domain/subject';
import { callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { chunksOf, mapLimited, subjectInScope, subjectsIn } from './scope';

/** 核实记录 — a supervisor's latest confirmation about one subject (`_id` = subject id). */
export interface DormancyCheck {
  _id: string;
  decision: 'keep' | 'retire';
  reason: string;
  /** A 'keep' holds the subject off the list until then. */
  keptUntil: string | null;
  lastIssuedAt: string | null;
  confirmedAt: string;
  confirmedBy: string;
}

export interface DormantItem {
  subject: StaffSubjectView;
  lastIssuedAt: string | null;
  idleSince: string;
  idleDays: number;
  seasonLabel: string;
}

export function dormancyPolicyOf(ctx: Ctx): DormancyPolicy {
  return ctx.config.dormantAfterDays
    ? dormancyPolicy(ctx.config.dormantAfterDays)
    : defaultDormancyPolicy;
}

/** When the subject last issued a certificate, or null. */
export async function lastIssuedAt(ctx: Ctx, subjectId: string): Promise<string | null> {
  const [last] = await ctx.store
    .collection<Certificate>('certificates')
    .find({ subjectId }, { orderBy: { field: 'issuedAt', direction: 'desc' }, limit: 1 });
  return last?.issuedAt ?? null;
}

async function checksOf(ctx: Ctx, ids: readonly string[]): Promise<Map<string, DormancyCheck>> {
  const found = new Map<string, DormancyCheck>();
  const checks = ctx.store.collection<DormancyCheck>('dormancyChecks');
  for (const part of chunksOf(ids, 100)) {
    for (const c of await checks.find({ _id: part })) found.set(c._id, c);
  }
  return found;
}

/** The dormant subjects of some divisions, longest idle first. */
export async function dormantSubjects(
  ctx: Ctx,
  codes: readonly string[],
  limit: number,
): Promise<{ afterDays: number; total: number; items: DormantItem[] }> {
  const now = ctx.now();
  const policy = dormancyPolicyOf(ctx);
  // Cheap filters first: only an active subject, out of season and in the directory longer
  // than the period can be dormant, so only those cost a certificate query.
  const candidates = (await subjectsIn(ctx, codes)).filter(
    (s) =>
      isActiveStatus(s.status) &&
      !inSeason(s.seasonMonths, now) &&
      daysSince(s.createdAt, now) >= policy.afterDays,
  );
  const checks = await checksOf(
    ctx,
    candidates.map((s) => s._id),
  );
  const judged = await mapLimited(candidates, 8, async (s) => {
    const keptUntil = checks.get(s._id)?.keptUntil ?? null;
    if (keptUntil && now.toISOString() < keptUntil) return null;
    const last = await lastIssuedAt(ctx, s._id);
    const d = dormancyOf(s, { lastIssuedAt: last, keptUntil }, now, policy);
    return d.dormant ? { s, d, last } : null;
  });
  const items = judged
    .filter((j): j is { s: Subject; d: Dormancy; last: string | null } => j !== null)
    .sort((a, b) => b.d.idleDays - a.d.idleDays || (a.s._id < b.s._id ? -1 : 1))
    .map(({ s, d, last }) => ({
      subject: staffSubjectView(s),
      lastIssuedAt: last,
      idleSince: d.idleSince,
      idleDays: d.idleDays,
      seasonLabel: formatSeason(s.seasonMonths ?? []),
    }));
  return { afterDays: policy.afterDays, total: items.length, items: items.slice(0, limit) };
}

/** Why a subject is not dormant now, for the refusal. */
function notDormant(s: Subject, d: Dormancy, keptUntil: string | null): string {
  if (!isActiveStatus(s.status)) return `该主体${subjectStatuses[s.status]}，不在名录的在营主体中`;
  if (d.kept) return `已确认保留，${(keptUntil ?? '').slice(0, 10)} 前不再列入在册不运行`;
  if (d.inSeason) return '现在是该主体申报的生产季节，不属于在册不运行';
  return `该主体 ${d.idleDays} 天内开具过合格证或新近登记，不属于在册不运行`;
}

/** 核实在册不运行 — keep (still operating: off the list for a period) or retire. */
export async function confirmDormant(
  ctx: Ctx,
  input: z.output<typeof confirmDormantInputSchema>,
): Promise<{ subject: StaffSubjectView; decision: 'keep' | 'retire'; keptUntil: string | null }> {
  const subject = await subjectInScope(ctx, input.subjectId);
  const now = ctx.now();
  const policy = dormancyPolicyOf(ctx);
  const earlier = await ctx.store.collection<DormancyCheck>('dormancyChecks').get(subject._id);
  const last = await lastIssuedAt(ctx, subject._id);
  const keptUntilBefore = earlier?.keptUntil ?? null;
  const d = dormancyOf(subject, { lastIssuedAt: last, keptUntil: keptUntilBefore }, now, policy);
  if (!d.dormant) throw new AppError('CONFLICT', notDormant(subject, d, keptUntilBefore));

  const at = now.toISOString();
  const keptUntil = input.decision === 'keep' ? addDays(now, policy.afterDays) : null;
  const check: DormancyCheck = {
    _id: subject._id,
    decision: input.decision,
    reason: input.reason,
    keptUntil,
    lastIssuedAt: last,
    confirmedAt: at,
    confirmedBy: callerOf(ctx).userId,
  };
  const facts = { reason: input.reason, lastIssuedAt: last, idleDays: d.idleDays };
  const after = await ctx.store.transaction(async (tx) => {
    const subjects = tx.collection<Subject>('subjects');
    const fresh = await subjects.get(subject._id);
    if (!fresh || fresh.updatedAt !== subject.updatedAt) {
      throw new AppError('CONFLICT', '主体信息刚有变化，请刷新后再核实');
    }
    await tx.collection<DormancyCheck>('dormancyChecks').put(check);
    if (input.decision === 'keep') {
      await writeAudit(tx, ctx, {
        action: 'subject.dormantKeep',
        entity: 'subjects',
        entityId: fresh._id,
        detail: { ...facts, keptUntil },
      });
      return fresh;
    }
    const retired: Subject = {
      ...fresh,
      status: 'retired',
      retiredAt: at,
      retiredReason: input.reason,
      updatedAt: at,
    };
    await subjects.put(retired);
    await writeAudit(tx, ctx, {
      action: 'subject.dormantRetire',
      entity: 'subjects',
      entityId: fresh._id,
      detail: subjectChange(fresh, retired, facts),
    });
    return retired;
  });
  return { subject: staffSubjectView(after), decision: input.decision, keptUntil };
}
