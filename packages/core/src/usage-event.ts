import type { UpstreamErrorClass } from './classify-upstream-failure';
import type { WireProtocol } from './protocols/wire-protocol';
import type { TargetUnavailableReason } from './target-health';
import type { TrafficClass } from './traffic-class';

/**
 * Why an attempt did not serve the request: how the upstream failed (`UpstreamErrorClass`), why the ladder passed
 * a target over unsent (`TargetUnavailableReason`, with reason `skipped`), or the router's own reasons for not
 * sending it. A closed set, so dashboards can group on it and a typo is a compile error.
 */
export type AttemptErrorClass =
  | UpstreamErrorClass
  | TargetUnavailableReason
  /** No adapter speaks the target's provider kind, or its adapter does not serve the request's endpoint family. */
  | 'unsupported_provider'
  /**
   * The target's adapter cannot honour a feature of the request (a translation that would drop it): the caller's
   * request is at fault, so the router answers 400 `unsupported_feature` and tries no other target.
   */
  | 'unsupported_feature';

/** Final state of one client request, as billed. */
export type UsageStatus = 'success' | 'error' | 'interrupted' | 'client_cancelled' | 'rejected';

/** One upstream attempt within a request. */
export interface AttemptRecord {
  targetId: string;
  accountId: string;
  providerId: string;
  model: string;
  /** Upstream HTTP status, or null when no response arrived. */
  status: number | null;
  errorClass: AttemptErrorClass | null;
  latencyMs: number;
  ttftMs: number | null;
  /**
   * Why the router sent this attempt: `primary` (first pick), or the failover rung that led to it
   * (`retry_same`, `other_account`, `other_provider`, `backup_model`, `wait_and_retry`, `panic`). The previous
   * attempt's errorClass says why the router moved on. `skipped`: not sent — the target was preferred but could
   * not take the request; errorClass says why (`circuit_open`, `cooling`, `credential_rejected`, `disabled`),
   * status is null and latency 0.
   */
  reason: AttemptReason;
}

/** The rung of the failover ladder an attempt came from, or `skipped` for a target passed over unsent. */
export type AttemptReason =
  | 'primary'
  | 'retry_same'
  | 'other_account'
  | 'other_provider'
  | 'backup_model'
  | 'context_window'
  | 'wait_and_retry'
  | 'panic'
  | 'skipped';

/** One billing record per client request; `requestId` is the idempotency key. */
export interface UsageEventRecord {
  requestId: string;
  keyId: string | null;
  teamId: string | null;
  environment: string | null;
  requestedModel: string;
  routeId: string | null;
  servedProviderId: string | null;
  servedAccountId: string | null;
  servedModel: string | null;
  status: UsageStatus;
  errorClass: string | null;
  httpStatus: number;
  latencyMs: number;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Reasoning ("thinking") tokens the upstream reported; already included in `outputTokens`. */
  reasoningTokens: number;
  /** Prompt tokens written to the upstream's prompt cache (billed at the cache-write rate). */
  cacheWriteTokens: number;
  /** Integer micro-USD. */
  costMicros: bigint;
  /** True when the cost came from the router's estimate because the upstream reported no usage. */
  costEstimated: boolean;
  /** True when no price was known for the served model at request time; `costMicros` is then 0. */
  unpriced: boolean;
  /** The user who owns the API key, when it has one. */
  ownerId: string | null;
  /** The API key's tags at request time. */
  tags: string[];
  /** The OpenAI `user` field of the request (the caller's end user), at most 256 characters. */
  endUser: string | null;
  /** String pairs from the `x-switchyard-metadata` header (≤ 16 keys, ≤ 2 KiB), or null when absent. */
  metadata: Record<string, string> | null;
  stream: boolean;
  attempts: AttemptRecord[];
  /** The protocol the caller spoke (the inbound surface); null on rows written before it was recorded. */
  surface: WireProtocol | null;
  /**
   * The protocol the serving upstream spoke: the surface's own when the body passed through, another when it was
   * translated; null when no target served the request (and on rows written before it was recorded).
   */
  upstreamProtocol: WireProtocol | null;
  /**
   * The traffic class the request ran under; null when it was refused before its class was read. Optional so rows
   * and fixtures from before it was recorded still type-check; the router always sets it.
   */
  trafficClass?: TrafficClass | null;
  /** Epoch ms when the request arrived. */
  createdAt: number;
}
