import type { RetryBudget, RetryTokenRegistry } from '@switchyard/core';
import type { Dispatcher } from 'undici';
import type { Billing } from './billing/billing';
import type { SnapshotStore } from './config/snapshot-store';
import type { LadderHealthView } from './failover/ladder-health-view';
import type { MarkedAccount, UpstreamHealth } from './failover/upstream-health';
import type { RequestRateLimits } from './limits/request-rate-limits';
import type { Logger } from './logger';
import type { RouterMetrics } from './metrics/router-metrics';
import type { Tracing } from './tracing/tracing';
import type { UsageSink } from './usage/usage-sink';

/** Limits the request path applies, taken from the validated environment. */
export interface RouterLimits {
  maxBodyBytes: number;
  maxAttempts: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Cap on a non-streaming upstream body (UPSTREAM_MAX_RESPONSE_BYTES). */
  maxResponseBytes: number;
  /** Cap on one upstream SSE event, in UTF-8 bytes (UPSTREAM_MAX_SSE_EVENT_BYTES). */
  maxSseEventBytes: number;
  /** Longest pause while a client sends its body (ROUTER_BODY_IDLE_TIMEOUT_MS). */
  bodyIdleTimeoutMs: number;
  /** Bytes kept of each captured body when a key or route opts in (PAYLOAD_CAPTURE_MAX_BYTES). */
  payloadCaptureBytes: number;
}

/** Process-wide state of the failover ladder; in-memory, read and updated synchronously by the request path. */
export interface FailoverState {
  health: UpstreamHealth;
  /** What the ladder reads about targets: live configuration, health, reliability, success rate. */
  view: LadderHealthView;
  /** Bounds concurrent paid retries: max(3, 20% of in-flight requests). */
  retryBudget: RetryBudget;
  /** Bounds each upstream's paid retries over time to a share of the requests first sent to it. */
  retryTokens: RetryTokenRegistry;
  /** Client requests currently inside the ladder. */
  inFlight: number;
  /**
   * Called once per account when an upstream rejects its credential (persists the mark under the epoch the
   * attempt saw, so it cannot undo a later reset; never awaited).
   */
  onCredentialRejected: (account: MarkedAccount, message: string) => void;
}

/** Everything a handler needs, wired once in start-router.ts. */
export interface RouterContext {
  snapshots: SnapshotStore;
  usage: UsageSink;
  /** The upstream connection pool for a connect timeout (one pool per distinct policy value). */
  dispatcherFor: (connectMs: number) => Dispatcher;
  failover: FailoverState;
  /** Pricing policy, cost and budget reservations. */
  billing: Billing;
  limits: RouterLimits;
  /** RPM/TPM limits of keys and teams. */
  rateLimits: RequestRateLimits;
  logger: Logger;
  /** Prometheus counters the pipeline increments when a request settles and when an attempt is learnt from. */
  metrics: RouterMetrics;
  /** OpenTelemetry spans of requests and attempts; null when tracing is off (OTEL_EXPORTER_OTLP_ENDPOINT unset). */
  tracing: Tracing | null;
  /** Digest of a presented API key (sha256 hex). */
  digestKey: (plaintext: string) => string;
  /** This process's ROUTER_WORKERS slot (0-based); null when the router runs as one process. */
  worker: number | null;
  now: () => number;
  random: () => number;
}
