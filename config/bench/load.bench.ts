/**
 * Verification under load: 32 concurrent clients for 60 s (BENCH_LOAD_SECONDS) against
 * `GET /c/<label>?s=<signature>` on the real server (the bundle `npm start` runs, in production
 * configuration, as a child process) over a database of 100,000 certificates
 * (BENCH_LOAD_CERTIFICATES) and 100,000 earlier scans, cycling through 20,000 distinct labels;
 * against the baseline of a bare node:http server answering a fixed page of the same size, loaded
 * the same way in the same run.
 *
 * The verify path allows one address 30 requests at once, then 60 a minute. The server runs as
 * it would behind a reverse proxy (TRUST_PROXY=1) and each request carries the address of one of
 * 20,000 phones in X-Forwarded-For, so no phone comes near its limit: the limit is in force, and
 * a 429 would count (apart from other errors).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { generateSigningKey } from '../../cloudfunctions/kit/signer';
import {
  buildServerBundle,
  clientAddress,
  repoRoot,
  seedCertificates,
  startServer,
} from '../../test/helpers/load';
import { stop } from '../../test/helpers/processes';
import type { BenchResult } from './harness';

const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const certificates = Number(process.env.BENCH_LOAD_CERTIFICATES ?? 100_000);
const connections = 32;
const labels = 20_000;
const phones = 20_000;

interface Load {
  rps: number;
  requests: number;
  ok: number;
  limited: number;
  errors: number;
  p99: number;
}

async function load(base: string, paths: string[]): Promise<Load> {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const k = i++;
          return {
            ...req,
            path: paths[k % paths.length],
            headers: { 'x-forwarded-for': clientAddress(k, phones) },
          };
        },
      },
    ],
  } as unknown as autocannon.Options);
  const byStatus = (result as unknown as { statusCodeStats?: Record<string, { count: number }> })
    .statusCodeStats;
  const count = (code: string) => byStatus?.[code]?.count ?? 0;
  const ok = result['2xx'];
  const limited = count('429');
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    ok,
    limited,
    // Anything but a 2xx or a 429, and every socket error or timeout.
    errors: result.non2xx - limited + result.errors + result.timeouts,
    p99: result.latency.p99,
  };
}

/** The baseline's child: a bare node:http server answering `page` to every request. */
function serveBare(): void {
  process.once('message', (page: unknown) => {
    const body = Buffer.from(String(page));
    const server = http.createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': body.length,
      });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () =>
      process.send!(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
  process.on('SIGTERM', () => process.exit(0));
}

async function measureBare(page: string): Promise<Load> {
  const child = fork(__filename, [], { env: { ...process.env, BENCH_LOAD_ROLE: 'bare' } });
  try {
    const base = await new Promise<string>((done, fail) => {
      child.once('message', (m) => done(String(m)));
      child.once('exit', (code) => fail(new Error(`bare server exited ${code}`)));
      child.send(page);
    });
    return await load(base, ['/']);
  } finally {
    child.kill('SIGTERM');
  }
}

export async function run(): Promise<BenchResult[]> {
  const root = repoRoot(__dirname);
  buildServerBundle(root);
  const dataDir = mkdtempSync(join(tmpdir(), 'hgz-bench-load-'));
  try {
    const config = {
      publicBaseUrl: 'https://hgz.example.cn',
      identitySecret: 'bench-load-identity-secret-0123456789abcdef',
      signingKey: generateSigningKey(),
    };
    const t0 = Date.now();
    const world = await seedCertificates(dataDir, config, {
      certificates,
      scans: 100_000,
      labels,
    });
    const seedSeconds = (Date.now() - t0) / 1000;

    const { base, proc } = await startServer(root, dataDir, config);
    let ours: Load;
    let page: string;
    try {
      const sample = await fetch(`${base}${world.paths[0]}`, {
        headers: { 'x-forwarded-for': '192.0.2.1' },
      });
      page = await sample.text();
      if (sample.status !== 200 || !page.includes('✓ 有效')) {
        throw new Error(`the verify page did not say 有效 (${sample.status})`);
      }
      ours = await load(base, world.paths);
    } finally {
      await stop(proc);
    }
    const bare = await measureBare(page);
    return [
      {
        name: `verify /c/<label>?s= over ${world.certificates} certificates (${connections} clients, ${seconds} s, ${world.paths.length} labels)`,
        value: ours.rps,
        unit: 'req/s',
        baseline: { name: 'bare node:http fixed page', value: bare.rps },
        ratio: ours.rps / bare.rps,
        note:
          `${ours.requests} requests: ${ours.ok} 2xx, ${ours.limited} 429, ${ours.errors} errors; ` +
          `p99 ${ours.p99} ms; baseline errors ${bare.errors}; page ${Buffer.byteLength(page)} bytes; ` +
          `database built in ${seedSeconds.toFixed(0)} s`,
      },
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.env.BENCH_LOAD_ROLE === 'bare') serveBare();
