import { subjectHistoryActions } from '../../src/domain/directory';
import { AppError } from '../../src/domain/errors';
import { hasAnyRole } from '../../src/domain/role';
import type { Subject } from '../../src/domain/subject';
import { callerOf, type Ctx } from '../kit/action';
import type { AuditEntry } from '../kit/audit';
import { assertInScope } from '../kit/scope';
import { directoryReaders } from './scope';

export interface HistoryEntry {
  at: string;
  action: string;
  actionLabel: string;
  /** Who: the subject's operator, staff, or the system (an import). */
  by: 'owner' | 'staff';
  /** The staff member's user id: shown to staff only. */
  actorId: string | null;
  /** What changed: `before`/`after` snapshots and `changed` fields, a reason where there is one. */
  detail: Record<string, unknown>;
}

/**
 * 变更记录 — every change to a subject, oldest first: for its operator, and for staff whose area
 * covers it. Another producer gets NOT_FOUND, as for any subject not theirs.
 */
export async function subjectHistory(ctx: Ctx, subjectId: string): Promise<HistoryEntry[]> {
  const caller = callerOf(ctx);
  const subject = await ctx.store.collection<Subject>('subjects').get(subjectId);
  if (!subject) throw new AppError('NOT_FOUND', '没有找到这个主体');
  const isOwner = subject.ownerId !== '' && subject.ownerId === caller.userId;
  if (!isOwner) {
    if (!hasAnyRole(caller.roles, directoryReaders)) {
      throw new AppError('NOT_FOUND', '没有找到这个主体');
    }
    assertInScope(ctx, subject.divisionCode);
  }
  const entries = await ctx.store
    .collection<AuditEntry>('audit')
    .find({ entityId: subjectId }, { orderBy: { field: 'at', direction: 'asc' } });
  return entries
    .filter((e) => e.entity === 'subjects')
    .map((e) => {
      // A registration's entry holds the subject as registered: show it as the first "after".
      const detail = 'after' in e.detail ? e.detail : { before: null, after: e.detail };
      const byOwner = e.actorId !== null && e.actorId === subject.ownerId;
      return {
        at: e.at,
        action: e.action,
        actionLabel: subjectHistoryActions[e.action] ?? e.action,
        by: byOwner ? 'owner' : 'staff',
        actorId: isOwner && !byOwner ? null : e.actorId,
        detail,
      };
    });
}
