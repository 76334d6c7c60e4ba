import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, fullJitterBackoff, parseRetryAfter } from './backoff';

const constant = (value: number) => () => value;
const config = { baseMs: 100, capMs: 1_000 };

describe('fullJitterBackoff', () => {
  it('is random × min(cap, base × 2^attempt), floored', () => {
    expect(fullJitterBackoff(0, config, constant(0.5))).toBe(50);
    expect(fullJitterBackoff(1, config, constant(0.5))).toBe(100);
    expect(fullJitterBackoff(2, config, constant(0.5))).toBe(200);
    expect(fullJitterBackoff(3, config, constant(0.999))).toBe(799);
    expect(fullJitterBackoff(2, config, constant(0.123))).toBe(49);
  });

  it('never exceeds the cap, even for huge attempt numbers', () => {
    expect(fullJitterBackoff(4, config, constant(0.5))).toBe(500);
    expect(fullJitterBackoff(10, config, constant(0.5))).toBe(500);
    expect(fullJitterBackoff(5_000, config, constant(0.999999))).toBe(999);
  });

  it('can be zero (full jitter) and treats negative attempts as 0', () => {
    expect(fullJitterBackoff(3, config, constant(0))).toBe(0);
    expect(fullJitterBackoff(-2, config, constant(0.5))).toBe(50);
  });

  it('draws exactly one random number per call', () => {
    let calls = 0;
    fullJitterBackoff(2, config, () => {
      calls++;
      return 0.5;
    });
    expect(calls).toBe(1);
  });

  it('defaults to base 250 ms, cap 10 s', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 250, capMs: 10_000 });
    expect(fullJitterBackoff(0, DEFAULT_BACKOFF, constant(0.5))).toBe(125);
    expect(fullJitterBackoff(6, DEFAULT_BACKOFF, constant(0.5))).toBe(5_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2024, 10, 6, 8, 49, 0); // Wed, 06 Nov 2024 08:49:00 GMT

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 7 ', now)).toBe(7_000);
  });

  it('reads fractional seconds, rounding up to whole ms', () => {
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
    expect(parseRetryAfter('0.0001', now)).toBe(1);
  });

  it('clamps a negative delay to 0', () => {
    expect(parseRetryAfter('-5', now)).toBe(0);
  });

  it('reads an IMF-fixdate', () => {
    expect(parseRetryAfter('Wed, 06 Nov 2024 08:49:37 GMT', now)).toBe(37_000);
    expect(parseRetryAfter('wed, 06 nov 2024 08:50:00 gmt', now)).toBe(60_000);
  });

  it('reads the obsolete RFC 850 and asctime forms', () => {
    expect(parseRetryAfter('Wednesday, 06-Nov-24 08:49:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed Nov  6 08:49:05 2024', now)).toBe(5_000);
    expect(parseRetryAfter('Wed Nov 16 08:49:00 2024', now)).toBe(10 * 86_400_000);
  });

  it('reads a two-digit year more than 50 years ahead as last century', () => {
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(0);
    expect(parseRetryAfter('Monday, 06-Nov-73 08:49:00 GMT', now)).toBe(Date.UTC(2073, 10, 6, 8, 49) - now);
  });

  it('gives 0 for a date in the past', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(0);
  });

  it('gives null when absent or garbage', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('   ', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('1e3', now)).toBeNull();
    expect(parseRetryAfter('12s', now)).toBeNull();
    expect(parseRetryAfter('2024-11-06T08:50:00Z', now)).toBeNull();
    expect(parseRetryAfter('Wed, 06 Nov 2024 08:49:37', now)).toBeNull();
    expect(parseRetryAfter('Wed, 31 Feb 2024 08:49:37 GMT', now)).toBeNull();
    expect(parseRetryAfter('Wed, 06 Nov 2024 25:49:37 GMT', now)).toBeNull();
    expect(parseRetryAfter('Wed, 06 Foo 2024 08:49:37 GMT', now)).toBeNull();
  });
});
