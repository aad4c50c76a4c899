/**
 * `npm run backup|restore|export|import` for real: config/scripts/data.mjs as a child process
 * beside a running server (dist/server/main.js) on the same data dir.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from '../../../cloudfunctions/kit/store/migrations';
import { openSqliteStore, sqliteHandle } from '../../../cloudfunctions/kit/store/sqlite';
import {
  exportData,
  importData,
  restoreDatabase,
  runningServer,
} from '../../../cloudfunctions/local/data';
import { labelCode } from '../../../src/domain/certificate';
import { freePort, runNode, stop, waitHealthy, type Proc } from '../../helpers/processes';
import { issueInput, smallholder } from '../../helpers/runtime';

const root = resolve(__dirname, '..', '..', '..');
const bundle = join(root, 'dist', 'server', 'main.js');
const dataScript = join(root, 'config', 'scripts', 'data.mjs');

let dataDir: string;
const running: Proc[] = [];

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(root, 'config', 'scripts', 'build-functions.mjs'), '--server'],
    {
      cwd: root,
      stdio: 'pipe',
    },
  );
}, 60_000);
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'hgz-data-'));
});
afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function startServer(port: number, dir = dataDir): Promise<Proc> {
  const proc = runNode([bundle], root, {
    PORT: String(port),
    DATA_DIR: dir,
    STATIC_DIR: join(dir, 'no-h5'),
    NODE_ENV: 'test',
  });
  running.push(proc);
  await waitHealthy(`http://127.0.0.1:${port}`, proc, 30_000);
  return proc;
}

/** Runs `npm run <command>` the way npm does (the script, from the project root). */
async function data(args: string[], dir = dataDir, env: Record<string, string> = {}) {
  const proc = runNode([dataScript, ...args], root, { DATA_DIR: dir, ...env });
  const code = await proc.exited;
  return { code, output: proc.output() };
}

async function post(base: string, path: string, body: unknown, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return (await res.json()) as any;
}

async function producer(base: string) {
  const login = await post(base, '/auth/dev-login', { newUser: true });
  const reg = await post(
    base,
    '/api/subject',
    { action: 'register', input: smallholder() },
    login.token,
  );
  const issue = async (productName: string): Promise<string> => {
    const res = await post(
      base,
      '/api/certificate',
      { action: 'issue', input: issueInput(reg.data._id, { productName, packages: 500 }) },
      login.token,
    );
    expect(res.ok).toBe(true);
    return res.data[0].code as string;
  };
  return { issue };
}

/** Certificates of a database file: code → product, and each one's request and audit present. */
function certificatesIn(file: string): Map<string, string> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT doc FROM certificates').all() as { doc: string }[];
    const found = new Map<string, string>();
    for (const { doc } of rows) {
      const c = JSON.parse(doc) as { code: string; productName: string; requestId: string };
      const request = db
        .prepare(`SELECT 1 FROM requests WHERE json_extract(doc, '$.requestId') = ?`)
        .get(c.requestId);
      const audit = db
        .prepare(`SELECT 1 FROM audit WHERE json_extract(doc, '$.entityId') = ?`)
        .get(c.code);
      // Whole, as written in one transaction: never a certificate without its request record.
      expect([c.code, Boolean(request), Boolean(audit)]).toEqual([c.code, true, true]);
      found.set(c.code, c.productName);
    }
    return found;
  } finally {
    db.close();
  }
}

/** The verdict on the first label of a 500-label certificate. */
async function verdictOf(base: string, code: string): Promise<string> {
  const input = { code: labelCode(code, 0, 500) };
  return (await post(base, '/api/verify', { action: 'lookup', input })).data.verdict;
}

it('backs up the live database while it is written, and restores it only with the server stopped', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server = await startServer(port);
  const { issue } = await producer(base);
  const before = [await issue('backup-before-1'), await issue('backup-before-2')];

  // Keep issuing while the backup runs.
  let busy = true;
  const during: string[] = [];
  const writer = (async () => {
    for (let i = 0; busy; i++) during.push(await issue(`backup-during-${i}`));
  })();
  const backupFile = join(dataDir, 'elsewhere', 'nightly.db');
  const backup = await data(['backup', backupFile]);
  busy = false;
  await writer;
  expect(during.length).toBeGreaterThan(0);
  expect(backup).toMatchObject({ code: 0, output: expect.stringContaining('完整性检查通过') });
  const backedUp = certificatesIn(backupFile);
  for (const code of before) expect(backedUp.has(code)).toBe(true);
  const after = await issue('backup-after');

  // Without a path: a time-stamped file under DATA_DIR/backups.
  const dated = await data(['backup']);
  expect(dated.code).toBe(0);
  expect(readdirSync(join(dataDir, 'backups'))).toEqual([
    expect.stringMatching(/^hegezheng-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.db$/),
  ]);

  // Not under a running server.
  const refused = await data(['restore', backupFile]);
  expect(refused.code).toBe(1);
  expect(refused.output).toContain('请先停止服务再恢复');
  expect(await verdictOf(base, after)).toBe('valid');

  expect(await stop(server)).toBe(0);
  const liveBefore = certificatesIn(join(dataDir, 'hegezheng.db'));
  // A damaged backup is refused before anything moves.
  const damaged = join(dataDir, 'damaged.db');
  writeFileSync(damaged, readFileSync(backupFile).subarray(0, 8192));
  const bad = await data(['restore', damaged]);
  expect(bad.code).toBe(1);
  expect(existsSync(join(dataDir, 'replaced'))).toBe(false);

  const restored = await data(['restore', backupFile]);
  expect(restored).toMatchObject({ code: 0, output: expect.stringContaining('原数据库已保留在') });
  // The replaced database is kept whole beside, with what came after the backup.
  const [aside] = readdirSync(join(dataDir, 'replaced')).filter((f) => f.endsWith('.db'));
  expect(certificatesIn(join(dataDir, 'replaced', aside!))).toEqual(liveBefore);

  server = await startServer(port);
  for (const code of before) expect(await verdictOf(base, code)).toBe('valid');
  expect(await verdictOf(base, after)).toBe('not_found');
  expect(certificatesIn(join(dataDir, 'hegezheng.db'))).toEqual(backedUp);
  await stop(server);
}, 120_000);

it('exports every collection as JSON and imports it into an empty data dir, identically', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(port);
  const { issue } = await producer(base);
  const code = await issue('导出测试 <b>"引号"</b>');
  // A scan, so the export carries more than the seed.
  expect((await fetch(`${base}/c/${labelCode(code, 0, 500)}`)).status).toBe(200);
  const exported = join(dataDir, 'out', 'all.json');
  const first = await data(['export', exported]);
  expect(first).toMatchObject({ code: 0, output: expect.stringContaining('certificates 4') });
  await stop(server);

  const fresh = mkdtempSync(join(tmpdir(), 'hgz-data-import-'));
  try {
    const imported = await data(['import', exported], fresh);
    expect(imported).toMatchObject({ code: 0, output: expect.stringContaining('已导入') });
    // Again into the now non-empty store: refused, nothing doubled.
    const twice = await data(['import', exported], fresh);
    expect(twice.code).toBe(1);
    expect(twice.output).toContain('目标数据库不是空的');

    const again = join(fresh, 'again.json');
    expect((await data(['export', again], fresh)).code).toBe(0);
    const strip = (text: string) => ({ ...JSON.parse(text), exportedAt: null });
    const original = strip(readFileSync(exported, 'utf8'));
    expect(strip(readFileSync(again, 'utf8'))).toEqual(original);
    expect(original).toMatchObject({ format: 'hegezheng-export', formatVersion: 1 });
    expect(original.collections.certificates).toHaveLength(4);
    expect(original.collections.scans).toHaveLength(1);

    // The imported store serves: the certificate verifies on a server over it.
    const port2 = await freePort();
    const server2 = await startServer(port2, fresh);
    expect(await verdictOf(`http://127.0.0.1:${port2}`, code)).toBe('valid');
    await stop(server2);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}, 120_000);

it('says plainly that CloudBase is not configured rather than pretending to export', async () => {
  const result = await data(['export', join(dataDir, 'cb.json'), '--from', 'cloudbase']);
  expect(result.code).toBe(1);
  expect(result.output).toContain('未配置 CloudBase');
  expect(existsSync(join(dataDir, 'cb.json'))).toBe(false);
});

describe('restore and import, in process', () => {
  /** A database file of the product holding `n` certificates, closed (no -wal beside it). */
  async function databaseWith(file: string, n: number): Promise<void> {
    const store = openSqliteStore({ file });
    for (let i = 0; i < n; i++) await store.collection('certificates').insert({ _id: `c${i}` });
    await store.close();
  }
  const liveCertificates = (): number => {
    const db = new Database(join(dataDir, 'hegezheng.db'), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM certificates').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const now = new Date('2026-11-30T03:00:00.000Z');
  const marker = (pid: number, port: number, startedAt = new Date().toISOString()) =>
    writeFileSync(join(dataDir, 'server.json'), JSON.stringify({ pid, port, startedAt }));

  it('restores a copy taken with its -wal, with what the -wal holds', async () => {
    const source = join(dataDir, 'source.db');
    await databaseWith(source, 1);
    const store = openSqliteStore({ file: source });
    sqliteHandle(store)!.pragma('wal_autocheckpoint = 0');
    for (let i = 1; i < 5; i++) await store.collection('certificates').insert({ _id: `c${i}` });
    // Copied as a file manager would, while open: the last four certificates are in the -wal.
    mkdirSync(join(dataDir, 'copy'));
    copyFileSync(source, join(dataDir, 'copy', 'hgz.db'));
    copyFileSync(`${source}-wal`, join(dataDir, 'copy', 'hgz.db-wal'));
    await store.close();

    const { certificates } = await restoreDatabase(dataDir, join(dataDir, 'copy', 'hgz.db'), now);
    expect(certificates).toBe(5);
    expect(liveCertificates()).toBe(5);
    expect(existsSync(join(dataDir, 'hegezheng.db-wal'))).toBe(false);
  });

  it('refuses a backup from newer code before moving the live database', async () => {
    await databaseWith(join(dataDir, 'hegezheng.db'), 2);
    const newer = join(dataDir, 'newer.db');
    await databaseWith(newer, 7);
    const db = new Database(newer);
    db.prepare(`INSERT INTO schema_migrations VALUES (?, 'future', '2027-01-01')`).run(
      migrations.length + 1,
    );
    db.close();
    await expect(restoreDatabase(dataDir, newer, now)).rejects.toThrow(
      `来自更新的版本（数据结构 ${migrations.length + 1}，本程序 ${migrations.length}）`,
    );
    expect(existsSync(join(dataDir, 'replaced'))).toBe(false);
    expect(liveCertificates()).toBe(2);
  });

  it('restores despite a server.json left behind whose pid now belongs to another process', async () => {
    await databaseWith(join(dataDir, 'hegezheng.db'), 2);
    const backup = join(dataDir, 'backup.db');
    await databaseWith(backup, 3);
    const port = await freePort();
    // After a reboot: a pid taken by something else, or by a node process since the boot.
    const sleeper = spawn('sleep', ['30']);
    try {
      marker(sleeper.pid!, port);
      expect(await runningServer(dataDir)).toBeNull();
    } finally {
      sleeper.kill();
    }
    marker(process.pid, port, '2000-01-01T00:00:00.000Z');
    expect(await runningServer(dataDir)).toBeNull();
    // A node process alive, but nothing listens where the marker says.
    marker(process.pid, port);
    expect(await runningServer(dataDir)).toBeNull();
    await restoreDatabase(dataDir, backup, now);
    expect(liveCertificates()).toBe(3);
  });

  it('refuses while something answers at the marker’s port, naming server.json', async () => {
    await databaseWith(join(dataDir, 'hegezheng.db'), 2);
    const backup = join(dataDir, 'backup.db');
    await databaseWith(backup, 3);
    const server = createServer((_, res) => res.end('{"ok":true}'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      marker(process.pid, (server.address() as AddressInfo).port);
      await expect(restoreDatabase(dataDir, backup, now)).rejects.toThrow(
        `请先停止服务再恢复。若服务确已停止，${join(dataDir, 'server.json')} 是上次运行留下的，删除它后重试`,
      );
    } finally {
      server.close();
    }
    expect(liveCertificates()).toBe(2);
  });

  it('refuses a cut export file without creating the database it was to fill', async () => {
    const source = join(dataDir, 'source.db');
    await databaseWith(source, 3);
    const exported = join(dataDir, 'all.json');
    await exportData({ kind: 'sqlite', file: source }, exported, now);
    const text = readFileSync(exported, 'utf8');
    const fresh = join(dataDir, 'fresh');
    mkdirSync(fresh);
    const into = { kind: 'sqlite', file: join(fresh, 'hegezheng.db') } as const;
    writeFileSync(join(fresh, 'cut.json'), text.slice(0, text.indexOf('"c2"')));
    await expect(importData(into, join(fresh, 'cut.json'))).rejects.toThrow(/已损坏|不完整/);
    expect(readdirSync(fresh)).toEqual(['cut.json']);
    expect(await importData(into, exported)).toMatchObject({ certificates: 3 });
  });
});
