/**
 * 合并主体 (一人多身份) — folds subjects that are one party into the one kept.
 *
 * Every record that names a merged subject moves to the kept one: certificates (the issuer
 * snapshot on each stays as issued, so a verify scan of an old label shows what it always
 * showed), test records, paper form ranges and serials, patrols, samples, rectifications, market
 * entries; a key-supervision record moves with its subject. The merged subjects are retired
 * first (with `mergedInto`), so they issue nothing more while their records move.
 *
 * A subject may hold thousands of certificates: they move in chunks, one transaction each, that
 * also count the move in the merge document. The merge's id comes from the subjects, so calling
 * again with the same subjects resumes an interrupted merge and a finished one is answered as is.
 */
import type * as z from 'zod/mini';
import {
  isActiveStatus,
  subjectChange,
  subjectSnapshot,
  type mergeInputSchema,
} from '../../src/domain/directory';
import { AppError } from '../../src/domain/errors';
import { subjectStatuses, type Subject } from '../../src/domain/subject';
import { callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { deterministicId } from '../kit/ids';
import { StoreUnavailableError, type CollectionName, type Doc } from '../kit/store/port';
import { subjectInScope } from './scope';

type MergeInput = z.output<typeof mergeInputSchema>;

/**
 * Where records name a subject. A collection added later that refers to subjects belongs here,
 * or a merge leaves its records behind on a retired subject.
 */
export const subjectReferences: readonly { collection: CollectionName; field: string }[] = [
  { collection: 'certificates', field: 'subjectId' },
  { collection: 'testRecords', field: 'subjectId' },
  { collection: 'formRanges', field: 'subjectId' },
  { collection: 'paperSerials', field: 'subjectId' },
  { collection: 'patrols', field: 'subjectId' },
  { collection: 'samples', field: 'subjectId' },
  { collection: 'samples', field: 'marketSubjectId' },
  { collection: 'rectifications', field: 'subjectId' },
  { collection: 'marketEntries', field: 'subjectId' },
  { collection: 'marketEntries', field: 'marketSubjectId' },
];

/** Records moved per transaction (each a read and a write on CloudBase). */
export const mergeChunkSize = 50;

/** How long one call keeps moving before it answers 'moving'. */
export const mergeWorkBudgetMs = 15_000;

/** 合并记录 as stored. */
export interface SubjectMerge {
  _id: string;
  keepId: string;
  mergeIds: string[];
  reason: string;
  status: 'moving' | 'done';
  /** Certificates of all the subjects when the merge began, and of the kept one at the end. */
  certificatesBefore: number;
  certificatesAfter: number | null;
  /** Records moved, by `collection.field`. */
  moved: Record<string, number>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export type MergeResult = Pick<
  SubjectMerge,
  'keepId' | 'mergeIds' | 'status' | 'moved' | 'reason'
> & {
  mergeId: string;
  certificates: { before: number; after: number | null };
  message: string;
};

function resultOf(m: SubjectMerge): MergeResult {
  const moved = Object.values(m.moved).reduce((a, b) => a + b, 0);
  return {
    mergeId: m._id,
    keepId: m.keepId,
    mergeIds: m.mergeIds,
    reason: m.reason,
    status: m.status,
    moved: m.moved,
    certificates: { before: m.certificatesBefore, after: m.certificatesAfter },
    message:
      m.status === 'done'
        ? `已合并：${m.mergeIds.length} 个主体并入，移交记录 ${moved} 条，合格证 ${m.certificatesAfter ?? 0} 张全部保留`
        : `合并进行中：已移交记录 ${moved} 条，请再次提交以继续`,
  };
}

/** Checks the subjects and begins the merge: the document, the retirements, the audit. */
async function begin(ctx: Ctx, input: MergeInput, mergeId: string): Promise<void> {
  const keep = await subjectInScope(ctx, input.keepId, 'keepId');
  if (!isActiveStatus(keep.status)) {
    throw new AppError(
      'CONFLICT',
      `保留的主体${subjectStatuses[keep.status]}，请选择仍在名录中的主体保留`,
      { keepId: ['请选择仍在名录中的主体'] },
    );
  }
  const merged: Subject[] = [];
  for (const [i, id] of input.mergeIds.entries()) {
    const s = await subjectInScope(ctx, id, `mergeIds.${i}`);
    if (s.status === 'retired') {
      throw new AppError(
        'CONFLICT',
        `${s.name}已注销${s.mergedInto ? '（已并入其他主体）' : ''}，不能再合并`,
        { [`mergeIds.${i}`]: ['已注销'] },
      );
    }
    merged.push(s);
  }
  const keyList = ctx.store.collection<Doc & Record<string, unknown>>('keySupervision');
  const keepKey = await keyList.get(keep._id);
  const mergedKeys = (await Promise.all(merged.map((s) => keyList.get(s._id)))).filter(
    (k): k is Doc & Record<string, unknown> => k !== null,
  );
  if (mergedKeys.length > 1 || (keepKey && mergedKeys.length > 0)) {
    throw new AppError(
      'CONFLICT',
      '有两个以上的主体有重点监管记录，请先在重点监管中处理好，再合并',
    );
  }
  const ids = [keep._id, ...merged.map((s) => s._id)];
  const certificatesBefore = await ctx.store.collection('certificates').count({ subjectId: ids });
  // An imported subject has no WeChat owner: the one owner among the merged takes it over.
  const owners = [...new Set(merged.map((s) => s.ownerId).filter((o) => o !== ''))];
  const newOwner = keep.ownerId === '' && owners.length === 1 ? owners[0] : undefined;

  await ctx.store.transaction(async (tx) => {
    const merges = tx.collection<SubjectMerge>('subjectMerges');
    if (await merges.get(mergeId)) return;
    const now = ctx.now().toISOString();
    const subjects = tx.collection<Subject>('subjects');
    await merges.insert({
      _id: mergeId,
      keepId: keep._id,
      mergeIds: merged.map((s) => s._id),
      reason: input.reason,
      status: 'moving',
      certificatesBefore,
      certificatesAfter: null,
      moved: {},
      createdBy: callerOf(ctx).userId,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    });
    for (const s of merged) {
      const fresh = await subjects.get(s._id);
      if (!fresh || fresh.status === 'retired') {
        throw new AppError('CONFLICT', `${s.name}刚被注销或合并，请刷新后再试`);
      }
      const after: Subject = {
        ...fresh,
        status: 'retired',
        retiredAt: now,
        retiredReason: input.reason,
        mergedInto: keep._id,
        updatedAt: now,
      };
      await subjects.put(after);
      await writeAudit(tx, ctx, {
        action: 'subject.merge',
        entity: 'subjects',
        entityId: s._id,
        detail: subjectChange(fresh, after, { reason: input.reason, keepId: keep._id, mergeId }),
      });
    }
    const keepNow = (await subjects.get(keep._id)) ?? keep;
    const keepAfter: Subject = newOwner
      ? { ...keepNow, ownerId: newOwner, updatedAt: now }
      : keepNow;
    if (newOwner) await subjects.put(keepAfter);
    const movedKey = mergedKeys[0];
    if (movedKey) {
      await tx.collection<Doc & Record<string, unknown>>('keySupervision').put({
        ...movedKey,
        _id: keep._id,
        subjectId: keep._id,
        ...('divisionCode' in movedKey ? { divisionCode: keep.divisionCode } : {}),
      });
      await tx.collection('keySupervision').remove(movedKey._id);
    }
    await writeAudit(tx, ctx, {
      action: 'subject.mergeKeep',
      entity: 'subjects',
      entityId: keep._id,
      detail: subjectChange(keepNow, keepAfter, {
        reason: input.reason,
        mergeId,
        merged: merged.map((m) => {
          const { _id, name, identityDisplay, divisionCode, ownerId } = subjectSnapshot(m);
          return { _id, name, identityDisplay, divisionCode, ownerId };
        }),
        keySupervisionFrom: movedKey?._id ?? null,
      }),
    });
  });
}

/** 合并 — begins or resumes a merge and moves records until done or out of time. */
export async function mergeSubjects(ctx: Ctx, input: MergeInput): Promise<MergeResult> {
  try {
    return await runMerge(ctx, input);
  } catch (error) {
    if (error instanceof StoreUnavailableError) {
      throw new AppError(
        'UNAVAILABLE',
        '合并中断：已移交的记录都已保存。请再次提交同样的合并以继续，已移交的不会重复',
      );
    }
    throw error;
  }
}

async function runMerge(ctx: Ctx, input: MergeInput): Promise<MergeResult> {
  const mergeId = deterministicId('mrg', input.keepId, ...[...input.mergeIds].sort());
  const merges = ctx.store.collection<SubjectMerge>('subjectMerges');
  let merge = await merges.get(mergeId);
  if (!merge) {
    await begin(ctx, input, mergeId);
    merge = await merges.get(mergeId);
    if (!merge) throw new Error(`merge ${mergeId} was not recorded`);
  } else {
    // Resuming or asking again: the caller must still cover every subject of it.
    await subjectInScope(ctx, merge.keepId, 'keepId');
    for (const [i, id] of merge.mergeIds.entries()) {
      await subjectInScope(ctx, id, `mergeIds.${i}`);
    }
  }
  if (merge.status === 'done') return resultOf(merge);

  const startedAt = ctx.now().getTime();
  const { keepId, mergeIds } = merge;
  for (const ref of subjectReferences) {
    const key = `${ref.collection}.${ref.field}`;
    for (;;) {
      const docs = await ctx.store
        .collection<Doc & Record<string, unknown>>(ref.collection)
        .find({ [ref.field]: mergeIds }, { limit: mergeChunkSize });
      if (docs.length === 0) break;
      await ctx.store.transaction(async (tx) => {
        const records = tx.collection<Doc & Record<string, unknown>>(ref.collection);
        let moved = 0;
        for (const d of docs) {
          const fresh = await records.get(d._id);
          if (!fresh || !mergeIds.includes(String(fresh[ref.field]))) continue;
          await records.put({ ...fresh, [ref.field]: keepId });
          moved++;
        }
        const m = await tx.collection<SubjectMerge>('subjectMerges').get(mergeId);
        if (!m) throw new Error(`merge ${mergeId} vanished`);
        await tx.collection<SubjectMerge>('subjectMerges').update(mergeId, {
          moved: { ...m.moved, [key]: (m.moved[key] ?? 0) + moved },
          updatedAt: ctx.now().toISOString(),
        });
      });
      if (ctx.now().getTime() - startedAt > mergeWorkBudgetMs) {
        return resultOf((await merges.get(mergeId)) ?? merge);
      }
    }
  }

  const certificates = ctx.store.collection('certificates');
  const left = await certificates.count({ subjectId: mergeIds });
  if (left > 0) throw new Error(`merge ${mergeId}: ${left} certificates were not moved`);
  const after = await certificates.count({ subjectId: keepId });
  await ctx.store.transaction(async (tx) => {
    const m = await tx.collection<SubjectMerge>('subjectMerges').get(mergeId);
    if (!m || m.status === 'done') return;
    const now = ctx.now().toISOString();
    await tx.collection<SubjectMerge>('subjectMerges').update(mergeId, {
      status: 'done',
      certificatesAfter: after,
      finishedAt: now,
      updatedAt: now,
    });
    await writeAudit(tx, ctx, {
      action: 'directory.merge',
      entity: 'subjectMerges',
      entityId: mergeId,
      detail: {
        keepId,
        mergeIds,
        moved: m.moved,
        certificates: { before: m.certificatesBefore, after },
      },
    });
  });
  const done = await merges.get(mergeId);
  if (!done) throw new Error(`merge ${mergeId} vanished`);
  return resultOf(done);
}
