/**
 * Export and import of every collection as one JSON file, through the storage port: the same
 * file moves data from the embedded runtime (SQLite) to CloudBase and back.
 *
 * The file is one JSON object, `{ format, formatVersion, schemaVersion, exportedAt, collections:
 * { name: [doc, …] }, counts }`, documents in `_id` order so that exporting an import gives the
 * same file. It is written one document per line, with the counts last (they are what was read),
 * so that an import can read it line by line however large it is:
 *
 *     {"format":…,"exportedAt":"…","collections":{
 *     "users":[
 *     {…},
 *     {…}],
 *     "sessions":[],
 *     …
 *     "trainingAttendance":[]
 *     },"counts":{…}}
 *
 * Files written before the counts moved to the end carry them in the first line and end in `}}`;
 * both read the same.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
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

/**
 * Collections that keep growing while the product is used and never lose a document (every
 * request, audit entry, scan, message): an export of a live CloudBase takes what it finds of
 * them. Any other collection changing during an export stops it.
 */
export const growingCollections: ReadonlySet<CollectionName> = new Set<CollectionName>([
  'requests',
  'audit',
  'scans',
  'outbox',
  'pushes',
  'deliveries',
]);

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

/**
 * A collection's documents in `_id` order, each once. Paged with `skip`, as CloudBase allows; a
 * document added meanwhile before the page being read pushes the next page back by one, so what
 * was already given is skipped, not repeated.
 */
async function* documentsOf(store: Store, name: CollectionName): AsyncGenerator<Doc> {
  const collection = store.collection<Doc>(name);
  const given = new Set<string>();
  for (let skip = 0; ; skip += pageSize) {
    const page = await collection.find(undefined, {
      orderBy: { field: '_id', direction: 'asc' },
      limit: pageSize,
      skip,
    });
    for (const doc of page) {
      if (given.has(doc._id)) continue;
      given.add(doc._id);
      yield doc;
    }
    if (page.length < pageSize) return;
  }
}

/**
 * Writes the export of `store` as JSON text, piece by piece (a store may hold more than one
 * string should). Export a snapshot (a backup) of a live SQLite store. A live CloudBase cannot be
 * snapshotted: the growing collections are taken as read (the counts say what was), and a change
 * to any other collection stops the export.
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
  const head = JSON.stringify(header);
  await write(`${head.slice(0, -1)},"collections":{`);
  for (const [i, name] of collectionNames.entries()) {
    const before = growingCollections.has(name) ? null : await store.collection(name).count();
    await write(`${i === 0 ? '' : ','}\n${JSON.stringify(name)}:[`);
    let n = 0;
    for await (const doc of documentsOf(store, name)) {
      await write(`${n === 0 ? '' : ','}\n${JSON.stringify(doc)}`);
      n += 1;
    }
    if (before !== null && (n !== before || (await store.collection(name).count()) !== before)) {
      throw new Error(`${name} changed during the export (${before} counted, ${n} read)`);
    }
    counts[name] = n;
    await write(']');
  }
  await write(`\n},"counts":${JSON.stringify(counts)}}\n`);
  return counts;
}

/** The export as one string; for small stores and tests. */
export async function exportToString(store: Store, now?: Date): Promise<string> {
  const parts: string[] = [];
  await writeExport(store, (text) => void parts.push(text), now);
  return parts.join('');
}

const docSchema = z.looseObject({ _id: z.string().check(z.minLength(1)) });
const headerSchema = z.object({
  format: z.literal(exportFormat),
  formatVersion: z.literal(exportFormatVersion),
  schemaVersion: z.int().check(z.gte(1)),
  exportedAt: z.string(),
});
const countsSchema = z.record(z.string(), z.int());
const exportFileSchema = z.object({
  ...headerSchema.shape,
  counts: countsSchema,
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

const damaged = (where: string, why: string): ImportRefusedError =>
  new ImportRefusedError(`不是合格证通的导出文件，或文件已损坏（${where}：${why}）`);

function parsed<T>(schema: z.ZodMiniType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return value as T;
  const issue = result.error.issues[0];
  const path = [where, ...(issue?.path ?? [])].filter((p) => p !== '').join('.');
  throw damaged(path, issue?.message ?? '');
}

/** What an export file says, in the order a reader meets it. */
type ExportItem =
  | { kind: 'header'; header: ExportHeader; counts: Record<string, number> | null }
  | { kind: 'collection'; name: string }
  | { kind: 'doc'; doc: Doc; index: number }
  | { kind: 'end'; counts: Record<string, number> | null }
  /** The file stopped before its end: `line` is its last line. */
  | { kind: 'cut'; line: number };

/** The items of an export already in memory. */
async function* itemsOfValue(value: unknown): AsyncGenerator<ExportItem> {
  parsed(exportFileSchema, value, '');
  // The documents as given, not as zod rebuilt them: its output puts `_id` first, and an import
  // must keep each document's key order for the export of it to be the same file.
  const { counts, collections, ...header } = value as ExportFile;
  yield { kind: 'header', header, counts: null };
  for (const [name, docs] of Object.entries(collections)) {
    yield { kind: 'collection', name };
    for (const [index, doc] of docs!.entries()) yield { kind: 'doc', doc, index };
  }
  yield { kind: 'end', counts: counts as Record<string, number> };
}

const collectionLine = /^("(?:[^"\\]|\\.)*"):\[(\]?)(,?)$/;

/**
 * The items of an export file, read line by line (see the layout at the top): memory stays that
 * of one document, however large the file.
 */
async function* itemsOfFile(file: string): AsyncGenerator<ExportItem> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  const json = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw damaged(`第 ${n} 行`, `不是有效的 JSON，${(error as Error).message}`);
    }
  };
  /** Where the reader is: before the header, in the list of collections, inside one, done. */
  let state: 'start' | 'between' | 'inside' | 'done' = 'start';
  let index = 0;
  try {
    for await (const line of lines) {
      n += 1;
      if (state === 'done') {
        if (line.trim() !== '') throw damaged(`第 ${n} 行`, '文件结束后还有内容');
        continue;
      }
      if (state === 'start') {
        const tail = ',"collections":{';
        if (!line.startsWith('{') || !line.endsWith(tail)) {
          throw damaged('第 1 行', '开头不是导出文件的文件头');
        }
        const head = json(`${line.slice(0, -tail.length)}}`) as Record<string, unknown>;
        const header = parsed(headerSchema, head, '');
        const counts =
          head.counts === undefined ? null : parsed(countsSchema, head.counts, 'counts');
        yield { kind: 'header', header: header as ExportHeader, counts };
        state = 'between';
        continue;
      }
      if (state === 'inside') {
        let text = line;
        let closes = false;
        if (text.endsWith('],')) [text, closes] = [text.slice(0, -2), true];
        else if (text.endsWith(']')) [text, closes] = [text.slice(0, -1), true];
        else if (text.endsWith(',')) text = text.slice(0, -1);
        const doc = json(text);
        yield { kind: 'doc', doc: doc as Doc, index };
        index += 1;
        if (closes) state = 'between';
        continue;
      }
      // Between collections: the next one's name, or the end.
      const opened = collectionLine.exec(line);
      if (opened) {
        yield { kind: 'collection', name: json(opened[1]!) as string };
        index = 0;
        if (opened[2] !== ']') state = 'inside';
        continue;
      }
      if (line === '}}') {
        yield { kind: 'end', counts: null };
      } else if (line.startsWith('},"counts":') && line.endsWith('}}')) {
        const trailer = json(`{${line.slice(2)}`) as { counts: unknown };
        yield { kind: 'end', counts: parsed(countsSchema, trailer.counts, 'counts') };
      } else {
        throw damaged(`第 ${n} 行`, '不是导出文件的格式');
      }
      state = 'done';
    }
  } finally {
    lines.close();
  }
  if (state !== 'done') yield { kind: 'cut', line: n };
}

/** Reads `file` as a whole when it is JSON laid out otherwise (an edited or reformatted one). */
async function* itemsOfAnyFile(file: string): AsyncGenerator<ExportItem> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let first = '';
  for await (const line of lines) {
    first = line;
    break;
  }
  lines.close();
  if (first.endsWith(',"collections":{')) return yield* itemsOfFile(file);
  // Only a small file can be read whole: a large one is an export as written, or not one at all.
  if ((await stat(file)).size > 64 * 1024 * 1024) {
    throw damaged('第 1 行', '开头不是导出文件的文件头');
  }
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ImportRefusedError(`${file} 不是有效的 JSON：${(error as Error).message}`);
  }
  yield* itemsOfValue(value);
}

/** An export read through once and found whole: its header, counts, and a way to read it again. */
export interface CheckedExport {
  header: ExportHeader;
  counts: Record<CollectionName, number>;
  items: () => AsyncIterable<ExportItem>;
}

/**
 * Reads an export through and checks it all before anything is written: its header and version,
 * every document's shape, that every collection is known, whole (as many documents as counted)
 * and free of repeated `_id`s, and that the file did not stop short. An ImportRefusedError says
 * what is wrong.
 */
async function checkExport(items: () => AsyncIterable<ExportItem>): Promise<CheckedExport> {
  const known: ReadonlySet<string> = new Set(collectionNames);
  let header: ExportHeader | null = null;
  let counts: Record<string, number> | null = null;
  const read = new Map<string, number>();
  let current: string | null = null;
  let ids = new Set<string>();
  const closeCurrent = (): void => {
    if (current !== null) read.set(current, ids.size);
    current = null;
    ids = new Set();
  };
  const expected = (name: string): number | undefined => counts?.[name];
  for await (const item of items()) {
    switch (item.kind) {
      case 'header':
        header = item.header;
        counts = item.counts;
        if (header.schemaVersion > schemaVersion) {
          throw new ImportRefusedError(
            `导出文件来自更新的版本（数据结构 ${header.schemaVersion}，本程序 ${schemaVersion}），请先升级本程序`,
          );
        }
        break;
      case 'collection':
        closeCurrent();
        if (!known.has(item.name)) {
          throw new ImportRefusedError(`导出文件含有本程序不认识的数据集合：${item.name}`);
        }
        if (read.has(item.name)) {
          throw new ImportRefusedError(`导出文件有误：${item.name} 出现了两次`);
        }
        current = item.name;
        break;
      case 'doc': {
        parsed(docSchema, item.doc, `collections.${current}.${item.index}`);
        if (ids.has(item.doc._id)) {
          throw new ImportRefusedError(`导出文件有误：${current} 中有重复的 _id`);
        }
        ids.add(item.doc._id);
        break;
      }
      case 'cut': {
        const open = current;
        const have = ids.size;
        const cut = `（文件在第 ${item.line} 行中断）`;
        throw new ImportRefusedError(
          open !== null && expected(open) !== undefined
            ? `导出文件不完整：${open} 应有 ${expected(open)} 条，实有 ${have} 条${cut}`
            : `导出文件不完整${cut}`,
        );
      }
      case 'end': {
        closeCurrent();
        counts = item.counts ?? counts;
        if (!header || !counts) throw damaged('counts', '没有各集合的条数');
        for (const [name, n] of read) {
          if (counts[name] !== n) {
            throw new ImportRefusedError(
              `导出文件不完整：${name} 应有 ${counts[name] ?? '（未记）'} 条，实有 ${n} 条`,
            );
          }
        }
        // A count without its documents: the file lost a whole collection.
        const missing = Object.keys(counts).filter((name) => !read.has(name));
        if (missing.length > 0) {
          throw new ImportRefusedError(
            `导出文件不完整：${missing.map((name) => `${name}（应有 ${counts![name]} 条）`).join('、')} 没有数据`,
          );
        }
        return { header, counts: counts as Record<CollectionName, number>, items };
      }
    }
  }
  throw new ImportRefusedError('导出文件不完整');
}

/** Checks an export already in memory (see checkExport). */
export function checkExportValue(value: unknown): Promise<CheckedExport> {
  return checkExport(() => itemsOfValue(value));
}

/** Checks an export file, reading it line by line (see checkExport); it is read again to import. */
export function checkExportFile(file: string): Promise<CheckedExport> {
  return checkExport(() => itemsOfAnyFile(file));
}

/** Imports an export file into `store`; the documents written per collection. */
export async function importExport(
  store: Store,
  value: unknown,
  options: ImportOptions = {},
): Promise<Record<CollectionName, number>> {
  return importChecked(store, await checkExportValue(value), options);
}

/**
 * Imports a checked export into `store`, in chunks of one transaction each; the documents written
 * per collection. Without `merge` the store must be empty.
 */
export async function importChecked(
  store: Store,
  file: CheckedExport,
  options: ImportOptions = {},
): Promise<Record<CollectionName, number>> {
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
  for (const name of collectionNames) written[name] = 0;
  let name: CollectionName | null = null;
  let chunk: Doc[] = [];
  let done = 0;
  const flush = async (): Promise<void> => {
    if (name === null || chunk.length === 0) return;
    const into = name;
    const docs = chunk;
    chunk = [];
    // A chunk lands whole or not at all; a merge re-run carries on where one stopped.
    written[into] += await store.transaction(async (tx) => {
      const target = tx.collection<Doc>(into);
      let n = 0;
      for (const doc of docs) {
        if (options.merge) {
          const existing = await target.get(doc._id);
          if (existing) {
            if (!isDeepStrictEqual(existing, doc)) {
              throw new ImportRefusedError(
                `目标数据库中的 ${into}/${doc._id} 与导出文件不同，导入已停止（之前的部分已保留）`,
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
    done += docs.length;
    options.onProgress?.(into, done, file.counts[into] ?? done);
  };
  for await (const item of file.items()) {
    if (item.kind === 'collection') {
      await flush();
      name = item.name as CollectionName;
      done = 0;
    } else if (item.kind === 'doc') {
      chunk.push(item.doc);
      if (chunk.length >= importChunk) await flush();
    } else if (item.kind === 'end') {
      await flush();
    } else if (item.kind === 'cut') {
      // Checked whole before; changed since.
      throw new ImportRefusedError('导出文件在导入过程中被改动，导入已停止（之前的部分已保留）');
    }
  }
  return written;
}
