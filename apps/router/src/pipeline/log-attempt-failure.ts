import {
  type AttemptRecord,
  normaliseUpstreamError,
  type ResolvedTarget,
  type UpstreamErrorClass,
} from '@switchyard/core';
import { adapterFor } from '../providers/provider-registry';
import type { AttemptOutcome } from '../proxy/upstream-attempt';
import type { RouterContext } from '../router-context';

/**
 * Logs a failed upstream attempt: `warn` when the upstream is at fault (5xx, timeout, refused connection, 429,
 * rejected credential, broken or invalid answer), `debug` for an upstream client error (the caller's request,
 * answered to the caller as such); nothing when the client went away. The upstream's own error message is
 * logged as core normalises it for the caller: the account's credential redacted in every form, bounded.
 */
export function logAttemptFailure(
  ctx: RouterContext,
  requestId: string,
  resolved: ResolvedTarget,
  attempt: AttemptRecord,
  errorClass: UpstreamErrorClass,
  failure: Extract<AttemptOutcome, { kind: 'failure' }> | null,
): void {
  if (errorClass === 'client_cancelled') return;
  const body = failure?.body ?? null;
  const fields =
    body === null ? null : (adapterFor(resolved.provider.kind)?.readError(body.toString('utf8')) ?? null);
  const upstreamMessage = normaliseUpstreamError(fields, [resolved.account.credential]).message;
  const line = {
    requestId,
    providerId: resolved.provider.id,
    accountId: resolved.account.id,
    targetId: resolved.target.id,
    model: resolved.target.upstreamModel,
    reason: attempt.reason,
    status: attempt.status,
    errorClass,
    latencyMs: attempt.latencyMs,
    ...(upstreamMessage === null ? {} : { upstreamMessage }),
  };
  if (errorClass === 'client_error') ctx.logger.debug('upstream attempt refused the request', line);
  else ctx.logger.warn('upstream attempt failed', line);
}
