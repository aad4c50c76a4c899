/**
 * Looking after the embedded runtime's database: online backup, restore, and export/import of
 * every collection as JSON (`npm run backup|restore|export|import`, see data-cli.ts).
 *
 * Nothing here deletes data: a restore keeps the database it replaces beside it, a backup or an
 * export writes a new file under a temporary name and renames it only when it is complete.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  openCloudbaseStore,
  cloudbaseAppFromEnv,
  ensureCloudbaseCollections,
} from '../kit/store/cloudbase';
import { migrations } from '../kit/store/migrations';
import type { CollectionName, Store } from '../kit/store/port';
import { openSqliteStore } from '../kit/store/sqlite';
import {
  checkExportFile,
  importChecked,
  writeExport,
  type ImportOptions,
} from '../kit/store/transfer';

export const databaseFileName = 'hegezheng.db';

/** Why a command refused: said to the operator as is, in Chinese. */
export class DataCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataCommandError';
  }
}

export function databaseFileOf(dataDir: string): string {
  return path.join(dataDir, databaseFileName);
}

/** `2026-11-30T01-46-50-123Z`: sorts by time and is a valid file name everywhere. */
export function fileStamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

/** The file a server writes in DATA_DIR while it serves it (see main.ts). */
export const runningMarkerName = 'server.json';

/** When this machine booted (Linux), to tell a marker left from before a reboot. */
function bootTime(): number | null {
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return btime ? Number(btime[1]) * 1000 : null;
  } catch {
    return null;
  }
}

/** The command line of a live process (Linux), or null where it cannot be read. */
function commandLineOf(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/**
 * Whether something answers at the marker's port: a server writes its marker only once it
 * listens, so a refused connection means the marker outlived it. Any other failure (a slow or
 * busy server) counts as an answer.
 */
async function answersAt(host: string, port: number): Promise<boolean> {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  const base = reachable.includes(':') ? `[${reachable}]` : reachable;
  try {
    await fetch(`http://${base}:${port}/healthz`, { signal: AbortSignal.timeout(1500) });
    return true;
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    return code !== 'ECONNREFUSED';
  }
}

/**
 * The server serving `dataDir`, from the marker it writes (server.json), if it is alive. A
 * marker outlives a killed server, and after a reboot its pid often belongs to another process:
 * so the process must also have started after the boot, be a Node process, and its port must
 * not refuse connections.
 */
export async function runningServer(
  dataDir: string,
): Promise<{ pid: number; port: number; marker: string } | null> {
  const file = path.join(dataDir, runningMarkerName);
  let marker: { pid?: unknown; port?: unknown; host?: unknown; startedAt?: unknown };
  try {
    marker = JSON.parse(readFileSync(file, 'utf8')) as typeof marker;
  } catch {
    return null;
  }
  const { pid } = marker;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's; only ESRCH says it is gone.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return null;
  }
  const startedAt = typeof marker.startedAt === 'string' ? Date.parse(marker.startedAt) : NaN;
  const booted = bootTime();
  if (booted !== null && startedAt < booted) return null;
  const argv = commandLineOf(pid);
  if (argv && !/node/i.test(path.basename(argv[0] ?? ''))) return null;
  const port = typeof marker.port === 'number' ? marker.port : 0;
  if (port > 0) {
    const host = typeof marker.host === 'string' ? marker.host : '127.0.0.1';
    if (!(await answersAt(host, port))) return null;
  }
  return { pid, port, marker: file };
}

async function refuseWhileRunning(dataDir: string, what: string): Promise<void> {
  const server = await runningServer(dataDir);
  if (server) {
    throw new DataCommandError(
      `合格证通正在使用这个数据目录（进程 ${server.pid}，端口 ${server.port}）：请先停止服务再${what}。` +
        `若服务确已停止，${server.marker} 是上次运行留下的，删除它后重试`,
    );
  }
}

/**
 * Checks that `file` is a sound database of this product: SQLite's integrity check passes and it
 * has the product's tables. Returns its certificate count, for the operator to recognise it.
 */
export function checkDatabaseFile(file: string): { certificates: number; schemaVersion: number } {
  if (!existsSync(file)) throw new DataCommandError(`找不到文件：${file}`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new DataCommandError(`无法打开 ${file}：${(error as Error).message}`);
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') {
      throw new DataCommandError(`${file} 已损坏（integrity_check：${String(integrity)}）`);
    }
    const tables = new Set(
      (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
          name: string;
        }[]
      ).map((t) => t.name),
    );
    if (!tables.has('schema_migrations') || !tables.has('certificates')) {
      throw new DataCommandError(`${file} 不是合格证通的数据库`);
    }
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM certificates').get() as { n: number };
    const { v } = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {
      v: number | null;
    };
    return { certificates: n, schemaVersion: v ?? 0 };
  } catch (error) {
    if (error instanceof DataCommandError) throw error;
    throw new DataCommandError(`${file} 不是可用的数据库：${(error as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * A consistent copy of the database at `source` into `target`, with SQLite's online backup, while
 * a server may be writing to it. The copy is made in one step (one read transaction), so a write
 * in between cannot make it start over; it is then a single file (no -wal beside it).
 */
export async function backupDatabase(source: string, target: string): Promise<{ bytes: number }> {
  if (!existsSync(source)) throw new DataCommandError(`找不到数据库：${source}`);
  if (existsSync(target)) throw new DataCommandError(`${target} 已存在，不会覆盖`);
  mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    await db.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  const copy = new Database(partial);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  checkDatabaseFile(partial);
  chmodSync(partial, 0o600);
  renameSync(partial, target);
  return { bytes: statSync(target).size };
}

/** `DATA_DIR/backups/hegezheng-<time>.db` unless the operator named a file. */
export function defaultBackupFile(dataDir: string, now: Date): string {
  return path.join(dataDir, 'backups', `hegezheng-${fileStamp(now)}.db`);
}

/**
 * Puts the backup `file` in place of DATA_DIR's database. The server must be stopped; the backup
 * is checked first; the database it replaces (with its -wal and -shm) moves to DATA_DIR/replaced.
 * The backup is copied by SQLite, so a copy taken with its own -wal brings what that holds.
 */
export async function restoreDatabase(
  dataDir: string,
  file: string,
  now: Date,
): Promise<{ replacedTo: string | null; certificates: number }> {
  await refuseWhileRunning(dataDir, '恢复');
  const checked = checkDatabaseFile(file);
  if (checked.schemaVersion > migrations.length) {
    // The server would refuse to open it: the live database stays where it is.
    throw new DataCommandError(
      `${file} 来自更新的版本（数据结构 ${checked.schemaVersion}，本程序 ${migrations.length}），请先升级本程序再恢复`,
    );
  }
  const live = databaseFileOf(dataDir);
  const incoming = `${live}.restoring`;
  rmSync(incoming, { force: true });
  await backupDatabase(file, incoming);
  let replacedTo: string | null = null;
  if (existsSync(live)) {
    const asideDir = path.join(dataDir, 'replaced');
    mkdirSync(asideDir, { recursive: true });
    replacedTo = path.join(asideDir, `hegezheng-${fileStamp(now)}.db`);
    // The -wal may hold committed writes not yet in the main file: it moves along, same base name.
    for (const suffix of ['-wal', '-shm', '']) {
      if (existsSync(live + suffix)) renameSync(live + suffix, replacedTo + suffix);
    }
  }
  renameSync(incoming, live);
  return { replacedTo, certificates: checked.certificates };
}

/** The store an export reads or an import writes: DATA_DIR's SQLite file, or CloudBase. */
export type Target = { kind: 'sqlite'; file: string } | { kind: 'cloudbase' };

async function openTarget(target: Target, readonly: boolean): Promise<Store> {
  if (target.kind === 'sqlite') return openSqliteStore({ file: target.file, readonly });
  const app = cloudbaseAppFromEnv();
  if (!app) {
    throw new DataCommandError(
      '未配置 CloudBase：请设置 TCB_ENV_ID、TCB_SECRET_ID、TCB_SECRET_KEY',
    );
  }
  if (!readonly) await ensureCloudbaseCollections(app);
  return openCloudbaseStore({ app });
}

/**
 * Writes every collection of DATA_DIR's database (read from an online backup, so a running server
 * can keep writing) or of CloudBase to `file` as JSON.
 */
export async function exportData(
  from: Target,
  file: string,
  now: Date,
): Promise<Record<CollectionName, number>> {
  if (existsSync(file)) throw new DataCommandError(`${file} 已存在，不会覆盖`);
  mkdirSync(path.dirname(file), { recursive: true });
  let snapshot: string | null = null;
  let source = from;
  if (from.kind === 'sqlite') {
    snapshot = `${file}.snapshot.db`;
    rmSync(snapshot, { force: true });
    await backupDatabase(from.file, snapshot);
    source = { kind: 'sqlite', file: snapshot };
  }
  const partial = `${file}.partial`;
  // Personal data (phone numbers, names) is in it: readable by the owner only, like a backup.
  const out = await open(partial, 'w', 0o600);
  try {
    const store = await openTarget(source, true);
    try {
      let pending = '';
      const counts = await writeExport(
        store,
        async (text) => {
          pending += text;
          if (pending.length >= 1 << 20) {
            await out.write(pending);
            pending = '';
          }
        },
        now,
      );
      await out.write(pending);
      await out.sync();
      await out.close();
      renameSync(partial, file);
      return counts;
    } finally {
      await store.close();
    }
  } catch (error) {
    await out.close().catch(() => undefined);
    rmSync(partial, { force: true });
    throw error;
  } finally {
    if (snapshot) rmSync(snapshot, { force: true });
  }
}

/**
 * Imports an export file into an empty store (or, with `merge`, resumes an interrupted one). The
 * file is read line by line twice: once to check all of it, before the store is even opened, so
 * that a truncated or damaged file changes nothing; then to import it, in chunks.
 */
export async function importData(
  into: Target,
  file: string,
  options: ImportOptions = {},
): Promise<Record<CollectionName, number>> {
  if (!existsSync(file)) throw new DataCommandError(`找不到文件：${file}`);
  if (into.kind === 'sqlite') await refuseWhileRunning(path.dirname(into.file), '导入');
  const checked = await checkExportFile(file);
  const store = await openTarget(into, false);
  try {
    return await importChecked(store, checked, options);
  } finally {
    await store.close();
  }
}
