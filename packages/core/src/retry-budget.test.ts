import { describe, expect, it } from 'vitest';
import { RetryBudget } from './retry-budget';

describe('RetryBudget', () => {
  it('allows max(3, 20% of in-flight) by default', () => {
    const budget = new RetryBudget();
    expect(budget.limit(0)).toBe(3);
    expect(budget.limit(10)).toBe(3);
    expect(budget.limit(19)).toBe(3);
    expect(budget.limit(20)).toBe(4);
    expect(budget.limit(24)).toBe(4);
    expect(budget.limit(100)).toBe(20);
    expect(budget.limit(1_000)).toBe(200);
  });

  it('admits up to the limit, then refuses until a slot is released', () => {
    const budget = new RetryBudget();
    expect([1, 2, 3, 4].map(() => budget.tryAcquire(10))).toEqual([true, true, true, false]);
    expect(budget.inUse()).toBe(3);
    expect(budget.available(10)).toBe(false);
    budget.release();
    expect(budget.inUse()).toBe(2);
    expect(budget.available(10)).toBe(true);
    expect(budget.tryAcquire(10)).toBe(true);
    expect(budget.tryAcquire(10)).toBe(false);
  });

  it('follows the current in-flight count: more traffic, more room', () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 3; i++) budget.tryAcquire(5);
    expect(budget.tryAcquire(5)).toBe(false);
    expect(budget.tryAcquire(50)).toBe(true); // limit 10
    expect(budget.inUse()).toBe(4);
    // Traffic drops: nothing is revoked, but no new slot until under the new limit.
    expect(budget.tryAcquire(5)).toBe(false);
  });

  it('available() takes nothing', () => {
    const budget = new RetryBudget({ minRetries: 1 });
    expect(budget.available(0)).toBe(true);
    expect(budget.available(0)).toBe(true);
    expect(budget.inUse()).toBe(0);
  });

  it('never goes below zero on extra releases', () => {
    const budget = new RetryBudget();
    budget.release();
    budget.release();
    expect(budget.inUse()).toBe(0);
    expect([1, 2, 3, 4].map(() => budget.tryAcquire(0))).toEqual([true, true, true, false]);
  });

  it('honours custom options; minRetries 0 with ratio 0 disables retries', () => {
    const custom = new RetryBudget({ minRetries: 1, ratio: 0.5 });
    expect(custom.limit(1)).toBe(1);
    expect(custom.limit(9)).toBe(4);
    const none = new RetryBudget({ minRetries: 0, ratio: 0 });
    expect(none.tryAcquire(1_000)).toBe(false);
  });

  it('treats a negative in-flight count as zero', () => {
    expect(new RetryBudget().limit(-50)).toBe(3);
  });

  it('rejects nonsense options', () => {
    expect(() => new RetryBudget({ minRetries: -1 })).toThrow(
      new RangeError('RetryBudget minRetries must be an integer ≥ 0; got -1.'),
    );
    expect(() => new RetryBudget({ minRetries: 1.5 })).toThrow(RangeError);
    expect(() => new RetryBudget({ ratio: -0.1 })).toThrow(
      new RangeError('RetryBudget ratio must be a finite number ≥ 0; got -0.1.'),
    );
    expect(() => new RetryBudget({ ratio: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});
