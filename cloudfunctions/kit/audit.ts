import type { Ctx } from './action';
import { newId } from './ids';
import type { TransactionScope } from './store/port';

/** 审计记录 — who did what to which record, and when; written in the same transaction. */
export interface AuditEntry {
  _id: string;
  at: string;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string;
  /** What changed: the new values, or before/after for an edit. */
  detail: Record<string, unknown>;
  requestId: string;
}

export async function writeAudit(
  tx: TransactionScope,
  ctx: Ctx,
  entry: Pick<AuditEntry, 'action' | 'entity' | 'entityId' | 'detail'>,
): Promise<void> {
  await tx.collection<AuditEntry>('audit').insert({
    _id: newId(ctx, 'aud'),
    at: ctx.now().toISOString(),
    actorId: ctx.caller?.userId ?? null,
    requestId: ctx.requestId,
    ...entry,
  });
}
