/**
 * 扫码记录 — writing scans and reading them back for the 疑似复制 rule.
 *
 * Scans are small (about 200 bytes) and read by certificate code and label, which both adapters
 * index (`scans_code_label_at` in SQLite; on CloudBase create an index on `code` + `label` + `at`).
 */
import { createHmac, randomBytes as nodeRandomBytes } from 'node:crypto';
import type { Certificate } from '../../src/domain/certificate';
import {
  channelOfRoles,
  copySuspicion,
  type CopySuspicion,
  type Scan,
  type ScanChannel,
  type SignatureState,
} from '../../src/domain/scan';
import type { Ctx } from '../kit/action';
import { StoreUnavailableError, type Store } from '../kit/store/port';

/**
 * The most recent scans of one label read to judge it. The largest threshold is 500 scanners, so
 * this many scans settle every verdict the policy can reach.
 */
export const scansReadPerLabel = 2000;

/** What recording a scan needs from the call. */
export type ScanCtx = Pick<Ctx, 'store' | 'now' | 'config'> &
  Partial<Pick<Ctx, 'caller' | 'client' | 'randomBytes'>>;

/**
 * The scanner's key for one label: an HMAC (keyed with the identity secret) of the label and the
 * user id, or else of the client address and browser. Salting with the label keeps one person's
 * scans of different labels unlinkable; the address itself is never kept.
 */
export function scannerKeyOf(ctx: ScanCtx, label: string): string {
  const who = ctx.caller
    ? `user:${ctx.caller.userId}`
    : `client:${ctx.client?.ip ?? ''}|${ctx.client?.userAgent ?? ''}`;
  return createHmac('sha256', ctx.config.identitySecret)
    .update(`hgz-scanner-v1|${label}|${who}`)
    .digest('base64url')
    .slice(0, 22);
}

export function channelOf(ctx: ScanCtx): ScanChannel {
  return channelOfRoles(ctx.caller?.roles);
}

interface PendingScan {
  scan: Scan;
  done: () => void;
  fail: (error: unknown) => void;
}

/**
 * Group commit: the scans of verifications arriving together are written in one transaction (one
 * commit instead of one each: on SQLite the commit, not the row, is most of the cost), and each
 * caller still returns only once its own scan is stored. A lone scan is a plain insert, so a
 * store that serves one call at a time (a CloudBase container) writes exactly as before.
 */
class ScanWriter {
  private pending: PendingScan[] = [];

  constructor(private readonly store: Store) {}

  write(scan: Scan): Promise<void> {
    return new Promise<void>((done, fail) => {
      this.pending.push({ scan, done, fail });
      // The scans of every request that reaches this point in the same turn join the batch.
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 1) {
      try {
        await this.store.transaction(async (tx) => {
          const scans = tx.collection<Scan>('scans');
          for (const p of batch) await scans.insert(p.scan);
        });
        for (const p of batch) p.done();
        return;
      } catch (error) {
        // Nothing of the batch was stored. A database that refuses service (busy, full,
        // read-only) would refuse each scan again, each after its own busy timeout: fail them
        // all now. Otherwise the fault may be one scan's (a taken id): write each alone, so one
        // bad scan fails only itself.
        if (error instanceof StoreUnavailableError) {
          for (const p of batch) p.fail(error);
          return;
        }
      }
    }
    const scans = this.store.collection<Scan>('scans');
    for (const p of batch) {
      try {
        await scans.insert(p.scan);
        p.done();
      } catch (error) {
        p.fail(error);
      }
    }
  }
}

const writers = new WeakMap<Store, ScanWriter>();

function scanWriterOf(store: Store): ScanWriter {
  let writer = writers.get(store);
  if (!writer) {
    writer = new ScanWriter(store);
    writers.set(store, writer);
  }
  return writer;
}

/** Records one scan of an existing label. */
export async function recordScan(
  ctx: ScanCtx,
  cert: Pick<Certificate, 'code'>,
  label: string,
  signature: SignatureState,
  place: string | null,
): Promise<Scan> {
  const random = ctx.randomBytes ?? nodeRandomBytes;
  const scan: Scan = {
    _id: `scan_${Buffer.from(random(12)).toString('hex')}`,
    code: cert.code,
    label,
    at: ctx.now().toISOString(),
    channel: channelOf(ctx),
    scannerKey: scannerKeyOf(ctx, label),
    place,
    signature,
  };
  await scanWriterOf(ctx.store).write(scan);
  return scan;
}

/** The most recent scans of one label (newest first). */
export function recentScansOfLabel(
  ctx: Pick<Ctx, 'store'>,
  code: string,
  label: string,
): Promise<Scan[]> {
  return ctx.store
    .collection<Scan>('scans')
    .find(
      { code, label },
      { orderBy: { field: 'at', direction: 'desc' }, limit: scansReadPerLabel },
    );
}

/** 疑似复制 for one label at the call's time. */
export async function labelSuspicion(
  ctx: Pick<Ctx, 'store' | 'now'>,
  cert: Pick<Certificate, 'code' | 'issueUnit' | 'quantity'>,
  label: string,
): Promise<CopySuspicion> {
  return copySuspicion(cert, await recentScansOfLabel(ctx, cert.code, label), ctx.now());
}
