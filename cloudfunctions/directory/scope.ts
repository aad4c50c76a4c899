import { AppError } from '../../src/domain/errors';
import type { Role } from '../../src/domain/role';
import type { Subject } from '../../src/domain/subject';
import type { Ctx } from '../kit/action';
import { assertInScope, listScope } from '../kit/scope';

export { listScope };

/** Staff who may read the directory of their division (admin: the district). */
export const directoryReaders: readonly Role[] = [
  'supervisor',
  'coordinator',
  'enforcement',
  'admin',
];

/** Staff who may change it: review, import, merge, retire. */
export const directoryEditors: readonly Role[] = ['supervisor', 'admin'];

/** The subjects of some divisions. */
export function subjectsIn(ctx: Ctx, codes: readonly string[]): Promise<Subject[]> {
  return ctx.store.collection<Subject>('subjects').find({ divisionCode: codes });
}

/** A subject a staff caller may act on: NOT_FOUND when none, FORBIDDEN outside their area. */
export async function subjectInScope(
  ctx: Ctx,
  subjectId: string,
  field = 'subjectId',
): Promise<Subject> {
  const subject = await ctx.store.collection<Subject>('subjects').get(subjectId);
  if (!subject) {
    throw new AppError('NOT_FOUND', '没有找到这个主体', { [field]: ['没有找到这个主体'] });
  }
  assertInScope(ctx, subject.divisionCode);
  return subject;
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Splits a list for `IN` queries of a bounded size. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
