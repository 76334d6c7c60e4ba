import {
  type AttemptRecord,
  classifyTransportFailure,
  classifyUpstreamStatus,
  type ProviderAdapter,
  type ResolvedTarget,
  type UpstreamFailure,
} from '@switchyard/core';
import { type Dispatcher, errors, request } from 'undici';
import type { RouterContext } from '../router-context';

type ResponseData = Dispatcher.ResponseData;

/** The outcome of one attempt against one target, before anything reached the client. */
export type AttemptOutcome =
  | { kind: 'response'; response: ResponseData; attempt: AttemptRecord }
  | {
      kind: 'failure';
      failure: UpstreamFailure;
      attempt: AttemptRecord;
      /** Upstream status and body, kept so a non-retryable client error can be relayed verbatim. */
      status: number | null;
      body: Buffer | null;
      retryAfter: string | null;
    };

const MAX_ERROR_BODY = 64 * 1024;

/** Sends the call to one target and classifies the result; a 2xx response is returned unread. */
export async function upstreamAttempt(
  ctx: RouterContext,
  resolved: ResolvedTarget,
  adapter: ProviderAdapter,
  body: Record<string, unknown>,
  stream: boolean,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  const { target, account, provider } = resolved;
  const call = adapter.buildChatCall({
    baseUrl: provider.baseUrl,
    credential: account.credential,
    upstreamModel: target.upstreamModel,
    body,
    stream,
  });
  const started = performance.now();
  const attempt: AttemptRecord = {
    targetId: target.id,
    accountId: account.id,
    providerId: provider.id,
    model: target.upstreamModel,
    status: null,
    errorClass: null,
    latencyMs: 0,
    ttftMs: null,
  };
  try {
    const response = await request(call.url, {
      method: 'POST',
      headers: call.headers,
      body: call.body,
      dispatcher: ctx.dispatcher,
      signal,
      headersTimeout: ctx.limits.headersTimeoutMs,
      bodyTimeout: ctx.limits.bodyTimeoutMs,
    });
    attempt.status = response.statusCode;
    attempt.latencyMs = Math.round(performance.now() - started);
    if (response.statusCode >= 200 && response.statusCode < 300)
      return { kind: 'response', response, attempt };
    const failure = classifyUpstreamStatus(response.statusCode);
    attempt.errorClass = failure.errorClass;
    const errorBody = await readBounded(response.body, MAX_ERROR_BODY);
    const retryAfter = response.headers['retry-after'];
    return {
      kind: 'failure',
      failure,
      attempt,
      status: response.statusCode,
      body: errorBody,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
    };
  } catch (error) {
    attempt.latencyMs = Math.round(performance.now() - started);
    const failure = signal.aborted
      ? { errorClass: 'client_cancelled' as const, retryable: false }
      : classifyTransportFailure(transportKind(error));
    attempt.errorClass = failure.errorClass;
    return { kind: 'failure', failure, attempt, status: null, body: null, retryAfter: null };
  }
}

function transportKind(error: unknown): 'connect' | 'timeout' | 'reset' {
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError)
    return 'timeout';
  if (error instanceof errors.ConnectTimeoutError) return 'timeout';
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'connect';
  return 'reset';
}

async function readBounded(body: ResponseData['body'], max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      if (size + buf.length > max) {
        chunks.push(buf.subarray(0, max - size));
        body.destroy();
        break;
      }
      chunks.push(buf);
      size += buf.length;
    }
  } catch {
    // A broken error body still leaves us the status code.
  }
  return chunks.length ? Buffer.concat(chunks) : null;
}
