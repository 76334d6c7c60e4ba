import type {
  AttemptErrorClass,
  AttemptReason,
  AttemptRecord,
  FailedAttempt,
  ResolvedTarget,
  UpstreamErrorClass,
} from '@switchyard/core';
import type { AttemptOutcome } from '../proxy/upstream-attempt';

/** The failed attempt the ladder decides from, with what the client may be answered. */
export type LastFailure = FailedAttempt & { outcome: Extract<AttemptOutcome, { kind: 'failure' }> };

/** A failed attempt that produced no relayable body (not sent, or a stream that broke before its first event). */
export function failedWithout(
  target: ResolvedTarget,
  attempt: AttemptRecord,
  errorClass: UpstreamErrorClass,
  status: number | null,
): LastFailure {
  const failure = { errorClass, retryable: true };
  return {
    target,
    failure,
    retryAfterMs: null,
    outcome: { kind: 'failure', failure, attempt, status, body: null, retryAfter: null },
  };
}

/** The usage row's record of a target the router chose but did not send to. */
export function notSentAttempt(
  resolved: ResolvedTarget,
  reason: AttemptReason,
  errorClass: AttemptErrorClass,
): AttemptRecord {
  return {
    targetId: resolved.target.id,
    accountId: resolved.account.id,
    providerId: resolved.provider.id,
    model: resolved.target.upstreamModel,
    status: null,
    errorClass,
    latencyMs: 0,
    ttftMs: null,
    reason,
  };
}
