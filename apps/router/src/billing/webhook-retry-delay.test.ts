import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEBHOOK_MAX_ATTEMPTS,
  DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  webhookRetryDelay,
} from './webhook-retry-delay';

describe('webhookRetryDelay', () => {
  it('follows the schedule, repeats its last delay and stops after the last attempt', () => {
    const delays = [10, 20, 30];
    expect([1, 2, 3, 4, 5].map((attempt) => webhookRetryDelay(attempt, delays, 6))).toEqual([
      10, 20, 30, 30, 30,
    ]);
    expect(webhookRetryDelay(6, delays, 6)).toBeNull();
    expect(webhookRetryDelay(7, delays, 6)).toBeNull();
    expect(webhookRetryDelay(1, delays, 1)).toBeNull();
    expect(webhookRetryDelay(1, [], 5)).toBeNull();
  });

  it('by default retries for about a day: 1 s, 5 s, 30 s, 2 min, then every 10 min', () => {
    const waits: number[] = [];
    for (let attempt = 1; ; attempt++) {
      const delay = webhookRetryDelay(attempt, DEFAULT_WEBHOOK_RETRY_DELAYS_MS, DEFAULT_WEBHOOK_MAX_ATTEMPTS);
      if (delay === null) break;
      waits.push(delay);
    }
    expect(waits.slice(0, 6)).toEqual([1_000, 5_000, 30_000, 120_000, 600_000, 600_000]);
    expect(waits).toHaveLength(DEFAULT_WEBHOOK_MAX_ATTEMPTS - 1);
    const lastAttemptAfterMs = waits.reduce((sum, ms) => sum + ms, 0);
    expect(lastAttemptAfterMs).toBeLessThanOrEqual(86_400_000);
    expect(lastAttemptAfterMs + 600_000).toBeGreaterThan(86_400_000);
  });
});
