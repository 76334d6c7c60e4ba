import { isTrafficClass, validateRoutePolicy } from '@switchyard/core';
import type { Prisma } from '../client';
import type { RoutePolicies } from './admin-records';

/**
 * Stored `routes.policies` → validated policies per class. Writes through the route repository are validated,
 * so anything invalid was written around it: it is left out (the class uses its default policy, as the routers
 * do) and reported to `onInvalid` when given.
 */
export function routePoliciesFromRow(
  stored: Prisma.JsonValue,
  onInvalid?: (trafficClass: string, message: string) => void,
): RoutePolicies {
  const policies: RoutePolicies = {};
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return policies;
  for (const [trafficClass, value] of Object.entries(stored)) {
    if (!isTrafficClass(trafficClass)) {
      onInvalid?.(trafficClass, 'not a traffic class');
      continue;
    }
    const result = validateRoutePolicy(value, { trafficClass, path: `policies.${trafficClass}` });
    if (result.ok) policies[trafficClass] = result.value;
    else onInvalid?.(trafficClass, result.error.message);
  }
  return policies;
}
