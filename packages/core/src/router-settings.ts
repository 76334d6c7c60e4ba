import type { BreakerThresholds } from './breaker-thresholds';

/**
 * What one router instance applies where the stored configuration is silent or capped: its environment. Routers
 * publish it with their health reports so the console's readback can show the values routers really use.
 */
export interface RouterSettings {
  /** ROUTER_MAX_ATTEMPTS: a route policy asking for more attempts gets this many. */
  maxAttempts: number;
  /** BREAKER_*: the thresholds of a route that sets none. */
  breaker: BreakerThresholds;
  /** HEALTH_CHECK_*: an account's default (interval 0 = off unless the account turns checks on). */
  healthCheck: { intervalMs: number; timeoutMs: number };
}

/** A policy's attempts as a router with this cap applies them, and the cap when it lowered them. */
export function effectiveMaxAttempts(
  requested: number,
  cap: number | null,
): { value: number; cappedBy: number | null } {
  return cap !== null && requested > cap
    ? { value: cap, cappedBy: cap }
    : { value: requested, cappedBy: null };
}
