import {
  type AttemptRecord,
  breakerOutcome,
  parseRetryAfter,
  type ResolvedTarget,
  type UpstreamErrorClass,
} from '@switchyard/core';
import type { AttemptOutcome } from '../proxy/upstream-attempt';
import type { RouterContext } from '../router-context';
import { logAttemptFailure } from './log-attempt-failure';

/**
 * Teaches the health state what one attempt showed: its breaker outcome (2xx and upstream 4xx are successes;
 * connection errors, timeouts, 5xx and broken streams are failures; 429, 401/403 and cancels are neutral), a
 * cool-down after 429, a rejected credential after 401/403, and its latency for the health page. A failed
 * attempt is also logged, with the request's id.
 */
export function learnFromAttempt(
  ctx: RouterContext,
  requestId: string,
  resolved: ResolvedTarget,
  attempt: AttemptRecord,
  failure: Extract<AttemptOutcome, { kind: 'failure' }> | null,
): void {
  const { health } = ctx.failover;
  const now = ctx.now();
  // Only sent attempts are learnt from, and a sent attempt's class is always an upstream one.
  const errorClass = (failure?.failure.errorClass ?? attempt.errorClass) as UpstreamErrorClass | null;
  const breaker = health.breaker(resolved);
  const verdict = breakerOutcome(errorClass);
  if (verdict === 'success') breaker.onSuccess(now);
  else if (verdict === 'failure') breaker.onFailure(now);
  else breaker.release(now);
  const model = resolved.target.upstreamModel;
  health.recordAttempt(resolved.account.id, model, attempt.status !== null, attempt.latencyMs, errorClass);
  if (errorClass === 'rate_limited') {
    health.cooldowns.coolFor(resolved.account.id, model, now, parseRetryAfter(failure?.retryAfter, now));
  } else if (errorClass === 'upstream_auth' && health.markCredentialRejected(resolved.account, now)) {
    ctx.failover.onCredentialRejected(resolved.account, `upstream answered ${attempt.status}`);
  }
  ctx.metrics.attempt(resolved, errorClass);
  if (errorClass !== null) logAttemptFailure(ctx, requestId, resolved, attempt, errorClass, failure);
}
