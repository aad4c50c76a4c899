/**
 * Issuing under concurrency, through the real server (the bundle `npm start` runs, as a child
 * process, over HTTP): certificates a second when 8 producers issue at once, each one request
 * after another, against the baseline of 1 producer alone in the same run (BENCH_ISSUES per
 * producer, default 150). Correctness under the same load is test/cloudfunctions/local/load.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  apiOk,
  buildServerBundle,
  issueRequest,
  registerProducers,
  repoRoot,
  startDevServer,
  type Producer,
} from '../../test/helpers/load';
import { stop } from '../../test/helpers/processes';
import type { BenchResult } from './harness';

const perProducer = Number(process.env.BENCH_ISSUES ?? 150);

async function issueAll(base: string, team: Producer[], tag: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  await Promise.all(
    team.map(async (p, k) => {
      for (let i = 0; i < perProducer; i++) {
        await apiOk(
          base,
          'certificate',
          'issue',
          issueRequest(p.subjectId, `bench-${tag}-${k}-${i}`, i),
          p.token,
        );
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return (team.length * perProducer) / seconds;
}

export async function run(): Promise<BenchResult[]> {
  const root = repoRoot(__dirname);
  buildServerBundle(root);
  const dataDir = mkdtempSync(join(tmpdir(), 'hgz-bench-issuers-'));
  try {
    const { base, proc } = await startDevServer(root, dataDir);
    try {
      const team = await registerProducers(base, 8);
      await issueAll(base, team.slice(0, 1), 'warm');
      const one = await issueAll(base, team.slice(0, 1), 'one');
      const eight = await issueAll(base, team, 'eight');
      return [
        {
          name: `issue over HTTP, 8 producers at once (${perProducer} requests each, one after another)`,
          value: eight,
          unit: 'certificates/s',
          baseline: { name: '1 producer alone', value: one },
          ratio: eight / one,
        },
      ];
    } finally {
      await stop(proc);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
