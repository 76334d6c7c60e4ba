import type { AttemptRecord, CompiledRoute, ResolvedTarget, TrafficClass } from '@switchyard/core';
import { fallbackReason, type SkipNote } from '../failover/skip-notes';
import { sendableHeader } from '../http/sendable-header';

/** The readback headers of an answer: request id, served route/provider/account/model, attempts, class, limits. */
export function servedHeaders(
  requestId: string,
  trafficClass: TrafficClass,
  requestLimitHeaders: Record<string, string> | null,
  tokenLimitHeaders: Record<string, string> | null,
  route: CompiledRoute,
  served: ResolvedTarget,
  attempts: readonly AttemptRecord[],
  skips: readonly SkipNote[] | null,
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-request-id': requestId,
    'x-switchyard-route': sendableHeader(route.route.publicModel),
    'x-switchyard-provider': sendableHeader(served.provider.name),
    'x-switchyard-account': sendableHeader(served.account.name),
    'x-switchyard-model': sendableHeader(served.target.upstreamModel),
    'x-switchyard-attempts': String(attempts.length),
    'x-switchyard-traffic-class': trafficClass,
  };
  // In this order, as mergeRateLimitHeaders would have combined them.
  if (requestLimitHeaders) Object.assign(headers, requestLimitHeaders);
  if (tokenLimitHeaders) Object.assign(headers, tokenLimitHeaders);
  const reason = fallbackReason(attempts, skips);
  if (reason !== null) headers['x-switchyard-fallback-reason'] = reason;
  return headers;
}
