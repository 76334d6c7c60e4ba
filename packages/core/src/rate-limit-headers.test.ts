import { describe, expect, it } from 'vitest';
import { formatResetDuration, rateLimitHeaders } from './rate-limit-headers';
import { RateLimiter } from './rate-limiter';

describe('formatResetDuration', () => {
  it("formats like Go's time.Duration, as OpenAI's reset headers do", () => {
    expect(formatResetDuration(0)).toBe('0s');
    expect(formatResetDuration(120)).toBe('120ms');
    expect(formatResetDuration(1_000)).toBe('1s');
    expect(formatResetDuration(8_640)).toBe('8.64s');
    expect(formatResetDuration(360_000)).toBe('6m0s');
    expect(formatResetDuration(61_500)).toBe('1m1.5s');
    expect(formatResetDuration(3_723_500)).toBe('1h2m3.5s');
    expect(formatResetDuration(0.2)).toBe('1ms');
    expect(formatResetDuration(-5)).toBe('0s');
  });
});

describe('rateLimitHeaders', () => {
  const subject = {
    scope: 'key' as const,
    id: 'key_1',
    rule: { requestsPerMinute: 60, tokensPerMinute: 150_000 },
  };

  it('sends the six OpenAI x-ratelimit headers on an admitted request', () => {
    const limiter = new RateLimiter();
    expect(rateLimitHeaders(limiter.acquire([subject], 16, 0))).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '150000',
      'x-ratelimit-remaining-tokens': '149984',
      'x-ratelimit-reset-tokens': '7ms',
    });
  });

  it('adds retry-after (whole seconds, rounded up) and retry-after-ms on a refusal', () => {
    const limiter = new RateLimiter();
    limiter.acquire([subject], 149_000, 0);
    const headers = rateLimitHeaders(limiter.acquire([subject], 2_000, 0));
    expect(headers['retry-after-ms']).toBe('400');
    expect(headers['retry-after']).toBe('1');
    expect(headers['x-ratelimit-remaining-tokens']).toBe('1000');
    expect(headers['x-ratelimit-reset-tokens']).toBe('59.6s');
  });

  it('omits a dimension no limit applies to', () => {
    const limiter = new RateLimiter();
    const headers = rateLimitHeaders(
      limiter.acquire(
        [{ scope: 'team', id: 't', rule: { requestsPerMinute: 5, tokensPerMinute: null } }],
        10,
        0,
      ),
    );
    expect(Object.keys(headers)).toEqual([
      'x-ratelimit-limit-requests',
      'x-ratelimit-remaining-requests',
      'x-ratelimit-reset-requests',
    ]);
  });
});
