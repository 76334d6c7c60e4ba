/** Tuning for a {@link RetryBudget}. */
export interface RetryBudgetOptions {
  /** Retries always allowed at once, however little traffic there is. Default 3. */
  minRetries?: number;
  /** Share of in-flight requests that may be retrying at once. Default 0.2. */
  ratio?: number;
}

/**
 * Bounds concurrent retries across a whole router process to max(minRetries, ⌊ratio × inFlight⌋), so a
 * widespread upstream failure cannot multiply the load it receives. Every attempt after a request's first
 * one (same-target retry, failover, backup model, wait-and-retry) takes a slot for its duration; first
 * attempts never do. The floor of 3 keeps failover working at low traffic; at high traffic retries stay
 * ≤ 20% of the load. Not thread-safe by design: one instance per process, used from the event loop.
 */
export class RetryBudget {
  readonly minRetries: number;
  readonly ratio: number;
  private active = 0;

  constructor({ minRetries = 3, ratio = 0.2 }: RetryBudgetOptions = {}) {
    if (!Number.isInteger(minRetries) || minRetries < 0) {
      throw new RangeError(`RetryBudget minRetries must be an integer ≥ 0; got ${minRetries}.`);
    }
    if (!Number.isFinite(ratio) || ratio < 0) {
      throw new RangeError(`RetryBudget ratio must be a finite number ≥ 0; got ${ratio}.`);
    }
    this.minRetries = minRetries;
    this.ratio = ratio;
  }

  /** Concurrent retries allowed when `inFlight` client requests are in progress. */
  limit(inFlight: number): number {
    return Math.max(this.minRetries, Math.floor(this.ratio * Math.max(0, inFlight)));
  }

  /** True when `tryAcquire(inFlight)` would succeed; takes nothing. */
  available(inFlight: number): boolean {
    return this.active < this.limit(inFlight);
  }

  /** Takes a retry slot if one is free. Pair every `true` with one `release()`. */
  tryAcquire(inFlight: number): boolean {
    if (!this.available(inFlight)) return false;
    this.active++;
    return true;
  }

  /** Returns a slot taken by `tryAcquire`. Extra calls never drive the count below zero. */
  release(): void {
    if (this.active > 0) this.active--;
  }

  /** Retry slots currently held. */
  inUse(): number {
    return this.active;
  }
}
