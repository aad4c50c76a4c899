/**
 * 扫码记录 and 疑似复制 — what a verification scan records, and the rule that flags a label
 * scanned by far more people or places than one real package (or load) plausibly meets.
 *
 * The flag is derived from the scans each time, never stored: change the policy and every label
 * is judged by the new numbers at once.
 */
import * as z from 'zod/mini';
import type { Role } from './role';
import type { Certificate } from './certificate';
import type { Unit } from './quantity';

/** 扫码渠道 — who scanned, as far as the caller's roles tell (anonymous = consumer). */
export const scanChannels = {
  consumer: '消费者',
  market: '收购/市场',
  supervisor: '监管执法',
} as const;
export type ScanChannel = keyof typeof scanChannels;
export const scanChannelCodes = Object.keys(scanChannels) as [ScanChannel, ...ScanChannel[]];

/** The channel of a scan by the scanner's roles: staff first, then buyers and markets. */
export function channelOfRoles(roles: readonly Role[] | null | undefined): ScanChannel {
  const r = roles ?? [];
  if (
    r.some((x) => x === 'supervisor' || x === 'enforcement' || x === 'coordinator' || x === 'admin')
  )
    return 'supervisor';
  if (r.includes('buyer')) return 'market';
  return 'consumer';
}

/** What a label's signature check found: present and right, present and wrong, or none. */
export const signatureStates = {
  valid: '签名有效',
  invalid: '签名无效',
  absent: '无签名',
} as const;
export type SignatureState = keyof typeof signatureStates;

/**
 * The signature a scanned URL carries (`?s=`), well-formed or not: a malformed one is a wrong
 * signature, not a missing one. Null when there is none.
 */
export function signatureParamOf(scanned: string): string | null {
  const m = /[?&]s=([^&#\s]*)/.exec(scanned.trim());
  return m?.[1] ? m[1] : null;
}

/** One verification scan of an existing label (scans of unknown codes are never stored). */
export const scanSchema = z.object({
  _id: z.string(),
  /** The certificate record's 16-character code (indexed: `scans_code`). */
  code: z.string(),
  /** The label scanned: the code itself for a lone label, code + index for a package label. */
  label: z.string(),
  at: z.string(),
  channel: z.enum(scanChannelCodes),
  /**
   * A keyed hash of who scanned (user id, or client address + browser), salted with the label so
   * the same person cannot be followed from one label to the next. Never the raw address.
   */
  scannerKey: z.string(),
  /** Coarse place, only when the scanner shared one: `geo:34.6,119.4` (0.1°) or `div:<code>`. */
  place: z.nullable(z.string()),
  signature: z.enum(['valid', 'invalid', 'absent']),
});
export type Scan = z.infer<typeof scanSchema>;

/** A place a scanner may share: a position (rounded before it is kept) or a division code. */
export const scanPlaceSchema = z.union([
  z.object({
    lat: z.number().check(z.gte(-90), z.lte(90)),
    lng: z.number().check(z.gte(-180), z.lte(180)),
  }),
  z.object({ divisionCode: z.string().check(z.regex(/^\d{6}(\d{3})?(\d{3})?$/)) }),
]);
export type ScanPlace = z.infer<typeof scanPlaceSchema>;

/** Degrees a shared position is rounded to: 0.1° is about 11 km, a town rather than a house. */
export const placeResolutionDegrees = 0.1;

/** The coarse place kept for a shared one; positions are rounded to 0.1°. */
export function coarsePlace(place: ScanPlace | null | undefined): string | null {
  if (!place) return null;
  if ('divisionCode' in place) return `div:${place.divisionCode}`;
  const round = (v: number) => (Math.round(v * 10) / 10).toFixed(1).replace(/^-0\.0$/, '0.0');
  return `geo:${round(place.lat)},${round(place.lng)}`;
}

/**
 * 疑似复制 policy. A real package passes few hands: a collector, a market, a supervisor, and the
 * family that buys it — a handful of consumer phones, all in one or two towns. A label
 * photocopied onto fakes is scanned by strangers in many places. The numbers leave wide room for
 * a curious family or a market display:
 * - a package label: more than 20 distinct consumer scanners, or more than 3 distinct coarse
 *   places (0.1° cells or divisions), within 30 days;
 * - a vehicle or batch certificate covers a whole load that is split and sold on: its thresholds
 *   grow with the retail portions of the load (about 1 kg, or one counted unit, each; ten eggs;
 *   a box or basket splits into five): +1 consumer per portion, +1 place per 50 portions, capped.
 * Market and supervisor scans count towards places but not scanners (checking is their job).
 * Scans with a wrong signature are forgeries of their own and are counted apart.
 */
export const copyPolicy = {
  windowDays: 30,
  packageConsumers: 20,
  packagePlaces: 3,
  portionsPerExtraPlace: 50,
  maxConsumers: 500,
  maxPlaces: 30,
} as const;

/** How many retail portions (≈1 kg, one piece, ten eggs, a fifth of a box) a quantity makes. */
const portionsPerUnit: Record<Unit, number> = {
  t: 1000,
  kg: 1,
  jin: 0.5,
  g: 0.001,
  box: 5,
  basket: 5,
  bag: 1,
  bundle: 1,
  piece: 1,
  each: 1,
  head: 1,
  bird: 1,
  tail: 1,
  egg: 0.1,
};

/** Whole retail portions in a quantity (a threshold, so a float is fine here; nothing is kept). */
export function retailPortions(quantity: Certificate['quantity']): number {
  const value = Number(quantity.value);
  if (!Number.isFinite(value) || value <= 0) return 0;
  return Math.ceil(value * (portionsPerUnit[quantity.unit] ?? 1));
}

export interface CopyThresholds {
  /** More distinct consumer scanners than this is implausible. */
  consumers: number;
  /** More distinct coarse places than this is implausible. */
  places: number;
}

/** The plausible ceiling of scanners and places for one label of a certificate. */
export function copyThresholds(c: Pick<Certificate, 'issueUnit' | 'quantity'>): CopyThresholds {
  if (c.issueUnit === 'package') {
    return { consumers: copyPolicy.packageConsumers, places: copyPolicy.packagePlaces };
  }
  const portions = retailPortions(c.quantity);
  return {
    consumers: Math.min(copyPolicy.maxConsumers, copyPolicy.packageConsumers + portions),
    places: Math.min(
      copyPolicy.maxPlaces,
      copyPolicy.packagePlaces + Math.floor(portions / copyPolicy.portionsPerExtraPlace),
    ),
  };
}

/** What the scans of one label add up to within the window. */
export interface LabelScanSummary {
  scans: number;
  consumerScanners: number;
  places: number;
  /** Scans whose signature was present and wrong: forged labels carrying this code. */
  forgedScans: number;
  lastScanAt: string | null;
}

export type CopyReason = 'scanners' | 'places';

export interface CopySuspicion extends LabelScanSummary {
  suspected: boolean;
  reasons: CopyReason[];
  thresholds: CopyThresholds;
  since: string;
}

/** The start of the window that counts at `now`. */
export function copyWindowStart(now: Date): Date {
  return new Date(now.getTime() - copyPolicy.windowDays * 86400_000);
}

/** Adds up one label's scans inside the window (scans with a forged signature counted apart). */
export function summarizeScans(
  scans: readonly Pick<Scan, 'at' | 'channel' | 'scannerKey' | 'place' | 'signature'>[],
  since: Date,
): LabelScanSummary {
  const scanners = new Set<string>();
  const places = new Set<string>();
  let count = 0;
  let forged = 0;
  let last: string | null = null;
  const from = since.getTime();
  for (const s of scans) {
    const t = Date.parse(s.at);
    if (!(t >= from)) continue;
    if (last === null || s.at > last) last = s.at;
    if (s.signature === 'invalid') {
      forged++;
      continue;
    }
    count++;
    if (s.channel === 'consumer') scanners.add(s.scannerKey);
    if (s.place) places.add(s.place);
  }
  return {
    scans: count,
    consumerScanners: scanners.size,
    places: places.size,
    forgedScans: forged,
    lastScanAt: last,
  };
}

/** 疑似复制: the label's scans within the window, judged against its certificate's thresholds. */
export function copySuspicion(
  c: Pick<Certificate, 'issueUnit' | 'quantity'>,
  scans: readonly Pick<Scan, 'at' | 'channel' | 'scannerKey' | 'place' | 'signature'>[],
  now: Date,
): CopySuspicion {
  const since = copyWindowStart(now);
  const summary = summarizeScans(scans, since);
  const thresholds = copyThresholds(c);
  const reasons: CopyReason[] = [];
  if (summary.consumerScanners > thresholds.consumers) reasons.push('scanners');
  if (summary.places > thresholds.places) reasons.push('places');
  return {
    ...summary,
    suspected: reasons.length > 0,
    reasons,
    thresholds,
    since: since.toISOString(),
  };
}
