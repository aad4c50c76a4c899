/**
 * 限流 — how often one client may ask. A token bucket: `burst` requests at once, then
 * `perMinute` a minute on average. Policy data; the runtime keeps the buckets.
 */
export interface RateLimitPolicy {
  /** Requests a client may make at once (the bucket's size). */
  burst: number;
  /** Tokens added back per minute. */
  perMinute: number;
}

/**
 * Verification (`/c/<code>`, the verify function): a person scanning a pallet of labels, or an
 * inspector checking a stall, stays far below one a second; a script walking through codes
 * meets the wall within seconds.
 */
export const verifyRateLimit: RateLimitPolicy = { burst: 30, perMinute: 60 };

/** Sign-in (the local runtime's dev login): one person signs in now and then. */
export const loginRateLimit: RateLimitPolicy = { burst: 10, perMinute: 20 };

/**
 * Entering a code that grants something (a staff invitation, a training sign-in code), per
 * signed-in user: one person redeems or scans now and then and retries a typo or two; a script
 * guessing codes is held to a handful a minute, far too few to find an 80-bit code.
 */
export const codeEntryRateLimit: RateLimitPolicy = { burst: 10, perMinute: 5 };

/**
 * The same per client address, on top: a training room's attendees sign in at once over one
 * Wi-Fi, so it is wide; it stops one machine from cycling through many accounts.
 */
export const codeEntryAddressRateLimit: RateLimitPolicy = { burst: 100, perMinute: 60 };

/** The state of one client's bucket. */
export interface TokenBucket {
  tokens: number;
  /** Milliseconds since the epoch of the last refill. */
  at: number;
}

/**
 * Takes one token from a bucket at `nowMs`: the new bucket, and whether the request may go on,
 * or after how many seconds a token will be there again.
 */
export function takeToken(
  policy: RateLimitPolicy,
  bucket: TokenBucket | undefined,
  nowMs: number,
): { bucket: TokenBucket; allowed: boolean; retryAfterSeconds: number } {
  const ratePerMs = policy.perMinute / 60_000;
  const elapsed = bucket ? Math.max(0, nowMs - bucket.at) : 0;
  const tokens = bucket
    ? Math.min(policy.burst, bucket.tokens + elapsed * ratePerMs)
    : policy.burst;
  if (tokens >= 1) {
    return { bucket: { tokens: tokens - 1, at: nowMs }, allowed: true, retryAfterSeconds: 0 };
  }
  return {
    bucket: { tokens, at: nowMs },
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000)),
  };
}

/** Milliseconds after which an untouched bucket is full again (and can be forgotten). */
export function refillMs(policy: RateLimitPolicy): number {
  return Math.ceil((policy.burst / policy.perMinute) * 60_000);
}
