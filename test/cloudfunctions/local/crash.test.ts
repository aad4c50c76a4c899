/**
 * Nothing lost when the embedded runtime is killed: `node dist/server/main.js` as a child process,
 * SIGKILLed while producers are issuing 10,000-label certificates, then restarted on the same
 * data dir. Every certificate is there whole or not at all, a retry with the same request id
 * completes it exactly once, and SQLite's integrity check passes. The same for a roster import,
 * the product's longest run of writes (many transactions, resumed by its import id).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { importChunkSize } from '../../../cloudfunctions/directory/import';
import { labelCode } from '../../../src/domain/certificate';
import { freePort, runNode, waitHealthy, type Proc } from '../../helpers/processes';
import { issueInput, smallholder } from '../../helpers/runtime';
import { rosterRow, rosterXlsx } from '../directory/helpers';

const root = resolve(__dirname, '..', '..', '..');
const bundle = join(root, 'dist', 'server', 'main.js');
const labels = 10_000;

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
  dataDir = mkdtempSync(join(tmpdir(), 'hgz-crash-'));
}, 60_000);
afterAll(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function startServer(port: number): Promise<Proc> {
  const proc = runNode([bundle], root, {
    PORT: String(port),
    DATA_DIR: dataDir,
    STATIC_DIR: join(dataDir, 'no-h5'),
    NODE_ENV: 'test',
  });
  running.push(proc);
  await waitHealthy(`http://127.0.0.1:${port}`, proc, 30_000);
  return proc;
}

async function kill(proc: Proc): Promise<void> {
  proc.child.kill('SIGKILL');
  await proc.exited;
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

/** What the database file holds, read with a connection of its own (after a kill: recovering). */
function inspect(requestIds: readonly string[]) {
  const db = new Database(join(dataDir, 'hegezheng.db'));
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const json = (sql: string, ...params: unknown[]) =>
      (db.prepare(sql).all(...params) as { doc: string }[]).map((r) => JSON.parse(r.doc));
    const byRequest = new Map<string, { certificates: any[]; requests: any[]; audits: any[] }>();
    for (const requestId of requestIds) {
      const certificates = json(
        `SELECT doc FROM certificates WHERE json_extract(doc, '$.requestId') = ?`,
        requestId,
      );
      const requests = json(
        `SELECT doc FROM requests WHERE json_extract(doc, '$.requestId') = ?`,
        requestId,
      );
      const audits = certificates.flatMap((c) =>
        json(
          `SELECT doc FROM audit WHERE json_extract(doc, '$.entityId') = ? AND json_extract(doc, '$.action') = 'certificate.issue'`,
          c.code,
        ),
      );
      byRequest.set(requestId, { certificates, requests, audits });
    }
    return { integrity, byRequest };
  } finally {
    db.close();
  }
}

it('keeps every 10,000-label certificate whole or absent across SIGKILLs, and a retry completes it once', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server = await startServer(port);

  const login = await post(base, '/auth/dev-login', { newUser: true });
  const token = login.token as string;
  const reg = await post(base, '/api/subject', { action: 'register', input: smallholder() }, token);
  expect(reg.ok).toBe(true);
  const subjectId = reg.data._id as string;

  const figures: string[] = [];
  // Kill after the first answers arrived plus a varying delay, so the kill lands among writes.
  for (const [round, delayMs] of [0, 5, 15, 40, 90, 150].entries()) {
    const inputs = new Map<string, ReturnType<typeof issueInput>>();
    const answered = new Map<string, string>();
    let firstAnswer!: () => void;
    const oneAnswered = new Promise<void>((done) => (firstAnswer = done));
    let stopped = false;
    // Sixteen producers' apps, each issuing one certificate after another until the server dies.
    const producers = Array.from({ length: 16 }, async (_, p) => {
      for (let i = 0; !stopped; i++) {
        const input = issueInput(subjectId, {
          requestId: `crash-r${round}-p${p}-n${i}`,
          packages: labels,
          productName: `青菜${round}-${p}-${i}`,
        });
        inputs.set(input.requestId, input);
        try {
          const res = await post(base, '/api/certificate', { action: 'issue', input }, token);
          if (!res.ok) throw new Error(JSON.stringify(res.error));
          answered.set(input.requestId, res.data[0].code as string);
          firstAnswer();
        } catch (error) {
          if (!stopped && server.child.exitCode === null) throw error;
          return;
        }
      }
    });
    await oneAnswered;
    await new Promise((r) => setTimeout(r, delayMs));
    stopped = true;
    await kill(server);
    await Promise.all(producers);

    const requestIds = [...inputs.keys()];
    const after = inspect(requestIds);
    expect(after.integrity).toBe('ok');
    let unanswered = 0;
    let landedUnanswered = 0;
    for (const requestId of requestIds) {
      const { certificates, requests, audits } = after.byRequest.get(requestId)!;
      // Whole or absent: the certificate, its request record and its audit entry together.
      expect(certificates.length).toBeLessThanOrEqual(1);
      expect(requests).toHaveLength(certificates.length);
      expect(audits).toHaveLength(certificates.length);
      const cert = certificates[0];
      if (cert) {
        expect(cert.count).toBe(labels);
        expect(requests[0].codes).toEqual([cert.code]);
      }
      const code = answered.get(requestId);
      // Every answer the client got is durable.
      if (code) expect(cert?.code).toBe(code);
      else {
        unanswered += 1;
        if (cert) landedUnanswered += 1;
      }
    }
    // The kill fell while calls were in flight.
    expect(unanswered).toBeGreaterThan(0);

    server = await startServer(port);
    // The clients retry everything they have no answer for, with the same request ids.
    const retried = await Promise.all(
      requestIds
        .filter((id) => !answered.has(id))
        .map(async (id) => {
          const res = await post(
            base,
            '/api/certificate',
            { action: 'issue', input: inputs.get(id) },
            token,
          );
          expect(res).toMatchObject({ ok: true });
          return [id, res.data[0].code as string] as const;
        }),
    );
    for (const [id, code] of retried) {
      const before = after.byRequest.get(id)!.certificates[0];
      // A certificate that landed before the kill comes back as it was, not a second one.
      if (before) expect(code).toBe(before.code);
      answered.set(id, code);
    }
    // A retry of an answered request is answered alike.
    const [someId, someCode] = [...answered.entries()][0]!;
    const again = await post(
      base,
      '/api/certificate',
      { action: 'issue', input: inputs.get(someId) },
      token,
    );
    expect(again.data[0].code).toBe(someCode);

    const settled = inspect(requestIds);
    expect(settled.integrity).toBe('ok');
    for (const id of requestIds) {
      const { certificates, requests } = settled.byRequest.get(id)!;
      expect(certificates).toHaveLength(1);
      expect(requests).toHaveLength(1);
      expect(certificates[0].code).toBe(answered.get(id));
      expect(certificates[0].count).toBe(labels);
    }
    // Its labels answer as one certificate of 10,000: the last one is 第 10000 件.
    const lastLabel = labelCode(answered.get(requestIds.at(-1)!)!, labels - 1, labels);
    const lookup = await post(base, '/api/verify', {
      action: 'lookup',
      input: { code: lastLabel },
    });
    expect(lookup.data).toMatchObject({
      verdict: 'valid',
      label: { index: labels, count: labels },
    });
    figures.push(
      `round ${round + 1} (kill ${delayMs} ms after the first answer): ${requestIds.length} calls, ` +
        `${requestIds.length - unanswered} answered, ${unanswered} in flight ` +
        `(${landedUnanswered} had committed, ${unanswered - landedUnanswered} had not)`,
    );
  }
  await kill(server);
  const certificates = new Database(join(dataDir, 'hegezheng.db'), { readonly: true });
  try {
    const codes = certificates
      .prepare(`SELECT json_extract(doc, '$.code') AS code FROM certificates`)
      .all() as { code: string }[];
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
  } finally {
    certificates.close();
  }
  console.log(`SIGKILL during issuing:\n  ${figures.join('\n  ')}`);
}, 180_000);

it('resumes a roster import killed part-way: every chunk whole, every row once', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server = await startServer(port);
  const login = await post(base, '/auth/dev-login', { userId: 'demo-supervisor' });
  const token = login.token as string;
  const total = 1000;
  const base64 = await rosterXlsx(Array.from({ length: total }, (_, i) => rosterRow(i + 1)));
  const input = { base64, importId: 'crash-import-0001' };
  const call = () => post(base, '/api/directory', { action: 'import', input }, token);

  const watcher = new Database(join(dataDir, 'hegezheng.db'), { readonly: true });
  const written = (): number => {
    const row = watcher
      .prepare(`SELECT doc FROM importBatches WHERE json_extract(doc, '$.importId') = ?`)
      .get(input.importId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as { written: number }).written : 0;
  };
  const running = call().catch(() => null);
  // Kill once a few chunks are in, while the rest are being written.
  while (written() < importChunkSize * 4) await new Promise((r) => setTimeout(r, 5));
  await kill(server);
  watcher.close();
  expect(await running).toBeNull();

  const db = new Database(join(dataDir, 'hegezheng.db'));
  let atKill: { batch: number; subjects: number; audits: number };
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const batch = db
      .prepare(`SELECT doc FROM importBatches WHERE json_extract(doc, '$.importId') = ?`)
      .get(input.importId) as { doc: string };
    atKill = {
      batch: (JSON.parse(batch.doc) as { written: number }).written,
      subjects: n(
        `SELECT COUNT(*) AS n FROM subjects WHERE json_extract(doc, '$.name') LIKE '农户%号'`,
      ),
      audits: n(
        `SELECT COUNT(*) AS n FROM audit WHERE json_extract(doc, '$.action') = 'subject.import'`,
      ),
    };
  } finally {
    db.close();
  }
  // The progress record, the subjects and their audit entries moved together, chunk by chunk.
  expect(atKill.batch).toBeLessThan(total);
  expect(atKill.batch % importChunkSize).toBe(0);
  expect(atKill.subjects).toBe(atKill.batch);
  expect(atKill.audits).toBe(atKill.batch);

  server = await startServer(port);
  let report = await call();
  for (let i = 0; i < 10 && report.data?.outcome === 'in_progress'; i++) report = await call();
  expect(report).toMatchObject({ ok: true, data: { outcome: 'imported', imported: total } });
  await kill(server);

  const after = new Database(join(dataDir, 'hegezheng.db'), { readonly: true });
  try {
    const rows = after
      .prepare(
        `SELECT json_extract(doc, '$.identityFingerprint') AS f FROM subjects WHERE json_extract(doc, '$.name') LIKE '农户%号'`,
      )
      .all() as { f: string }[];
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.f)).size).toBe(total);
    const audits = after
      .prepare(
        `SELECT COUNT(*) AS n FROM audit WHERE json_extract(doc, '$.action') = 'subject.import'`,
      )
      .get() as { n: number };
    expect(audits.n).toBe(total);
  } finally {
    after.close();
  }
  console.log(`SIGKILL during a ${total}-row roster import: killed at ${atKill.batch}/${total}`);
}, 180_000);
