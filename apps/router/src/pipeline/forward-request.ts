import type { AttemptRecord, CompiledRoute, RoutePolicy, RoutingTable, TrafficClass } from '@switchyard/core';
import type { BillingTicket } from '../billing/billing';
import type { InboundRequest, Surface } from '../surfaces/surface';
import type { RequestTrace } from '../tracing/tracing';

/** One admitted client request on its way through the failover ladder. */
export interface ForwardRequest {
  requestId: string;
  /** The surface it came in by: answers, errors and stream framing go out through it. */
  surface: Surface;
  inbound: InboundRequest;
  /** Pricing policy and budget reservation of this request. */
  billing: BillingTicket;
  /**
   * `x-ratelimit-*` headers of a rate-limited key for the response: the RPM step's, then the TPM step's (each null
   * when that step has none). Kept apart rather than merged into a third object per request; the answer gets both.
   */
  requestLimitHeaders: Record<string, string> | null;
  tokenLimitHeaders: Record<string, string> | null;
  /** The route the client asked for. */
  route: CompiledRoute;
  table: RoutingTable;
  trafficClass: TrafficClass;
  /** The requested route's policy for the traffic class, maxAttempts capped by ROUTER_MAX_ATTEMPTS. */
  policy: RoutePolicy;
  /** Filled with every upstream attempt, in order. */
  attempts: AttemptRecord[];
  startedAt: number;
  /** This request's spans; null when tracing is off. */
  trace: RequestTrace | null;
}
