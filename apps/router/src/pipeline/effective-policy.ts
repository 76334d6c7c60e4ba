import {
  type CompiledRoute,
  DEFAULT_ROUTE_POLICIES,
  type RoutePolicy,
  type TrafficClass,
} from '@switchyard/core';

/** The route's policy for the class, with maxAttempts capped by the process-wide ROUTER_MAX_ATTEMPTS. */
export function effectivePolicy(
  route: CompiledRoute,
  trafficClass: TrafficClass,
  maxAttemptsCap: number,
): RoutePolicy {
  const policy = route.route.policies[trafficClass] ?? DEFAULT_ROUTE_POLICIES[trafficClass];
  if (policy.maxAttempts <= maxAttemptsCap) return policy;
  return { ...policy, maxAttempts: maxAttemptsCap };
}
