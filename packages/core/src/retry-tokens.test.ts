import { describe, expect, it } from 'vitest';
import { RetryTokenRegistry, RetryTokens } from './retry-tokens';

describe('RetryTokens', () => {
  it('starts with 10 tokens, so a fresh router can fail over at once', () => {
    const tokens = new RetryTokens();
    expect(Array.from({ length: 11 }, () => tokens.tryWithdraw())).toEqual([...Array(10).fill(true), false]);
    expect(tokens.available()).toBe(false);
  });

  it('earns 0.15 of a token per request: 20 requests pay for 3 retries', () => {
    const tokens = new RetryTokens({ initial: 0 });
    let granted = 0;
    for (let i = 0; i < 20; i++) {
      tokens.onRequest();
      if (tokens.tryWithdraw()) granted++;
    }
    expect(granted).toBe(3);
    expect(tokens.tokens()).toBeCloseTo(0, 10);
    expect(tokens.tryWithdraw()).toBe(false);
  });

  it('bounds retries to initial + ratio × requests when every request wants to retry', () => {
    const tokens = new RetryTokens();
    let retries = 0;
    const requests = 1_000;
    for (let i = 0; i < requests; i++) {
      tokens.onRequest();
      while (tokens.tryWithdraw()) retries++;
    }
    expect(retries).toBeLessThanOrEqual(10 + 0.15 * requests);
    expect(retries).toBeGreaterThanOrEqual(0.15 * requests - 1);
    expect((requests + retries) / requests).toBeLessThanOrEqual(1.2);
  });

  it('saves at most `max` tokens across a quiet period', () => {
    const tokens = new RetryTokens({ max: 10 });
    for (let i = 0; i < 1_000; i++) tokens.onRequest();
    expect(tokens.tokens()).toBe(10);
  });

  it('rejects nonsense tuning at construction', () => {
    expect(() => new RetryTokens({ ratio: 2 })).toThrow(/ratio/);
    expect(() => new RetryTokens({ max: 0 })).toThrow(/max/);
    expect(() => new RetryTokens({ initial: 11 })).toThrow(/initial/);
  });
});

describe('RetryTokenRegistry', () => {
  it('keeps one bucket per upstream: one upstream spending its retries leaves the others theirs', () => {
    const registry = new RetryTokenRegistry({ initial: 2 });
    const failing = registry.get('acc_a', 'm');
    expect([failing.tryWithdraw(), failing.tryWithdraw(), failing.tryWithdraw()]).toEqual([
      true,
      true,
      false,
    ]);
    expect(registry.get('acc_a', 'm')).toBe(failing);
    expect(registry.get('acc_b', 'm').tryWithdraw()).toBe(true);
    expect(registry.get('acc_a', 'other-model').tryWithdraw()).toBe(true);
    expect(registry.size).toBe(3);
  });

  it('gives each upstream a float of 2 retries by default', () => {
    const bucket = new RetryTokenRegistry().get('acc_a', 'm');
    expect([bucket.tryWithdraw(), bucket.tryWithdraw(), bucket.tryWithdraw()]).toEqual([true, true, false]);
  });

  it('refuses bad options at construction, not at first use', () => {
    expect(() => new RetryTokenRegistry({ ratio: 2 })).toThrow(RangeError);
  });
});
