/**
 * Waits before each retry of a budget alert webhook: 1 s, 5 s, 30 s, 2 min, then every 10 min (the last
 * delay repeats).
 */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000];

/** Attempts before an alert is given up: with the default delays the last is about 24 h after the first. */
export const DEFAULT_WEBHOOK_MAX_ATTEMPTS = 148;

/**
 * How long to wait after attempt number `attempt` (from 1) failed before the next, or null when that was the
 * last one. `delays[i]` follows attempt i + 1; the last delay repeats.
 */
export function webhookRetryDelay(
  attempt: number,
  delays: readonly number[],
  maxAttempts: number,
): number | null {
  if (attempt >= maxAttempts || delays.length === 0) return null;
  return delays[Math.min(attempt, delays.length) - 1] ?? null;
}
