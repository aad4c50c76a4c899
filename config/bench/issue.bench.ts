/**
 * Issuing 10,000 per-package certificates through the real action (validation, transaction,
 * audit, idempotency record — on a real SQLite file) against the baseline: a bare SQLite insert
 * of the same 10,000 certificate rows in one transaction, the least any design could write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { certificateFunction } from '../../cloudfunctions/certificate/actions';
import { certificateCodeFromBytes, labelCode } from '../../src/domain/certificate';
import type { BenchResult } from './harness';
import { benchWorld, median } from './harness';

const N = 10_000;

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-bench-'));
  try {
    const { store, call, subjectId } = await benchWorld(dir, 'https://hgz.example.cn');

    let seq = 0;
    const ours: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      const res = await call(certificateFunction as never, 'issue', {
        requestId: `bench-${seq++}-${Date.now()}`,
        subjectId,
        productName: '青菜',
        quantity: { value: '5', unit: 'jin' },
        origin: '连云区墟沟街道东山村',
        basis: ['quality_control'],
        packages: N,
      });
      ours.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (!res.ok) throw new Error(JSON.stringify(res.error));
    }
    await store.close();

    // Baseline: the same 10,000 certificate rows, inserted bare in one transaction.
    const db = new Database(join(dir, 'bare.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE certificates (_id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO certificates (_id, doc) VALUES (?, ?)');
    const bare: number[] = [];
    for (let i = 0; i < 5; i++) {
      const base = certificateCodeFromBytes(Buffer.from(`bench${i}....`).subarray(0, 10));
      const rows = Array.from({ length: N }, (_, k) => {
        const code = labelCode(base, k, N);
        return [
          code,
          JSON.stringify({ _id: code, subjectId, productName: '青菜', issueUnit: 'package' }),
        ];
      });
      const t0 = process.hrtime.bigint();
      db.transaction(() => {
        for (const [code, doc] of rows) insert.run(code, doc);
      })();
      bare.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    db.close();

    const oursMs = median(ours);
    const bareMs = median(bare);
    return [
      {
        name: 'issue 10,000 package labels (action, one record)',
        value: oursMs,
        unit: 'ms',
        baseline: { name: 'bare SQLite insert of 10,000 rows', value: bareMs },
        ratio: oursMs / bareMs,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
