import type { ServerResponse } from 'node:http';
import { type FailoverStep, type GatewayError, gatewayError } from '@switchyard/core';
import { sendUpstreamError } from '../http/send-upstream-error';
import { adapterFor } from '../providers/provider-registry';
import { invalidResponseMessage } from '../proxy/invalid-response-message';
import type { LastFailure } from './attempt-records';
import type { ForwardRequest } from './forward-request';
import type { RequestErrorClass, Settlement } from './settlement';

/**
 * Answers after the ladder gave up, through the request's surface: an upstream client error (its status, its
 * fields redacted), else the gateway error that fits.
 */
export function failAll(
  res: ServerResponse,
  req: ForwardRequest,
  step: Extract<FailoverStep, { kind: 'fail' }>,
  last: LastFailure | null,
  totalMs: number,
): Settlement {
  const attemptCount = req.attempts.length;
  const retryAfterSeconds =
    step.retryAfterMs === null ? undefined : Math.max(1, Math.ceil(step.retryAfterMs / 1000));
  const settle = (httpStatus: number, errorClass: RequestErrorClass): Settlement => ({
    status: 'error',
    httpStatus,
    errorClass,
    served: null,
    usage: null,
    ttftMs: null,
  });
  const extra = {
    'x-switchyard-attempts': String(attemptCount),
    'x-switchyard-traffic-class': req.trafficClass,
  };
  const outcome = last?.outcome;
  if (step.reason === 'client_error' && last && outcome && outcome.status !== null) {
    const { provider, account } = last.target;
    sendUpstreamError(
      req.surface,
      res,
      req.requestId,
      {
        status: outcome.status,
        body: outcome.body,
        adapter: adapterFor(provider.kind, req.surface),
        credential: account.credential,
      },
      extra,
    );
    return settle(outcome.status, outcome.failure.errorClass);
  }
  const lastClass = last?.failure.errorClass ?? null;
  let error: GatewayError;
  if (step.reason === 'no_available_target' || lastClass === null) {
    error = gatewayError(
      'no_available_target',
      'No upstream target for this model is available right now (circuit open, cooling down, disabled or credential rejected).',
      null,
      retryAfterSeconds ?? 1,
    );
  } else if (lastClass === 'rate_limited') {
    error = gatewayError(
      'upstream_rate_limited',
      'The upstream provider is rate limiting this model; retry later.',
      null,
      retryAfterSeconds ?? 1,
    );
  } else if (step.reason === 'deadline_exceeded' || lastClass === 'timeout') {
    error = gatewayError(
      'upstream_timeout',
      `The upstream provider did not answer within the request's time limit (${totalMs} ms).`,
      null,
      retryAfterSeconds,
    );
  } else if (lastClass === 'response_too_large') {
    error = gatewayError('upstream_error', 'Upstream response too large: it exceeded the gateway’s limit.');
  } else if (lastClass === 'upstream_auth') {
    error = gatewayError('upstream_error', 'The upstream provider rejected the gateway credentials.');
  } else if (lastClass === 'invalid_response') {
    error = gatewayError(
      'upstream_error',
      invalidResponseMessage(last?.outcome.status ?? null, req.inbound.stream),
    );
  } else {
    const status = last?.outcome.status ?? null;
    const detail = status === null ? 'could not be reached' : `answered ${status}`;
    const budget = step.reason === 'retry_budget_exhausted' ? ' (retry budget exhausted)' : '';
    error = gatewayError(
      'upstream_error',
      `The upstream provider ${detail}${budget}.`,
      null,
      retryAfterSeconds,
    );
  }
  req.surface.sendError(res, req.requestId, error, extra);
  return settle(
    error.status,
    step.reason === 'client_error' ? (lastClass ?? 'client_error') : (lastClass ?? step.reason),
  );
}
