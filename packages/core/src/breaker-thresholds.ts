import type { CircuitBreakerConfig } from './circuit-breaker';
import type { RouteRecord } from './config-snapshot';
import { pairKey } from './pair-key';

/** The breaker settings an operator sets per route; the rest of CircuitBreakerConfig stays process-wide. */
export type BreakerThresholds = Pick<
  CircuitBreakerConfig,
  'consecutiveFailures' | 'failureRateThreshold' | 'windowMs' | 'minimumRequests' | 'coolDownMs'
>;

/** A route's own thresholds; a null (or absent) field follows the router's environment (BREAKER_*). */
export type BreakerOverrides = { [K in keyof BreakerThresholds]?: number | null };

export const BREAKER_THRESHOLD_FIELDS = [
  'consecutiveFailures',
  'failureRateThreshold',
  'windowMs',
  'minimumRequests',
  'coolDownMs',
] as const satisfies readonly (keyof BreakerThresholds)[];

/** Whether a threshold came from the route or from the router's environment. */
export type SettingSource = 'route' | 'account' | 'router_default';

/** Each threshold in force for a route, and where it came from. */
export type EffectiveBreakerThresholds = {
  [K in keyof BreakerThresholds]: { value: number; source: SettingSource };
};

/** The route's overrides over the router's defaults, field by field. */
export function effectiveBreakerThresholds(
  overrides: BreakerOverrides | undefined,
  defaults: BreakerThresholds,
): EffectiveBreakerThresholds {
  const result = {} as EffectiveBreakerThresholds;
  for (const field of BREAKER_THRESHOLD_FIELDS) {
    const own = overrides?.[field];
    result[field] =
      own === null || own === undefined
        ? { value: defaults[field], source: 'router_default' }
        : { value: own, source: 'route' };
  }
  return result;
}

/** Key of the breaker of one (account, upstream model), as CircuitBreakerRegistry keys it. */
export function breakerKey(accountId: string, model: string): string {
  return pairKey(accountId, model);
}

/**
 * The thresholds each (account, upstream model) breaker runs with. A breaker belongs to the pair, not to a route
 * (one upstream is healthy or not whichever route sent to it), so when routes that share a pair disagree, the one
 * most protective of the upstream wins field by field: fewest consecutive failures, lowest rate, fewest
 * minimum requests, longest window and cool-down. Pairs of routes without overrides are left out (defaults).
 */
export function breakerThresholdsByTarget(
  routes: readonly Pick<RouteRecord, 'targets' | 'breaker'>[],
  defaults: BreakerThresholds,
): Map<string, BreakerThresholds> {
  const byPair = new Map<string, BreakerThresholds>();
  for (const route of routes) {
    if (!route.breaker || BREAKER_THRESHOLD_FIELDS.every((f) => route.breaker?.[f] == null)) continue;
    const own = effectiveBreakerThresholds(route.breaker, defaults);
    for (const target of route.targets) {
      const key = breakerKey(target.accountId, target.upstreamModel);
      const seen = byPair.get(key);
      const mine: BreakerThresholds = {
        consecutiveFailures: own.consecutiveFailures.value,
        failureRateThreshold: own.failureRateThreshold.value,
        windowMs: own.windowMs.value,
        minimumRequests: own.minimumRequests.value,
        coolDownMs: own.coolDownMs.value,
      };
      byPair.set(key, seen ? mostProtective(seen, mine) : mine);
    }
  }
  return byPair;
}

function mostProtective(a: BreakerThresholds, b: BreakerThresholds): BreakerThresholds {
  return {
    consecutiveFailures: Math.min(a.consecutiveFailures, b.consecutiveFailures),
    failureRateThreshold: Math.min(a.failureRateThreshold, b.failureRateThreshold),
    windowMs: Math.max(a.windowMs, b.windowMs),
    minimumRequests: Math.min(a.minimumRequests, b.minimumRequests),
    coolDownMs: Math.max(a.coolDownMs, b.coolDownMs),
  };
}
