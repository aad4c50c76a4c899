import {
  loginRateLimit,
  refillMs,
  takeToken,
  verifyRateLimit,
  type TokenBucket,
} from '../../src/domain/rate-limit';

describe('takeToken', () => {
  const policy = { burst: 3, perMinute: 60 };

  it('allows a burst, then refuses until a token has come back', () => {
    let bucket: TokenBucket | undefined;
    const allowed: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const r = takeToken(policy, bucket, 0);
      bucket = r.bucket;
      allowed.push(r.allowed);
    }
    expect(allowed).toEqual([true, true, true, false]);
    expect(takeToken(policy, bucket, 0).retryAfterSeconds).toBe(1);
    expect(takeToken(policy, bucket, 999).allowed).toBe(false);
    expect(takeToken(policy, bucket, 1000).allowed).toBe(true);
  });

  it('never fills past the burst, and ignores a clock going back', () => {
    const idle = takeToken(policy, { tokens: 0, at: 0 }, 3_600_000).bucket;
    expect(idle.tokens).toBe(2);
    expect(takeToken(policy, { tokens: 1, at: 5000 }, 0).allowed).toBe(true);
  });

  it('has the documented policies', () => {
    expect(verifyRateLimit).toEqual({ burst: 30, perMinute: 60 });
    expect(loginRateLimit).toEqual({ burst: 10, perMinute: 20 });
    expect(refillMs(verifyRateLimit)).toBe(30_000);
  });
});
