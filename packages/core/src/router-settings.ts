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

/**
 * What a router that has not reported yet (or a console with no router running) is assumed to apply: the
 * router environment's own defaults (apps/router/src/env.ts), which match these.
 */
export const DEFAULT_ROUTER_SETTINGS: Readonly<RouterSettings> = Object.freeze({
  maxAttempts: 3,
  breaker: Object.freeze({
    consecutiveFailures: 5,
    failureRateThreshold: 0.5,
    windowMs: 30_000,
    minimumRequests: 20,
    coolDownMs: 10_000,
  }),
  healthCheck: Object.freeze({ intervalMs: 0, timeoutMs: 5_000 }),
});

/** Reads settings a router published (JSON from the database); null when the shape is not one we know. */
export function parseRouterSettings(value: unknown): RouterSettings | null {
  if (!isObject(value) || !isObject(value.breaker) || !isObject(value.healthCheck)) return null;
  const { maxAttempts, breaker, healthCheck } = value;
  const numbers = [
    maxAttempts,
    breaker.consecutiveFailures,
    breaker.failureRateThreshold,
    breaker.windowMs,
    breaker.minimumRequests,
    breaker.coolDownMs,
    healthCheck.intervalMs,
    healthCheck.timeoutMs,
  ];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  const n = numbers as number[];
  return {
    maxAttempts: n[0] as number,
    breaker: {
      consecutiveFailures: n[1] as number,
      failureRateThreshold: n[2] as number,
      windowMs: n[3] as number,
      minimumRequests: n[4] as number,
      coolDownMs: n[5] as number,
    },
    healthCheck: { intervalMs: n[6] as number, timeoutMs: n[7] as number },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
