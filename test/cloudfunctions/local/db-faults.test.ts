/**
 * The embedded server over real HTTP with a database that is full or read-only: writes answer a
 * clear Chinese UNAVAILABLE and leave nothing half-written, while verification keeps answering.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { RuntimeConfig } from '../../../cloudfunctions/kit/action';
import type { Store } from '../../../cloudfunctions/kit/store/port';
import { openSqliteStore, sqliteHandle } from '../../../cloudfunctions/kit/store/sqlite';
import { createLocalServer } from '../../../cloudfunctions/local/server';
import { labelCode } from '../../../src/domain/certificate';
import { freePort, runNode, stop, waitHealthy, type Proc } from '../../helpers/processes';
import { issueInput, smallholder, testSigningKey } from '../../helpers/runtime';

const config: RuntimeConfig = {
  publicBaseUrl: 'https://hgz.example.cn',
  identitySecret: 'test-identity-secret',
  signingKey: testSigningKey,
};

let dir: string;
let consoleError: jest.SpiedFunction<typeof console.error>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hgz-db-faults-'));
  // The verify path logs a scan it could not record; the tests read that log instead of printing it.
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  consoleError.mockRestore();
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  base: string;
  logged: unknown[][];
  close(): Promise<void>;
}

async function serve(store: Store): Promise<Running> {
  const logged: unknown[][] = [];
  const server = createLocalServer({
    store,
    config,
    staticDir: null,
    logError: (...args) => logged.push(args),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    logged,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
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
  return { status: res.status, json: (await res.json()) as any };
}

/** A producer with one issued certificate; its token, subject and certificate code. */
async function producerWithCertificate(base: string) {
  const login = await post(base, '/auth/dev-login', { newUser: true });
  const token = login.json.token as string;
  const reg = await post(base, '/api/subject', { action: 'register', input: smallholder() }, token);
  const subjectId = reg.json.data._id as string;
  const issued = await post(
    base,
    '/api/certificate',
    { action: 'issue', input: issueInput(subjectId, { packages: 100 }) },
    token,
  );
  expect(issued.json.ok).toBe(true);
  return { token, subjectId, code: issued.json.data[0].code as string };
}

/** Row counts of the tables an issue writes, and of scans. */
function counts(store: Store) {
  const db = sqliteHandle(store)!;
  const n = (table: string) =>
    (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    certificates: n('certificates'),
    requests: n('requests'),
    audit: n('audit'),
    subjectDefaults: n('subjectDefaults'),
  };
}

async function expectVerificationServed(base: string, code: string) {
  const page = await fetch(`${base}/c/${labelCode(code, 0, 100)}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('✓ 有效');
  const lookup = await post(base, '/api/verify', {
    action: 'lookup',
    input: { code: labelCode(code, 99, 100) },
  });
  expect(lookup.json).toMatchObject({
    ok: true,
    data: { verdict: 'valid', label: { index: 100, count: 100 } },
  });
}

it('answers “存储空间已满” when the database is full, writes nothing partial, and keeps verifying', async () => {
  const store = openSqliteStore({ file: join(dir, 'full.db') });
  const rt = await serve(store);
  try {
    const { token, subjectId, code } = await producerWithCertificate(rt.base);
    // No page beyond those it has: the state of a full disk, for this connection.
    const db = sqliteHandle(store)!;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

    // Issue until a write needs a page it cannot get; each call lands whole or not at all.
    let refused: { status: number; json: any } | null = null;
    let refusedRequestId = '';
    let landed = 1;
    for (let i = 0; i < 200 && !refused; i++) {
      const before = counts(store);
      const input = issueInput(subjectId, { packages: 10_000, productName: `青菜${i}` });
      const res = await post(rt.base, '/api/certificate', { action: 'issue', input }, token);
      if (res.json.ok) {
        landed += 1;
        continue;
      }
      refused = res;
      refusedRequestId = input.requestId;
      expect(counts(store)).toEqual(before);
    }
    expect(refused).not.toBeNull();
    expect(refused!.status).toBe(503);
    expect(refused!.json.error).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('存储空间已满，本次操作未保存'),
    });
    const after = counts(store);
    expect(after.certificates).toBe(landed);
    expect(after.requests).toBe(landed);
    const leftovers = db
      .prepare(`SELECT COUNT(*) AS n FROM certificates WHERE json_extract(doc, '$.requestId') = ?`)
      .get(refusedRequestId) as { n: number };
    expect(leftovers.n).toBe(0);
    expect(rt.logged.some(([m]) => String(m).includes('storage unavailable'))).toBe(true);

    console.log(`database full after ${landed} certificates`);
    await expectVerificationServed(rt.base, code);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    await rt.close();
    await store.close();
  }
});

it('answers “数据库当前只读” on a read-only database, changes nothing, and keeps verifying', async () => {
  const file = join(dir, 'ro.db');
  const writable = openSqliteStore({ file });
  const first = await serve(writable);
  const { token, subjectId, code } = await producerWithCertificate(first.base);
  await first.close();
  await writable.close();

  const store = openSqliteStore({ file, readonly: true });
  const rt = await serve(store);
  try {
    const before = counts(store);
    const issue = await post(
      rt.base,
      '/api/certificate',
      { action: 'issue', input: issueInput(subjectId, { packages: 10_000 }) },
      token,
    );
    expect(issue.status).toBe(503);
    expect(issue.json).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringContaining('数据库当前只读') },
    });
    const login = await post(rt.base, '/auth/dev-login', { newUser: true });
    expect(login.status).toBe(503);
    expect(login.json.error).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('数据库当前只读'),
    });
    // Reading what is there still works for the signed-in producer.
    const mine = await post(rt.base, '/api/certificate', { action: 'mine', input: {} }, token);
    expect(mine.json.ok).toBe(true);
    expect(mine.json.data.map((c: { code: string }) => c.code)).toEqual([code]);

    await expectVerificationServed(rt.base, code);
    // The scans could not be logged; the verdicts did not suffer, and the log says why.
    expect(counts(store)).toEqual(before);
    expect(
      (sqliteHandle(store)!.prepare('SELECT COUNT(*) AS n FROM scans').get() as { n: number }).n,
    ).toBe(0);
    expect(consoleError.mock.calls.filter(([m]) => m === 'scan not recorded')).toHaveLength(2);
  } finally {
    await rt.close();
    await store.close();
  }
});

describe('the real runtime over a database file it may not write', () => {
  const root = resolve(__dirname, '..', '..', '..');
  const bundle = join(root, 'dist', 'server', 'main.js');
  const running: Proc[] = [];
  beforeAll(() => {
    execFileSync(
      process.execPath,
      [join(root, 'config', 'scripts', 'build-functions.mjs'), '--server'],
      { cwd: root, stdio: 'pipe' },
    );
  }, 60_000);
  afterEach(() => {
    for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  });

  async function start(port: number, as?: { uid: number; gid: number }): Promise<Proc> {
    const env = { PORT: String(port), DATA_DIR: dir, STATIC_DIR: join(dir, 'no-h5') };
    const proc = runNode([bundle], root, { ...env, NODE_ENV: 'test' }, as);
    running.push(proc);
    await waitHealthy(`http://127.0.0.1:${port}`, proc, 30_000);
    return proc;
  }

  it('starts on a read-only hegezheng.db (chmod 444), refuses writes clearly and verifies', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = await start(port);
    const { token, subjectId, code } = await producerWithCertificate(base);
    expect(await stop(first)).toBe(0);

    const dbFile = join(dir, 'hegezheng.db');
    // Root writes whatever the mode says; the server then runs as an ordinary user.
    const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    if (as) execFileSync('chown', ['-R', `${as.uid}:${as.gid}`, dir]);
    chmodSync(dbFile, 0o444);
    const readonly = await start(port, as);

    const issue = await post(
      base,
      '/api/certificate',
      { action: 'issue', input: issueInput(subjectId, { packages: 10_000 }) },
      token,
    );
    expect(issue.status).toBe(503);
    expect(issue.json.error).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('数据库当前只读，本次操作未保存'),
    });
    const login = await post(base, '/auth/dev-login', { newUser: true });
    expect(login.json.error.message).toContain('数据库当前只读');
    await expectVerificationServed(base, code);
    expect(await stop(readonly)).toBe(0);

    chmodSync(dbFile, 0o644);
    const db = new Database(dbFile);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const n = (t: string) =>
        (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
      expect([n('certificates'), n('scans')]).toEqual([4, 0]);
    } finally {
      db.close();
    }
  }, 120_000);
});
