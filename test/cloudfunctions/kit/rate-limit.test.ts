import { clientKey, RateLimiter } from '../../../cloudfunctions/kit/rate-limit';

describe('RateLimiter', () => {
  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter({ burst: 1, perMinute: 1 }, () => new Date(0));
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('stays bounded: refilled buckets go first, then the least recently used', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 1, perMinute: 60 }, () => new Date(now), 3);
    for (const k of ['a', 'b', 'c']) limiter.take(k);
    now = 500;
    limiter.take('d');
    expect(limiter.size).toBe(3);
    // 'a' was the oldest and is forgotten (a full bucket again); 'd' is still empty.
    expect(limiter.take('d').allowed).toBe(false);
    now = 5000;
    limiter.take('e');
    expect(limiter.size).toBeLessThanOrEqual(3);
  });

  it('a flood of new addresses neither grows it nor frees a client that keeps trying', () => {
    const limiter = new RateLimiter({ burst: 1, perMinute: 1 }, () => new Date(0), 100);
    expect(limiter.take('guesser').allowed).toBe(true);
    for (let i = 0; i < 20_000; i += 1) {
      limiter.take(`flood-${i}`);
      if (i % 10 === 0) expect(limiter.take('guesser').allowed).toBe(false);
      expect(limiter.size).toBeLessThanOrEqual(100);
    }
  });
});

describe('clientKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ])('%p → %p', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
