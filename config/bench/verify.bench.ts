/**
 * Verify-page throughput: `GET /c/<label>?s=<signature>` on the embedded server over a SQLite
 * file of certificates, against the baseline of a bare node:http server answering a fixed page of
 * the same size. Each server runs in a child process of its own (this file, forked with a role),
 * and autocannon loads it from this process over loopback.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { certificateFunction, type OwnCertificate } from '../../cloudfunctions/certificate/actions';
import { createLocalServer } from '../../cloudfunctions/local/server';
import { benchWorld, type BenchResult } from './harness';

const certificates = Number(process.env.BENCH_CERTIFICATES ?? 2_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = 16;
/** The page a cheap phone opens on a market's weak signal: "a few KB" (README). */
const verifyPageBudgetKb = 8;

function listen(server: http.Server): Promise<string> {
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

async function load(base: string, paths: string[]): Promise<{ rps: number; errors: number }> {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => ({
          ...req,
          path: paths[i++ % paths.length],
        }),
      },
    ],
  } as unknown as autocannon.Options);
  return { rps: result.requests.average, errors: result.errors + result.non2xx };
}

interface Ready {
  base: string;
  paths: string[];
  sample: string;
}

/** The child's side: set up a server, tell the parent where it is, serve until killed. */
async function serve(role: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-bench-verify-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  process.on('SIGTERM', () => process.exit(0));
  const { store, config, call, subjectId } = await benchWorld(dir, 'http://127.0.0.1');
  const paths: string[] = [];
  for (let k = 0; k < (role === 'ours' ? certificates : 1); k++) {
    const res = await call(certificateFunction as never, 'issue', {
      requestId: `bench-verify-${k}`,
      subjectId,
      productName: '青菜',
      quantity: { value: '5', unit: 'jin' },
      origin: '连云区墟沟街道东山村',
      basis: ['quality_control'],
    });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    const url = new URL((res.data as OwnCertificate[])[0]!.verifyUrl);
    paths.push(url.pathname + url.search);
  }
  const unlimited = { burst: 1e9, perMinute: 1e9 };
  const ours = createLocalServer({
    store,
    config,
    staticDir: null,
    rateLimits: { verify: unlimited, login: unlimited },
  });
  const oursBase = await listen(ours);
  const sample = await (await fetch(`${oursBase}${paths[0]}`)).text();
  if (role === 'ours') {
    process.send!({ base: oursBase, paths, sample } satisfies Ready);
    return;
  }
  ours.close();
  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(sample);
  });
  process.send!({ base: await listen(bare), paths: ['/'], sample } satisfies Ready);
}

async function measure(role: 'ours' | 'bare') {
  const child = fork(__filename, [], { env: { ...process.env, BENCH_VERIFY_ROLE: role } });
  try {
    const ready = await new Promise<Ready>((done, fail) => {
      child.once('message', (m) => done(m as Ready));
      child.once('exit', (code) => fail(new Error(`bench server exited ${code}`)));
    });
    return {
      ...(await load(ready.base, ready.paths)),
      bytes: Buffer.byteLength(ready.sample),
      gzip: gzipSync(ready.sample).length,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

export async function run(): Promise<BenchResult[]> {
  const b = await measure('bare');
  const o = await measure('ours');
  return [
    {
      name: `verify page over ${certificates} certificates (${connections} connections, ${seconds} s)`,
      value: o.rps,
      unit: 'req/s',
      baseline: { name: 'bare node:http fixed page', value: b.rps },
      ratio: o.rps / b.rps,
      note: `errors ${o.errors}, baseline errors ${b.errors}, page ${o.bytes} bytes`,
    },
    {
      name: 'verify page size (a valid per-package label, HTML with its inline CSS)',
      value: o.bytes / 1024,
      unit: 'KB',
      limit: verifyPageBudgetKb,
      note: `${(o.gzip / 1024).toFixed(1)} KB gzip; no script, no other request`,
    },
  ];
}

if (process.env.BENCH_VERIFY_ROLE) {
  serve(process.env.BENCH_VERIFY_ROLE).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
