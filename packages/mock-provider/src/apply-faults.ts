import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ErrorDialect, OPENAI_ERRORS } from './error-dialect';
import { isGone, sendJson } from './http-io';
import type { MockContext } from './mock-context';
import { type MockFaultSettings, resolveFaults } from './mock-faults';
import { readFaultHeaders } from './read-fault-headers';

/**
 * Runs a `/v1` request through its faults (defaults, `byModel[model]`, `byKey[apiKey]`, then headers), then
 * calls `answer` unless a fault answered instead: a malformed `x-mock-*` header → 400; `hang` → never
 * answers; `latencyMs` → waits; `status` → that error; `failRate` → 500 with that probability. Stream and
 * drop faults are left to `answer`, which gets the resolved settings. Errors are worded in `errors`'s
 * protocol (OpenAI's by default).
 */
export function applyFaults(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  model: string | undefined,
  apiKey: string | undefined,
  answer: (faults: MockFaultSettings) => void,
  errors: ErrorDialect = OPENAI_ERRORS,
): void {
  const fromHeaders = readFaultHeaders(req.headers);
  if (!fromHeaders.ok) {
    sendJson(res, 400, errors.badHeader(fromHeaders.message), { 'x-request-id': requestId });
    return;
  }
  const forModel = model === undefined ? undefined : ctx.byModel?.get(model);
  const forKey = apiKey === undefined ? undefined : ctx.byKey?.get(apiKey);
  const faults = resolveFaults(ctx.defaults, forModel, forKey, fromHeaders.value);
  if (faults.hang === true) return;
  const latency = faults.latencyMs ?? 0;
  if (latency === 0) respond(ctx, res, requestId, model, apiKey, faults, answer, errors);
  else {
    ctx.later(latency, () => {
      if (!isGone(res)) respond(ctx, res, requestId, model, apiKey, faults, answer, errors);
    });
  }
}

/** `302 Found` to `location`, with the small HTML body servers send along. */
function sendRedirect(res: ServerResponse, requestId: string, location: string): void {
  const body = `<html><body>Found. Redirecting to <a href="${location}">${location}</a></body></html>`;
  res.writeHead(302, {
    location,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  });
  res.end(body);
}

function respond(
  ctx: MockContext,
  res: ServerResponse,
  requestId: string,
  model: string | undefined,
  apiKey: string | undefined,
  faults: MockFaultSettings,
  answer: (faults: MockFaultSettings) => void,
  errors: ErrorDialect,
): void {
  if (faults.redirectTo !== undefined) {
    sendRedirect(res, requestId, faults.redirectTo);
    return;
  }
  if (faults.echoCredential === true) {
    const status = faults.status !== undefined && faults.status !== 200 ? faults.status : 400;
    sendJson(res, status, errors.credentialEcho(apiKey ?? ''), { 'x-request-id': requestId });
    return;
  }
  let status = faults.status !== undefined && faults.status !== 200 ? faults.status : undefined;
  if (
    status === undefined &&
    faults.failRate !== undefined &&
    faults.failRate > 0 &&
    ctx.random() < faults.failRate
  ) {
    status = 500;
  }
  if (status === undefined) {
    answer(faults);
    return;
  }
  sendJson(
    res,
    status,
    errors.forStatus(status, model),
    faults.retryAfter === undefined
      ? { 'x-request-id': requestId }
      : { 'x-request-id': requestId, 'retry-after': String(faults.retryAfter) },
  );
}
