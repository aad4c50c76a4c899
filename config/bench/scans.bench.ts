/**
 * The verify hot path where copy detection costs most: a label of a 10,000-package certificate
 * whose labels have been scanned 60,000 times in all. Each verification reads that label's recent
 * scans; measured with migration 7's index by code, label and time, against the baseline of the
 * index it replaced (by code alone, which leads through every scan of every label of the
 * certificate), on the same file in the same run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateFunction, type OwnCertificate } from '../../cloudfunctions/certificate/actions';
import { ed25519Signer } from '../../cloudfunctions/kit/signer';
import { sqliteHandle } from '../../cloudfunctions/kit/store/sqlite';
import { lookupCertificate } from '../../cloudfunctions/verify/actions';
import { labelCode } from '../../src/domain/certificate';
import type { Scan } from '../../src/domain/scan';
import { benchWorld, median, type BenchResult } from './harness';

const labels = 10_000;
const scansPerLabel = 6;
const lookups = 400;

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-bench-scans-'));
  try {
    const { store, config, call, subjectId } = await benchWorld(dir, 'https://hgz.example.cn');
    const res = await call(certificateFunction as never, 'issue', {
      requestId: 'bench-scans-big',
      subjectId,
      productName: '青菜',
      quantity: { value: '5', unit: 'jin' },
      origin: '连云区墟沟街道东山村',
      basis: ['quality_control'],
      packages: labels,
    });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    const code = (res.data as OwnCertificate[])[0]!.code;
    const now = Date.now();
    await store.transaction(async (tx) => {
      const scans = tx.collection<Scan>('scans');
      for (let k = 0; k < labels * scansPerLabel; k++) {
        await scans.insert({
          _id: `scan_${randomBytes(12).toString('hex')}`,
          code,
          label: labelCode(code, k % labels, labels),
          at: new Date(now - (k % 20_000) * 60_000).toISOString(),
          channel: 'consumer',
          scannerKey: randomBytes(16).toString('base64url'),
          place: null,
          signature: 'valid',
        });
      }
    });
    const signer = ed25519Signer(config.signingKey);
    const ctx = { store, config, signer, now: () => new Date() };
    const timeLookups = async (offset: number): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < lookups; i++) {
        const label = labelCode(code, (offset + i * 37) % labels, labels);
        const t0 = process.hrtime.bigint();
        const result = await lookupCertificate(ctx, `https://hgz.example.cn/c/${label}`, {
          signature: signer.sign(label),
        });
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (result.verdict !== 'valid') throw new Error(`label ${label}: ${result.verdict}`);
      }
      return median(times);
    };

    await timeLookups(0);
    const ours = await timeLookups(1);
    const db = sqliteHandle(store)!;
    db.exec(`CREATE INDEX scans_code ON scans (json_extract(doc, '$.code'));
             DROP INDEX scans_code_label_at;`);
    await timeLookups(2);
    const before = await timeLookups(3);
    await store.close();
    return [
      {
        name: `verify a label of a ${labels}-package certificate (${labels * scansPerLabel} scans of its labels)`,
        value: ours,
        unit: 'ms',
        baseline: {
          name: 'the same with the index by code alone (before migration 7)',
          value: before,
        },
        ratio: ours / before,
        note: 'median of 400 lookups in process: signature, certificate, scan written, scans read',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
