import { describe, expect, it } from 'vitest';
import {
  decideRateLimit,
  RATE_LIMIT_SCALE,
  RateLimiter,
  type RateLimitSubject,
  rateLimitChecks,
} from './rate-limiter';

const T0 = 1_000_000;
const key = (rpm: number | null, tpm: number | null, id = 'key_1'): RateLimitSubject => ({
  scope: 'key',
  id,
  rule: { requestsPerMinute: rpm, tokensPerMinute: tpm },
});
const team = (rpm: number | null, tpm: number | null): RateLimitSubject => ({
  scope: 'team',
  id: 'team_1',
  rule: { requestsPerMinute: rpm, tokensPerMinute: tpm },
});

describe('RateLimiter: requests per minute', () => {
  it('admits a burst up to the limit, then refuses with the time until one request fits', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 60; i++) expect(limiter.acquire([key(60, null)], 0, T0).allowed).toBe(true);
    const denied = limiter.acquire([key(60, null)], 0, T0);
    expect(denied).toMatchObject({
      allowed: false,
      dimension: 'requests',
      limit: 60,
      remaining: 0,
      retryAfterMs: 1_000,
      resetMs: 60_000,
      tooLarge: false,
      subject: { scope: 'key', id: 'key_1' },
    });
  });

  it('refills continuously at limit per minute, so there is no window edge to double up on', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 60; i++) limiter.acquire([key(60, null)], 0, T0);
    expect(limiter.acquire([key(60, null)], 0, T0 + 999).allowed).toBe(false);
    expect(limiter.acquire([key(60, null)], 0, T0 + 1_000).allowed).toBe(true);
    expect(limiter.acquire([key(60, null)], 0, T0 + 1_000).allowed).toBe(false);
    // Over any 60 s, at most limit + (refill over 60 s) = 2 × limit can pass, never more.
    let admitted = 0;
    for (let t = T0 + 1_000; t <= T0 + 61_000; t += 100) {
      while (limiter.acquire([key(60, null)], 0, t).allowed) admitted++;
    }
    expect(admitted).toBe(60);
  });

  it('computes retry-after exactly for limits that do not divide a minute', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 7; i++) limiter.acquire([key(7, null)], 0, T0);
    const denied = limiter.acquire([key(7, null)], 0, T0);
    expect(denied.allowed === false && denied.retryAfterMs).toBe(8_572); // ⌈60 000 / 7⌉
    expect(limiter.acquire([key(7, null)], 0, T0 + 8_571).allowed).toBe(false);
    expect(limiter.acquire([key(7, null)], 0, T0 + 8_572).allowed).toBe(true);
  });

  it('keeps separate buckets per key', () => {
    const limiter = new RateLimiter();
    expect(limiter.acquire([key(1, null, 'a')], 0, T0).allowed).toBe(true);
    expect(limiter.acquire([key(1, null, 'a')], 0, T0).allowed).toBe(false);
    expect(limiter.acquire([key(1, null, 'b')], 0, T0).allowed).toBe(true);
  });
});

describe('RateLimiter: tokens per minute', () => {
  it('takes the token estimate and refuses when it does not fit', () => {
    const limiter = new RateLimiter();
    expect(limiter.acquire([key(null, 10_000)], 6_000, T0).allowed).toBe(true);
    const denied = limiter.acquire([key(null, 10_000)], 6_000, T0);
    // 2 000 tokens short at 10 000 per 60 s = 12 s.
    expect(denied).toMatchObject({
      allowed: false,
      dimension: 'tokens',
      remaining: 4_000,
      retryAfterMs: 12_000,
    });
  });

  it('corrects the bucket by actual − estimate after the response', () => {
    const limiter = new RateLimiter();
    limiter.acquire([key(null, 10_000)], 8_000, T0);
    limiter.adjustTokens([key(null, 10_000)], -5_000, T0); // used 3 000, not 8 000
    expect(limiter.peek(key(null, 10_000), T0)).toEqual([
      {
        subject: { scope: 'key', id: 'key_1' },
        dimension: 'tokens',
        limit: 10_000,
        remaining: 7_000,
        resetMs: 18_000,
      },
    ]);
    limiter.adjustTokens([key(null, 10_000)], 12_000, T0); // much more than estimated: debt
    const denied = limiter.acquire([key(null, 10_000)], 1, T0);
    expect(denied).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 30_006 });
    // A refund never overfills the bucket.
    limiter.adjustTokens([key(null, 10_000)], -1_000_000, T0);
    expect(limiter.peek(key(null, 10_000), T0)[0]?.remaining).toBe(10_000);
  });

  it('flags a request larger than the whole limit: waiting will not help', () => {
    const limiter = new RateLimiter();
    const denied = limiter.acquire([key(null, 1_000)], 1_001, T0);
    expect(denied).toMatchObject({ allowed: false, tooLarge: true, retryAfterMs: 0 });
  });
});

describe('RateLimiter: key and team together', () => {
  it('consumes from every subject or none: a refusal by the team leaves the key untouched', () => {
    const limiter = new RateLimiter();
    const subjects = [key(100, null), team(2, null)];
    expect(limiter.acquire(subjects, 0, T0).allowed).toBe(true);
    expect(limiter.acquire(subjects, 0, T0).allowed).toBe(true);
    const denied = limiter.acquire(subjects, 0, T0);
    expect(denied).toMatchObject({ allowed: false, subject: { scope: 'team', id: 'team_1' }, limit: 2 });
    expect(limiter.peek(key(100, null), T0)[0]?.remaining).toBe(98);
  });

  it('reports the longest wait when several limits refuse', () => {
    const limiter = new RateLimiter();
    const subjects = [key(1, 1_000), team(10, 100)];
    limiter.acquire(subjects, 100, T0);
    const denied = limiter.acquire(subjects, 100, T0);
    // key requests: 60 s for one request; team tokens: 60 s for 100 tokens; key tokens fit.
    expect(denied.allowed === false && denied.retryAfterMs).toBe(60_000);
  });

  it('reports, per dimension, the most constrained subject for the headers', () => {
    const limiter = new RateLimiter();
    const allowed = limiter.acquire([key(100, 50_000), team(10, 1_000_000)], 1_000, T0);
    expect(allowed).toEqual({
      allowed: true,
      requests: {
        subject: { scope: 'team', id: 'team_1' },
        dimension: 'requests',
        limit: 10,
        remaining: 9,
        resetMs: 6_000,
      },
      tokens: {
        subject: { scope: 'key', id: 'key_1' },
        dimension: 'tokens',
        limit: 50_000,
        remaining: 49_000,
        resetMs: 1_200,
      },
    });
  });

  it('admits everything when no limit is set', () => {
    const limiter = new RateLimiter();
    expect(limiter.acquire([key(null, null)], 1_000_000, T0)).toEqual({
      allowed: true,
      requests: null,
      tokens: null,
    });
    expect(limiter.acquire([], 5, T0).allowed).toBe(true);
    expect(limiter.size()).toBe(0);
  });
});

describe('RateLimiter: housekeeping', () => {
  it('applies a changed limit keeping what was used', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 5; i++) limiter.acquire([key(10, null)], 0, T0);
    expect(limiter.peek(key(20, null), T0)[0]?.remaining).toBe(15);
    expect(limiter.peek(key(4, null), T0)[0]?.remaining).toBe(0);
  });

  it('prunes buckets that have refilled, which are the same as new ones', () => {
    const limiter = new RateLimiter();
    limiter.acquire([key(10, 100, 'a')], 10, T0);
    limiter.acquire([key(10, null, 'b')], 0, T0 + 58_000); // refills 1 in 6 s: not full at +60 s
    expect(limiter.size()).toBe(3);
    expect(limiter.prune(T0 + 60_000)).toBe(2);
    expect(limiter.size()).toBe(1);
  });

  it('does not refill when the clock steps backwards, and survives long idle gaps', () => {
    const limiter = new RateLimiter();
    limiter.acquire([key(1, null)], 0, T0);
    expect(limiter.acquire([key(1, null)], 0, T0 - 120_000).allowed).toBe(false);
    expect(limiter.acquire([key(1, 100_000_000_000)], 0, T0 + 10 * 365 * 86_400_000).allowed).toBe(true);
  });

  it('refuses invalid limits and token counts (config or caller bugs)', () => {
    const limiter = new RateLimiter();
    expect(() => limiter.acquire([key(0, null)], 0, T0)).toThrow(RangeError);
    expect(() => limiter.acquire([key(1.5, null)], 0, T0)).toThrow(RangeError);
    expect(() => limiter.acquire([key(10, null)], -1, T0)).toThrow(RangeError);
    expect(() => limiter.adjustTokens([key(null, 10)], 0.5, T0)).toThrow(RangeError);
  });
});

describe('RateLimiter: duplicate subjects', () => {
  it('charges a subject listed twice once', () => {
    const limiter = new RateLimiter();
    expect(limiter.acquire([key(1, 10), key(1, 10)], 10, T0).allowed).toBe(true);
    limiter.adjustTokens([key(1, 10), key(1, 10)], -4, T0);
    expect(limiter.peek(key(1, 10), T0).map((s) => s.remaining)).toEqual([0, 4]);
  });
});

describe('RateLimiter: subjects reused across requests (as the router hands them)', () => {
  it('keeps one bucket per subject object, and follows an object whose id changes to its own buckets', () => {
    const limiter = new RateLimiter();
    const subject = key(2, null, 'key_a');
    expect(limiter.acquire([subject], 0, T0).allowed).toBe(true);
    expect(limiter.acquire([subject], 0, T0).allowed).toBe(true);
    expect(limiter.acquire([subject], 0, T0).allowed).toBe(false);
    // The same object, now another key: its buckets are key_b's (full), not key_a's (empty).
    subject.id = 'key_b';
    expect(limiter.acquire([subject], 0, T0).allowed).toBe(true);
    expect(limiter.peek(key(2, null, 'key_a'), T0).map((s) => s.remaining)).toEqual([0]);
    expect(limiter.peek(key(2, null, 'key_b'), T0).map((s) => s.remaining)).toEqual([1]);
    expect(limiter.size()).toBe(2);
  });

  it('charges a repeated subject once wherever it repeats, and every distinct subject', () => {
    const limiter = new RateLimiter();
    const a = key(5, null, 'key_a');
    expect(limiter.acquire([a, team(5, null), key(5, null, 'key_a')], 0, T0).allowed).toBe(true);
    expect(limiter.peek(a, T0).map((s) => s.remaining)).toEqual([4]);
    expect(limiter.peek(team(5, null), T0).map((s) => s.remaining)).toEqual([4]);
  });
});

describe('decideRateLimit (the pure decision shared with the Redis store)', () => {
  const checks = rateLimitChecks([key(60, 1_000), team(120, null)], 300);
  const full = [60, 1_000, 120].map((units) => units * RATE_LIMIT_SCALE);

  it('admits when every bucket holds what the request takes, reporting the tightest state after it', () => {
    const decision = decideRateLimit(checks, full);
    expect(decision).toEqual({
      allowed: true,
      requests: {
        subject: { scope: 'key', id: 'key_1' },
        dimension: 'requests',
        limit: 60,
        remaining: 59,
        resetMs: 1_000,
      },
      tokens: {
        subject: { scope: 'key', id: 'key_1' },
        dimension: 'tokens',
        limit: 1_000,
        remaining: 700,
        resetMs: 18_000,
      },
    });
  });

  it('refuses on the bucket that needs the longest wait, consuming nothing', () => {
    const decision = decideRateLimit(checks, [full[0] as number, 100 * RATE_LIMIT_SCALE, 0]);
    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    // Tokens: 200 short at 1,000/min = 12 s; the team's requests: 1 short at 120/min = 0.5 s.
    expect(decision.subject).toEqual({ scope: 'key', id: 'key_1' });
    expect(decision.dimension).toBe('tokens');
    expect(decision.retryAfterMs).toBe(12_000);
    expect(decision.tooLarge).toBe(false);
    expect(decision.remaining).toBe(100);
    expect(decision.requests?.remaining).toBe(0);
  });

  it('reports the subject with the least remaining in each dimension, the first listed on a tie', () => {
    const both = rateLimitChecks([key(120, null), team(60, null)], 0);
    const teamTighter = decideRateLimit(both, [120 * RATE_LIMIT_SCALE, 60 * RATE_LIMIT_SCALE]);
    expect(teamTighter.requests).toEqual({
      subject: { scope: 'team', id: 'team_1' },
      dimension: 'requests',
      limit: 60,
      remaining: 59,
      resetMs: 1_000,
    });
    const tie = decideRateLimit(both, [60 * RATE_LIMIT_SCALE, 60 * RATE_LIMIT_SCALE]);
    expect(tie.requests?.subject).toEqual({ scope: 'key', id: 'key_1' });
    expect(tie.requests?.remaining).toBe(59);
  });

  it('refuses a levels array that does not match the checks', () => {
    expect(() => decideRateLimit(checks, full.slice(1))).toThrow(RangeError);
  });
});
