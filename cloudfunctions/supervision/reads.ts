/** Reads several supervision views share. */
import type { Subject } from '../../src/domain/subject';
import type { Sample } from '../../src/domain/supervision';
import type { Ctx } from '../kit/action';
import type { Where } from '../kit/store/port';

/**
 * The date of the latest supervision sample of each subject among the samples matching `where`.
 * Market samples (`source: 'market'`, goods arriving without a certificate) do not count towards
 * a subject's sampling schedule: they test a lot at the market, not the producer.
 */
export async function lastSampledOnBySubject(
  ctx: Pick<Ctx, 'store'>,
  where: Where,
): Promise<Map<string, string>> {
  const samples = await ctx.store
    .collection<Sample>('samples')
    .find({ ...where, source: 'supervision' });
  const last = new Map<string, string>();
  for (const s of samples) {
    const seen = last.get(s.subjectId);
    if (!seen || s.sampledOn > seen) last.set(s.subjectId, s.sampledOn);
  }
  return last;
}

/** Subjects by id, for names in lists (ids not found are left out). */
export async function subjectsById(
  ctx: Pick<Ctx, 'store'>,
  ids: readonly string[],
): Promise<Map<string, Subject>> {
  const out = new Map<string, Subject>();
  const unique = [...new Set(ids)];
  const subjects = ctx.store.collection<Subject>('subjects');
  for (let i = 0; i < unique.length; i += 100) {
    for (const s of await subjects.find({ _id: unique.slice(i, i + 100) })) out.set(s._id, s);
  }
  return out;
}
