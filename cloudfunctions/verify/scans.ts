/**
 * 扫码记录 — writing scans and reading them back for the 疑似复制 rule.
 *
 * Scans are small (about 200 bytes) and read by the certificate's code, which both adapters
 * index (`scans_code` in SQLite; on CloudBase create an index on `code` + `at`).
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
  await ctx.store.collection<Scan>('scans').insert(scan);
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
