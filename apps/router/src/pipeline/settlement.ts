import type {
  AttemptErrorClass,
  FailoverFailReason,
  GatewayErrorCode,
  ResolvedTarget,
  TokenUsage,
  UsageStatus,
} from '@switchyard/core';

/**
 * Why a request did not succeed, as its usage row says: the last attempt's class, the ladder's reason for giving
 * up, the gateway error it was refused or answered with, or `internal_error` for a bug in the pipeline. Closed, so
 * a typo is a compile error (the row's column stays text: rows from older routers may hold other words).
 */
export type RequestErrorClass = AttemptErrorClass | FailoverFailReason | GatewayErrorCode | 'internal_error';

/** What a request settled as; becomes exactly one usage event. */
export interface Settlement {
  status: UsageStatus;
  httpStatus: number;
  /** The request's error class: the last attempt's, the ladder's reason for giving up, or a gateway error code. */
  errorClass: RequestErrorClass | null;
  served: ResolvedTarget | null;
  usage: TokenUsage | null;
  /** The usage is the router's tokenizer estimate (the upstream reported none). */
  usageEstimated?: boolean;
  ttftMs: number | null;
  /**
   * performance.now() when the answer's last byte was handed to the client, where one was sent. The row's
   * latency ends here: a usage estimate awaited after it (seconds for a fresh router's first count, on a loaded
   * machine) is the router's bookkeeping, not the caller's wait.
   */
  endedAt?: number;
}

/** A request the client abandoned (or whose connection closed), with what it had been served by then. */
export function cancelled(
  served: ResolvedTarget | null,
  usage: TokenUsage | null,
  ttftMs: number | null,
  usageEstimated = false,
  endedAt?: number,
): Settlement {
  return {
    status: 'client_cancelled',
    httpStatus: 499,
    errorClass: 'client_cancelled',
    served,
    usage,
    usageEstimated,
    ttftMs,
    endedAt,
  };
}
