/**
 * 名册导入 — a street office's roster (.xlsx) into the directory.
 *
 * Every row is checked before anything is written: the registration schema a producer's own
 * registration passes, the office's area, the same identity twice in the file or already in the
 * directory. One bad row and nothing is imported; the answer lists every bad row.
 *
 * Writing N subjects is N documents (and N audit entries). CloudBase transactions are meant for
 * small sets and a call has a deadline, so the rows are written in chunks of `importChunkSize`,
 * each chunk one transaction that also advances the batch document's `written`. The batch (keyed
 * by the caller and the client's `importId`) and the subjects' ids (batch + identity) are
 * deterministic: a call that stops part-way — a failure, or the time budget — is resumed by
 * calling again with the same file and `importId`, and nothing is written twice.
 */
import { createHash } from 'node:crypto';
import type * as z from 'zod/mini';
import {
  identityKeyOf,
  importHeaderOf,
  registrationFromRow,
  subjectChange,
  isActiveStatus,
  type importInputSchema,
  type ImportCellError,
  type ImportRowError,
  type ValidRegistration,
} from '../../src/domain/directory';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import { identityDisplayFor, subjectStatuses, type Subject } from '../../src/domain/subject';
import { callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { deterministicId, identityFingerprint } from '../kit/ids';
import { divisionScope, inScope } from '../kit/scope';
import { StoreConflictError, StoreUnavailableError } from '../kit/store/port';
import { chunksOf } from './scope';
import { readRoster, type Roster } from './workbook';

type ImportInput = z.output<typeof importInputSchema>;

/** Subjects written per transaction (each with its audit entry, plus the batch's progress). */
export const importChunkSize = 25;

/** How long one call keeps writing before it answers 'in_progress' (CloudBase call deadlines). */
export const importWorkBudgetMs = 15_000;

/** 导入批次 as stored. */
export interface ImportBatch {
  _id: string;
  importId: string;
  /** sha256 of the file: a retry must bring the same file. */
  fileHash: string;
  fileName: string | null;
  status: 'writing' | 'done';
  total: number;
  written: number;
  divisionCodes: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface ImportReport {
  /**
   * dry_run: checked only; rejected: bad rows, nothing imported; in_progress: part written, call
   * again with the same file and importId; imported: every row is in the directory.
   */
  outcome: 'dry_run' | 'rejected' | 'in_progress' | 'imported';
  importId: string | null;
  /** Data rows read (blank and example rows aside). */
  rows: number;
  valid: number;
  invalid: number;
  /** Subjects of this import in the directory so far. */
  imported: number;
  /** Every bad row, in file order. */
  errors: ImportRowError[];
  /** Template example rows left in the file, skipped. */
  exampleRows: number[];
  /** Good rows per street or township. */
  byDivision: { divisionCode: string; divisionName: string; rows: number }[];
  /** What happened, in a sentence for the user. */
  message: string;
}

interface PlannedRow {
  row: number;
  registration: ValidRegistration;
  fingerprint: string;
}

const batchIdOf = (userId: string, importId: string) => deterministicId('imp', userId, importId);
const importedSubjectId = (batchId: string, fingerprint: string) =>
  deterministicId('sub', 'import', batchId, fingerprint);

function decodeFile(base64: string): Buffer {
  const body = base64.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) {
    throw new AppError('INVALID_INPUT', '文件内容不是 base64', { base64: ['文件内容不是 base64'] });
  }
  return Buffer.from(body, 'base64');
}

/** Checks every row; the good ones come back planned, the bad ones as errors. */
async function checkRows(
  ctx: Ctx,
  roster: Roster,
  batchId: string | null,
): Promise<{ planned: PlannedRow[]; errors: ImportRowError[] }> {
  const scope = divisionScope(ctx);
  const scopeName = scope ? (divisionName(lianyunDivisions, scope) ?? scope) : '';
  const rowErrors = new Map<number, ImportCellError[]>();
  const fail = (row: number, error: ImportCellError) => {
    const list = rowErrors.get(row) ?? [];
    list.push(error);
    rowErrors.set(row, list);
  };
  const seen = new Map<string, number>();
  const candidates: PlannedRow[] = [];
  for (const r of roster.rows) {
    for (const p of r.problems) fail(r.row, p);
    const parsed = registrationFromRow(r.cells);
    if (!parsed.ok) {
      for (const e of parsed.errors) fail(r.row, e);
      continue;
    }
    const reg = parsed.registration;
    if (!inScope(scope, reg.divisionCode)) {
      fail(r.row, {
        column: importHeaderOf('divisionCode'),
        message: `${divisionName(lianyunDivisions, reg.divisionCode) ?? reg.divisionCode}不在您负责的${scopeName}，不能导入`,
      });
    }
    const key = identityKeyOf(reg);
    const first = seen.get(key);
    if (first !== undefined) {
      fail(r.row, {
        column: importHeaderOf('identityNumber'),
        message: `与第 ${first} 行的证件号码重复`,
      });
      continue;
    }
    seen.set(key, r.row);
    const fingerprint = identityFingerprint(
      ctx.config.identitySecret,
      reg.identityKind,
      reg.identityNumber,
    );
    candidates.push({ row: r.row, registration: reg, fingerprint });
  }

  // Already in the directory: an active subject with the same identity (this batch's own
  // subjects, from an interrupted earlier call, are not duplicates of themselves).
  const subjects = ctx.store.collection<Subject>('subjects');
  const existing = new Map<string, Subject>();
  for (const part of chunksOf(
    candidates.map((c) => c.fingerprint),
    100,
  )) {
    for (const s of await subjects.find({ identityFingerprint: part })) {
      if (!isActiveStatus(s.status)) continue;
      if (batchId && s._id === importedSubjectId(batchId, s.identityFingerprint)) continue;
      existing.set(s.identityFingerprint, s);
    }
  }
  for (const c of candidates) {
    const s = existing.get(c.fingerprint);
    if (!s) continue;
    const where = divisionName(lianyunDivisions, s.divisionCode) ?? s.divisionCode;
    fail(c.row, {
      column: importHeaderOf('identityNumber'),
      message: inScope(scope, s.divisionCode)
        ? `名录中已有该证件号码的主体：${s.name}（${where}，${subjectStatuses[s.status]}），请删除此行`
        : `名录中已有该证件号码的主体（在${where}），请删除此行`,
    });
  }

  const names = new Map(roster.rows.map((r) => [r.row, r.cells.name?.trim() || null]));
  const errors = [...rowErrors.entries()]
    .sort(([a], [b]) => a - b)
    .map(([row, list]) => ({ row, name: names.get(row) ?? null, errors: list }));
  const planned = candidates.filter((c) => !rowErrors.has(c.row));
  return { planned, errors };
}

function byDivision(planned: readonly PlannedRow[]): ImportReport['byDivision'] {
  const counts = new Map<string, number>();
  for (const p of planned) {
    counts.set(p.registration.divisionCode, (counts.get(p.registration.divisionCode) ?? 0) + 1);
  }
  return lianyunDivisions
    .filter((d) => counts.has(d.code))
    .map((d) => ({ divisionCode: d.code, divisionName: d.name, rows: counts.get(d.code) ?? 0 }));
}

function rowList(rows: readonly number[]): string {
  const shown = rows.slice(0, 20).map((r) => `第 ${r} 行`);
  return rows.length > 20 ? `${shown.join('、')} 等` : shown.join('、');
}

function importedSubject(p: PlannedRow, batchId: string, now: string): Subject {
  const r = p.registration;
  return {
    _id: importedSubjectId(batchId, p.fingerprint),
    type: r.type,
    name: r.name,
    identityKind: r.identityKind,
    identityDisplay: identityDisplayFor(r.identityKind, r.identityNumber),
    identityFingerprint: p.fingerprint,
    contactName: r.contactName,
    phone: r.phone,
    address: r.address,
    divisionCode: r.divisionCode,
    products: [...new Set(r.products)],
    aboveScale: r.aboveScale,
    ...(r.seasonMonths?.length ? { seasonMonths: r.seasonMonths } : {}),
    // Checked by the office that holds the roster; a WeChat user may claim it by registering.
    status: 'approved',
    ownerId: '',
    source: 'import',
    reviewDecision: 'approve',
    reviewedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

/** 导入 — check a roster, and unless asked only to check, import it whole. */
export async function importRoster(ctx: Ctx, input: ImportInput): Promise<ImportReport> {
  const caller = callerOf(ctx);
  const bytes = decodeFile(input.base64);
  const fileHash = createHash('sha256').update(bytes).digest('hex');
  const importId = input.importId ?? null;
  const batchId = importId ? batchIdOf(caller.userId, importId) : null;
  const batches = ctx.store.collection<ImportBatch>('importBatches');
  const earlier = batchId && !input.dryRun ? await batches.get(batchId) : null;
  if (earlier && earlier.fileHash !== fileHash) {
    throw new AppError('CONFLICT', '这个导入编号已用于另一个文件；换了文件请重新开始导入', {
      importId: ['导入编号已用于另一个文件'],
    });
  }

  const roster = await readRoster(bytes);
  if (earlier?.status === 'done') {
    return {
      outcome: 'imported',
      importId,
      rows: earlier.total,
      valid: earlier.total,
      invalid: 0,
      imported: earlier.total,
      errors: [],
      exampleRows: roster.exampleRows,
      byDivision: [],
      message: `这个文件已于 ${earlier.finishedAt?.slice(0, 10) ?? ''} 导入完成（${earlier.total} 个主体），没有重复导入`,
    };
  }
  const { planned, errors } = await checkRows(ctx, roster, batchId);
  const base = {
    importId,
    rows: roster.rows.length,
    valid: planned.length,
    invalid: errors.length,
    errors,
    exampleRows: roster.exampleRows,
    byDivision: byDivision(planned),
  };
  if (roster.rows.length === 0) {
    throw new AppError('INVALID_INPUT', '文件里没有要导入的主体', {
      base64: ['文件里没有要导入的主体（示例行不会导入）'],
    });
  }
  const badRows = rowList(errors.map((e) => e.row));
  if (input.dryRun) {
    return {
      ...base,
      outcome: 'dry_run',
      imported: 0,
      message:
        errors.length > 0
          ? `共 ${roster.rows.length} 行，其中 ${errors.length} 行有误（${badRows}）；有误的行改正之前，导入时不会导入任何主体`
          : `共 ${roster.rows.length} 行，全部检查通过，可以导入`,
    };
  }
  if (errors.length > 0) {
    return {
      ...base,
      outcome: 'rejected',
      imported: earlier?.written ?? 0,
      message: `共 ${roster.rows.length} 行，其中 ${errors.length} 行有误（${badRows}），本次没有导入任何主体；请改正后重新导入`,
    };
  }
  if (!batchId || !importId) throw new Error('importId is required to import');
  return writeBatch(
    ctx,
    { batchId, importId, fileHash, fileName: input.fileName ?? null },
    planned,
    base,
  );
}

async function writeBatch(
  ctx: Ctx,
  file: { batchId: string; importId: string; fileHash: string; fileName: string | null },
  planned: PlannedRow[],
  base: Omit<ImportReport, 'outcome' | 'imported' | 'message'>,
): Promise<ImportReport> {
  const caller = callerOf(ctx);
  const batches = ctx.store.collection<ImportBatch>('importBatches');
  const startedAt = ctx.now().getTime();
  const total = planned.length;
  let batch = await batches.get(file.batchId);
  if (!batch) {
    const now = ctx.now().toISOString();
    batch = {
      _id: file.batchId,
      importId: file.importId,
      fileHash: file.fileHash,
      fileName: file.fileName,
      status: 'writing',
      total,
      written: 0,
      divisionCodes: base.byDivision.map((d) => d.divisionCode),
      createdBy: caller.userId,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    try {
      await batches.insert(batch);
    } catch (error) {
      // Another call with the same importId got there first: carry on from its batch.
      if (!(error instanceof StoreConflictError)) throw error;
      batch = (await batches.get(file.batchId)) ?? batch;
    }
  }
  if (batch.total !== total) {
    throw new AppError('CONFLICT', '名录已变化，这个导入无法继续；请用新的导入编号重新导入');
  }

  let written = batch.written;
  const interrupted = (error: unknown): never => {
    if (error instanceof StoreUnavailableError) {
      throw new AppError(
        'UNAVAILABLE',
        `导入中断：已导入 ${written}/${total} 个主体。请用同一文件重新导入（导入编号不变），已导入的不会重复`,
      );
    }
    throw error;
  };
  try {
    while (written < total) {
      const start = written;
      const chunk = planned.slice(start, start + importChunkSize);
      written = await ctx.store.transaction(async (tx) => {
        const current = await tx.collection<ImportBatch>('importBatches').get(file.batchId);
        if (!current) throw new Error(`import batch ${file.batchId} vanished`);
        // A concurrent call with the same importId wrote this chunk already.
        if (current.written !== start) return current.written;
        const now = ctx.now().toISOString();
        for (const p of chunk) {
          const subject = importedSubject(p, file.batchId, now);
          await tx.collection<Subject>('subjects').insert(subject);
          await writeAudit(tx, ctx, {
            action: 'subject.import',
            entity: 'subjects',
            entityId: subject._id,
            detail: subjectChange(null, subject, { importId: file.importId, row: p.row }),
          });
        }
        await tx
          .collection<ImportBatch>('importBatches')
          .update(file.batchId, { written: start + chunk.length, updatedAt: now });
        return start + chunk.length;
      });
      if (written < total && ctx.now().getTime() - startedAt > importWorkBudgetMs) {
        return {
          ...base,
          outcome: 'in_progress',
          imported: written,
          message: `已导入 ${written}/${total} 个主体，请继续（用同一文件和导入编号再次提交）`,
        };
      }
    }
    await ctx.store.transaction(async (tx) => {
      const current = await tx.collection<ImportBatch>('importBatches').get(file.batchId);
      if (!current || current.status === 'done') return;
      const now = ctx.now().toISOString();
      await tx
        .collection<ImportBatch>('importBatches')
        .update(file.batchId, { status: 'done', finishedAt: now, updatedAt: now });
      await writeAudit(tx, ctx, {
        action: 'directory.import',
        entity: 'importBatches',
        entityId: file.batchId,
        detail: {
          importId: file.importId,
          fileName: file.fileName,
          total,
          divisionCodes: current.divisionCodes,
        },
      });
    });
  } catch (error) {
    interrupted(error);
  }
  return {
    ...base,
    outcome: 'imported',
    imported: total,
    message: `已导入全部 ${total} 个主体`,
  };
}

/** 导入进度 — a batch of the caller's, by the client's importId. */
export async function importStatus(ctx: Ctx, importId: string): Promise<ImportBatch> {
  const batch = await ctx.store
    .collection<ImportBatch>('importBatches')
    .get(batchIdOf(callerOf(ctx).userId, importId));
  if (!batch) throw new AppError('NOT_FOUND', '没有这个导入记录');
  return batch;
}
