/**
 * The bundled server under concurrent use, run for real as a child process: eight producers
 * issuing and registering paper forms at once lose nothing and duplicate nothing, and the verify
 * page answers 32 clients at once without an error, recording every scan. Correctness only: the
 * speeds are in `npm run bench` (config/bench/load.bench.ts, issuers.bench.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { chinaDate, labelCode, type Certificate } from '../../../src/domain/certificate';
import { chinaYear, formatPaperSerial } from '../../../src/domain/paper';
import type { OwnCertificate } from '../../../cloudfunctions/certificate/actions';
import type { RegisteredPaperForm } from '../../../cloudfunctions/paper/actions';
import {
  api,
  apiOk,
  buildServerBundle,
  clientAddress,
  devLogin,
  issueRequest,
  registerProducers,
  seedCertificates,
  startDevServer,
  startServer,
} from '../../helpers/load';
import { stop, type Proc } from '../../helpers/processes';
import { testSigningKey } from '../../helpers/runtime';

const root = resolve(__dirname, '..', '..', '..');
let dataDir: string;
let running: Proc | null = null;

beforeAll(() => buildServerBundle(root), 60_000);
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'hgz-load-'));
});
afterEach(() => {
  if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
  running = null;
  rmSync(dataDir, { recursive: true, force: true });
});

/** The rows of a table in the server's file (read after it stopped), and its integrity check. */
function readFile(): { docs: (table: string) => Record<string, unknown>[]; integrity: string } {
  const db = new Database(join(dataDir, 'hegezheng.db'), { readonly: true });
  try {
    const tables = ['certificates', 'paperSerials', 'requests', 'formRanges', 'scans'];
    const all = new Map(
      tables.map((t) => [
        t,
        (db.prepare(`SELECT doc FROM ${t}`).all() as { doc: string }[]).map(
          (r) => JSON.parse(r.doc) as Record<string, unknown>,
        ),
      ]),
    );
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? '';
    return { docs: (t) => all.get(t) ?? [], integrity };
  } finally {
    db.close();
  }
}

const producers = 8;
const perProducer = 12;
const formsPerProducer = 6;

it('eight producers issuing at once: no duplicate codes, labels or serials, nothing lost', async () => {
  const { base, proc } = await startDevServer(root, dataDir);
  running = proc;
  const team = await registerProducers(base, producers);
  const supervisor = await devLogin(base, 'demo-supervisor');
  const now = new Date();
  const year = chinaYear(now);
  const today = chinaDate(now);

  // The street office hands each producer its own run of forms, all at once; and eight clerks
  // try to hand out the same run at the same moment: exactly one of those may win.
  const ranges = await Promise.all(
    team.map((p, k) =>
      api(
        base,
        'paper',
        'allocate',
        { subjectId: p.subjectId, from: k * 100 + 1, to: k * 100 + 50 },
        supervisor,
      ),
    ),
  );
  expect(ranges.every((r) => r.ok)).toBe(true);
  const contested = await Promise.all(
    team.map((p) =>
      api(base, 'paper', 'allocate', { subjectId: p.subjectId, from: 5001, to: 5010 }, supervisor),
    ),
  );
  expect(contested.filter((r) => r.ok)).toHaveLength(1);
  expect(contested.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(
    Array(producers - 1).fill('CONFLICT'),
  );

  // Everyone at once: each producer issues its certificates and registers its paper forms in
  // parallel, sends one issue twice (a retry racing the original), and one form twice.
  const results = await Promise.all(
    team.map(async (p, k) => {
      const issues = Array.from({ length: perProducer }, (_, i) =>
        issueRequest(p.subjectId, `load-${k}-${i}-${Date.now()}`, k + i),
      );
      const forms = Array.from({ length: formsPerProducer }, (_, i) => ({
        subjectId: p.subjectId,
        serial: formatPaperSerial({ prefix: 'XG', year, number: k * 100 + 1 + i }),
        productName: '番茄',
        quantity: { value: '20', unit: 'kg' },
        origin: '连云区墟沟街道东山村',
        issueDate: today,
        basis: ['quality_control'],
      }));
      const [issued, retried, registered, again] = await Promise.all([
        Promise.all(
          issues.map((input) =>
            apiOk<OwnCertificate[]>(base, 'certificate', 'issue', input, p.token),
          ),
        ),
        apiOk<OwnCertificate[]>(base, 'certificate', 'issue', issues[0], p.token),
        Promise.all(
          forms.map((input) =>
            apiOk<RegisteredPaperForm>(base, 'paper', 'register', input, p.token),
          ),
        ),
        apiOk<RegisteredPaperForm>(base, 'paper', 'register', forms[0], p.token),
      ]);
      return { p, issued: issued.map((c) => c[0]!), retried: retried[0]!, registered, again };
    }),
  );
  const mine = await Promise.all(
    team.map((p) => apiOk<OwnCertificate[]>(base, 'certificate', 'mine', { limit: 200 }, p.token)),
  );
  expect(await stop(proc)).toBe(0);

  for (const [k, r] of results.entries()) {
    // The retries came back with the very certificates of the first sends.
    expect(r.retried.code).toBe(r.issued[0]!.code);
    expect(r.again.code).toBe(r.registered[0]!.code);
    // Each producer sees exactly what it issued and registered, and nothing of anyone else's.
    expect(mine[k]!.map((c) => c.code).sort()).toEqual(
      [...r.issued, ...r.registered].map((c) => c.code).sort(),
    );
  }

  const file = readFile();
  expect(file.integrity).toBe('ok');
  const stored = file.docs('certificates') as unknown as Certificate[];
  const expected = producers * (perProducer + formsPerProducer);
  const demo = stored.filter((c) => !team.some((p) => p.subjectId === c.subjectId));
  expect(stored.length - demo.length).toBe(expected);
  const codes = stored.map((c) => c.code);
  expect(new Set(codes).size).toBe(codes.length);
  const labels = stored.flatMap((c) =>
    Array.from({ length: c.count }, (_, i) => labelCode(c.code, i, c.count)),
  );
  expect(new Set(labels).size).toBe(labels.length);
  const ours = stored.filter((c) => c.issueUnit === 'package' && c.form === 'electronic');
  expect(ours.length).toBeGreaterThan(0);
  // Every form number is one certificate, in the range of the producer who registered it.
  const serials = file.docs('paperSerials');
  expect(serials).toHaveLength(producers * formsPerProducer);
  expect(new Set(serials.map((s) => s._id)).size).toBe(serials.length);
  expect(new Set(serials.map((s) => s.code)).size).toBe(serials.length);
  const paper = stored.filter((c) => c.form === 'paper');
  expect(paper.map((c) => c.serial).sort()).toEqual(serials.map((s) => s._id).sort());
  const storedRanges = file.docs('formRanges') as { subjectId: string; used: number[] }[];
  for (const p of team) {
    const used = storedRanges.filter((r) => r.subjectId === p.subjectId).flatMap((r) => r.used);
    expect(used).toHaveLength(formsPerProducer);
  }
  // One request record per issue: the retries wrote nothing.
  const requests = file.docs('requests').filter((r) => String(r.requestId).startsWith('load-'));
  expect(requests).toHaveLength(producers * perProducer);
}, 120_000);

it('the verify page answers 32 clients at once without an error, and records every scan', async () => {
  const config = {
    publicBaseUrl: 'https://hgz.example.cn',
    identitySecret: 'load-test-identity-secret-0123456789abcdef',
    signingKey: testSigningKey,
  };
  const world = await seedCertificates(dataDir, config, {
    certificates: 2_000,
    scans: 2_000,
    labels: 1_000,
  });
  const { base, proc } = await startServer(root, dataDir, config);
  running = proc;

  let next = 0;
  const answers = new Map<number, number>();
  const failures: string[] = [];
  const until = Date.now() + 4_000;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (Date.now() < until) {
        const k = next++;
        const res = await fetch(`${base}${world.paths[k % world.paths.length]}`, {
          headers: { 'x-forwarded-for': clientAddress(k, 5_000) },
        });
        const html = await res.text();
        answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
        // Every label exists: it reads 有效, or 已撤销 for the revoked ones.
        if (res.status !== 200 || !/✓ 有效|已撤销/.test(html)) {
          failures.push(`${res.status} ${html.slice(0, 200)}`);
        }
      }
    }),
  );
  expect(await stop(proc)).toBe(0);

  expect(failures).toEqual([]);
  expect([...answers.keys()]).toEqual([200]);
  expect(next).toBeGreaterThan(32);
  // Each verification wrote its scan: none was lost in the crowd.
  const file = readFile();
  expect(file.integrity).toBe('ok');
  expect(file.docs('scans')).toHaveLength(world.scans + next);
}, 120_000);
