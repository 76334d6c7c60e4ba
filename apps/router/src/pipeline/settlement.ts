import type { ResolvedTarget, TokenUsage, UsageStatus } from '@switchyard/core';

/** What a request settled as; becomes exactly one usage event. */
export interface Settlement {
  status: UsageStatus;
  httpStatus: number;
  /** The request's error class: the last attempt's, the ladder's reason for giving up, or a gateway error code. */
  errorClass: string | null;
  served: ResolvedTarget | null;
  usage: TokenUsage | null;
  /** The usage is the router's tokenizer estimate (the upstream reported none). */
  usageEstimated?: boolean;
  ttftMs: number | null;
}

/** A request the client abandoned (or whose connection closed), with what it had been served by then. */
export function cancelled(
  served: ResolvedTarget | null,
  usage: TokenUsage | null,
  ttftMs: number | null,
  usageEstimated = false,
): Settlement {
  return {
    status: 'client_cancelled',
    httpStatus: 499,
    errorClass: 'client_cancelled',
    served,
    usage,
    usageEstimated,
    ttftMs,
  };
}
