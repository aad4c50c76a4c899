import type { Ctx } from './action';
import { AppError } from '../../src/domain/errors';
import {
  codeEntryAddressRateLimit,
  codeEntryRateLimit,
  refillMs,
  takeToken,
  type RateLimitPolicy,
  type TokenBucket,
} from '../../src/domain/rate-limit';

/**
 * Token buckets per client key, in memory. One process (the embedded runtime, or one warm
 * CloudBase container) keeps its own; bounded, so a flood of new keys cannot grow it without end.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    readonly policy: RateLimitPolicy,
    private readonly now: () => Date = () => new Date(),
    private readonly maxKeys = 50_000,
  ) {}

  /** Takes a token for `key` (at `at`, default the limiter's clock): allowed, or seconds to wait. */
  take(key: string, at?: Date): { allowed: boolean; retryAfterSeconds: number } {
    const nowMs = (at ?? this.now()).getTime();
    const result = takeToken(this.policy, this.buckets.get(key), nowMs);
    // Re-inserting keeps the map in least-recently-used order for the sweep below.
    this.buckets.delete(key);
    this.buckets.set(key, result.bucket);
    if (this.buckets.size > this.maxKeys) this.sweep(nowMs);
    return { allowed: result.allowed, retryAfterSeconds: result.retryAfterSeconds };
  }

  /**
   * Forgets buckets that have refilled (they would allow a full burst anyway), then the oldest.
   * The map is in least-recently-used order, so both sit at its front: the walk stops at the
   * first bucket to keep, and a flood of new keys costs one eviction per take, not a full scan.
   */
  private sweep(nowMs: number): void {
    const idle = refillMs(this.policy);
    for (const [key, bucket] of this.buckets) {
      if (this.buckets.size <= this.maxKeys && nowMs - bucket.at < idle) break;
      this.buckets.delete(key);
    }
  }

  /** How many clients are being tracked (for tests). */
  get size(): number {
    return this.buckets.size;
  }
}

/**
 * The key a client is limited by: its IPv4 address, or the /64 prefix of an IPv6 one (a single
 * home or phone is handed a whole /64, and could walk through it).
 */
export function clientKey(address: string | null | undefined): string {
  let a = (address ?? '').trim().toLowerCase();
  if (a.startsWith('::ffff:') && a.includes('.')) a = a.slice('::ffff:'.length);
  if (!a.includes(':')) return a || 'unknown';
  const [head = '', tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The limiters of one store (one deployment's data), per policy; this process's memory only. */
const limitersByStore = new WeakMap<object, Map<RateLimitPolicy, RateLimiter>>();

function limiterFor(store: object, policy: RateLimitPolicy): RateLimiter {
  let byPolicy = limitersByStore.get(store);
  if (!byPolicy) {
    byPolicy = new Map();
    limitersByStore.set(store, byPolicy);
  }
  let limiter = byPolicy.get(policy);
  if (!limiter) {
    limiter = new RateLimiter(policy);
    byPolicy.set(policy, limiter);
  }
  return limiter;
}

/**
 * Limits a code-guessing surface (`surface`: 'redeem', 'signIn'…) before the code is looked up:
 * per signed-in caller, and per client address when the runtime knows it. Refused with
 * RATE_LIMITED, the same answer whether the code would have matched or not.
 *
 * The caller's own bucket is asked first, and a call it refuses takes nothing from the address's:
 * one account hammering from a training venue's shared Wi-Fi must not lock out every attendee.
 */
export function limitCodeEntry(ctx: Ctx, surface: string): void {
  const at = ctx.now();
  const own = limiterFor(ctx.store, codeEntryRateLimit).take(
    `${surface}:${ctx.caller?.userId ?? ''}`,
    at,
  );
  if (!own.allowed) throw rateLimited(own.retryAfterSeconds);
  if (!ctx.client?.ip) return;
  const shared = limiterFor(ctx.store, codeEntryAddressRateLimit).take(
    `${surface}:${clientKey(ctx.client.ip)}`,
    at,
  );
  if (!shared.allowed) throw rateLimited(shared.retryAfterSeconds);
}

function rateLimited(waitSeconds: number): AppError {
  return new AppError('RATE_LIMITED', `尝试次数太多，请 ${waitSeconds} 秒后再试`);
}
