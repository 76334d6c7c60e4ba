import type { BreakerOverrides } from '@switchyard/core';

/** The routes table's breaker columns (null = the router's BREAKER_* default). */
export interface RouteBreakerColumns {
  breakerConsecutiveFailures: number | null;
  breakerFailureRate: number | null;
  breakerWindowMs: number | null;
  breakerMinRequests: number | null;
  breakerCooldownMs: number | null;
}

/** A route's breaker overrides as stored: every field written, absent ones as null (the default). */
export function routeBreakerColumns(overrides: BreakerOverrides): RouteBreakerColumns {
  return {
    breakerConsecutiveFailures: overrides.consecutiveFailures ?? null,
    breakerFailureRate: overrides.failureRateThreshold ?? null,
    breakerWindowMs: overrides.windowMs ?? null,
    breakerMinRequests: overrides.minimumRequests ?? null,
    breakerCooldownMs: overrides.coolDownMs ?? null,
  };
}

/** The overrides a stored route carries, every field present (null: the default). */
export function routeBreakerFromRow(row: RouteBreakerColumns): Required<BreakerOverrides> {
  return {
    consecutiveFailures: row.breakerConsecutiveFailures,
    failureRateThreshold: row.breakerFailureRate,
    windowMs: row.breakerWindowMs,
    minimumRequests: row.breakerMinRequests,
    coolDownMs: row.breakerCooldownMs,
  };
}
