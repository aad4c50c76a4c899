/**
 * Export and import of every collection as one JSON file, through the storage port: the same
 * file moves data from the embedded runtime (SQLite) to CloudBase and back.
 *
 * The file: `{ format, formatVersion, schemaVersion, exportedAt, counts, collections: { name:
 * [doc, …] } }`, documents in `_id` order so that exporting an import gives the same file.
 */
import { isDeepStrictEqual } from 'node:util';
import * as z from 'zod/mini';
import { migrations } from './migrations';
import { collectionNames, type CollectionName, type Doc, type Store } from './port';

export const exportFormat = 'hegezheng-export';
/** Bumped when the file's layout changes (not when a collection is added). */
export const exportFormatVersion = 1;
/** The schema the documents were written under: the SQLite adapter's newest migration. */
export const schemaVersion = migrations.length;

/** Documents read (and written in one transaction) at a time. */
const pageSize = 500;
const importChunk = 100;

export interface ExportHeader {
  format: typeof exportFormat;
  formatVersion: number;
  schemaVersion: number;
  exportedAt: string;
}

export interface ExportFile extends ExportHeader {
  counts: Partial<Record<CollectionName, number>>;
  collections: Partial<Record<CollectionName, Doc[]>>;
}

async function* documentsOf(store: Store, name: CollectionName): AsyncGenerator<Doc> {
  const collection = store.collection<Doc>(name);
  for (let skip = 0; ; skip += pageSize) {
    const page = await collection.find(undefined, {
      orderBy: { field: '_id', direction: 'asc' },
      limit: pageSize,
      skip,
    });
    yield* page;
    if (page.length < pageSize) return;
  }
}

/**
 * Writes the export of `store` as JSON text, piece by piece (a store may hold more than one
 * string should). The store must not change meanwhile: export a snapshot (a backup) of a live one.
 */
export async function writeExport(
  store: Store,
  write: (text: string) => Promise<void> | void,
  now: Date = new Date(),
): Promise<Record<CollectionName, number>> {
  const header: ExportHeader = {
    format: exportFormat,
    formatVersion: exportFormatVersion,
    schemaVersion,
    exportedAt: now.toISOString(),
  };
  const counts = {} as Record<CollectionName, number>;
  for (const name of collectionNames) counts[name] = await store.collection(name).count();
  const head = JSON.stringify({ ...header, counts });
  await write(`${head.slice(0, -1)},"collections":{`);
  for (const [i, name] of collectionNames.entries()) {
    await write(`${i === 0 ? '' : ','}\n${JSON.stringify(name)}:[`);
    let n = 0;
    for await (const doc of documentsOf(store, name)) {
      await write(`${n === 0 ? '' : ','}\n${JSON.stringify(doc)}`);
      n += 1;
    }
    if (n !== counts[name]) {
      throw new Error(`${name} changed during the export (${counts[name]} counted, ${n} read)`);
    }
    await write(']');
  }
  await write('\n}}\n');
  return counts;
}

/** The export as one string; for small stores and tests. */
export async function exportToString(store: Store, now?: Date): Promise<string> {
  const parts: string[] = [];
  await writeExport(store, (text) => void parts.push(text), now);
  return parts.join('');
}

const docSchema = z.looseObject({ _id: z.string().check(z.minLength(1)) });
const exportFileSchema = z.object({
  format: z.literal(exportFormat),
  formatVersion: z.literal(exportFormatVersion),
  schemaVersion: z.int().check(z.gte(1)),
  exportedAt: z.string(),
  counts: z.record(z.string(), z.int()),
  collections: z.record(z.string(), z.array(docSchema)),
});

/** Why an import was refused: the file, or the target store, is not what it must be. */
export class ImportRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefusedError';
  }
}

export interface ImportOptions {
  /**
   * Into a store that already holds documents: those the file holds alike are skipped (an
   * interrupted import resumed), any that differ stop the import. Without it the store must be
   * empty.
   */
  merge?: boolean;
  onProgress?: (name: CollectionName, written: number, total: number) => void;
}

/** Checks an export file's header and shape; the parsed file, or an ImportRefusedError. */
export function parseExport(value: unknown): ExportFile {
  const parsed = exportFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ImportRefusedError(
      `不是合格证通的导出文件，或文件已损坏（${issue?.path.join('.') ?? ''}：${issue?.message ?? ''}）`,
    );
  }
  // The documents as given, not as zod rebuilt them: its output puts `_id` first, and an import
  // must keep each document's key order for the export of it to be the same file.
  const file = value as ExportFile;
  if (file.schemaVersion > schemaVersion) {
    throw new ImportRefusedError(
      `导出文件来自更新的版本（数据结构 ${file.schemaVersion}，本程序 ${schemaVersion}），请先升级本程序`,
    );
  }
  const known: ReadonlySet<string> = new Set(collectionNames);
  const unknown = Object.keys(file.collections).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ImportRefusedError(`导出文件含有本程序不认识的数据集合：${unknown.join('、')}`);
  }
  for (const [name, docs] of Object.entries(file.collections) as [CollectionName, Doc[]][]) {
    if (file.counts[name] !== docs.length) {
      throw new ImportRefusedError(
        `导出文件不完整：${name} 应有 ${file.counts[name]} 条，实有 ${docs.length} 条`,
      );
    }
    if (new Set(docs.map((d) => d._id)).size !== docs.length) {
      throw new ImportRefusedError(`导出文件有误：${name} 中有重复的 _id`);
    }
  }
  return file;
}

/** Imports an export file into `store`; the documents written per collection. */
export async function importExport(
  store: Store,
  value: unknown,
  options: ImportOptions = {},
): Promise<Record<CollectionName, number>> {
  const file = parseExport(value);
  if (!options.merge) {
    const taken: string[] = [];
    for (const name of collectionNames) {
      const n = await store.collection(name).count();
      if (n > 0) taken.push(`${name}（${n} 条）`);
    }
    if (taken.length > 0) {
      throw new ImportRefusedError(`目标数据库不是空的：${taken.join('、')}。只能导入到空的数据库`);
    }
  }
  const written = {} as Record<CollectionName, number>;
  for (const name of collectionNames) {
    const docs = file.collections[name] ?? [];
    written[name] = 0;
    for (let start = 0; start < docs.length; start += importChunk) {
      const chunk = docs.slice(start, start + importChunk);
      // A chunk lands whole or not at all; a merge re-run carries on where one stopped.
      written[name] += await store.transaction(async (tx) => {
        const target = tx.collection<Doc>(name);
        let n = 0;
        for (const doc of chunk) {
          if (options.merge) {
            const existing = await target.get(doc._id);
            if (existing) {
              if (!isDeepStrictEqual(existing, doc)) {
                throw new ImportRefusedError(
                  `目标数据库中的 ${name}/${doc._id} 与导出文件不同，导入已停止（之前的部分已保留）`,
                );
              }
              continue;
            }
          }
          await target.insert(doc);
          n += 1;
        }
        return n;
      });
      options.onProgress?.(name, start + chunk.length, docs.length);
    }
  }
  return written;
}
