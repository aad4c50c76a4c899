import { isActiveStatus, subjectChange } from '../../src/domain/directory';
import { AppError } from '../../src/domain/errors';
import type { Subject } from '../../src/domain/subject';
import { callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import type { TransactionScope } from '../kit/store/port';

/**
 * 认领 — a subject a street office imported (no WeChat owner yet) that a registration of the same
 * identity number in the same division takes over, instead of a duplicate beside it. CONFLICT
 * when the caller already operates a subject of that identity.
 */
export async function claimableImport(
  ctx: Ctx,
  fingerprint: string,
  divisionCode: string,
): Promise<Subject | null> {
  const caller = callerOf(ctx);
  const same = await ctx.store
    .collection<Subject>('subjects')
    .find({ identityFingerprint: fingerprint });
  if (same.some((s) => s.ownerId === caller.userId)) {
    throw new AppError('CONFLICT', '您已登记过这个主体（证件号码相同），无需重复登记', {
      identityNumber: ['该证件号码您已登记过'],
    });
  }
  return (
    same.find(
      (s) =>
        s.ownerId === '' &&
        s.source === 'import' &&
        s.divisionCode === divisionCode &&
        isActiveStatus(s.status),
    ) ?? null
  );
}

/**
 * The imported record as the registration leaves it: the producer's own details, the record's
 * id and history, and no review yet (the office's check was of the roster, not of the claimant).
 * It goes back to review — anyone can type a public credit code, so the office
 * confirms the claimant operates it before it issues as an approved subject.
 */
export function claimedSubject(imported: Subject, registered: Subject): Subject {
  return {
    ...registered,
    _id: imported._id,
    createdAt: imported.createdAt,
    source: 'import',
    status: 'registered',
    submittedAt: registered.updatedAt,
  };
}

/** Writes the claim, unless someone claimed the record first. */
export async function writeClaim(
  tx: TransactionScope,
  ctx: Ctx,
  imported: Subject,
  claimed: Subject,
): Promise<void> {
  const subjects = tx.collection<Subject>('subjects');
  const fresh = await subjects.get(imported._id);
  if (!fresh || fresh.ownerId !== '' || !isActiveStatus(fresh.status)) {
    throw new AppError('CONFLICT', '这个主体刚被别人认领或已注销，请联系所在街道核实');
  }
  await subjects.put(claimed);
  await writeAudit(tx, ctx, {
    action: 'subject.claim',
    entity: 'subjects',
    entityId: claimed._id,
    detail: subjectChange(fresh, claimed),
  });
}
