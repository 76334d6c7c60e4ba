import {
  type AttemptReason,
  type AttemptRecord,
  type AttemptTimeouts,
  classifyTransportFailure,
  classifyUpstreamStatus,
  type ProviderAdapter,
  type ResolvedTarget,
  type UpstreamFailure,
} from '@switchyard/core';
import { type Dispatcher, errors, request } from 'undici';
import type { RouterContext } from '../router-context';

type ResponseData = Dispatcher.ResponseData;

/** Abort reason when the request's deadline passes (anything else aborting the signal is the client). */
export const DEADLINE_EXCEEDED = Symbol('deadline exceeded');

/** The outcome of one attempt against one target, before anything reached the client. */
export type AttemptOutcome =
  | {
      kind: 'response';
      /** Streams: the unread upstream body. */
      response: ResponseData;
      /** Non-streaming: the whole body, read inside the attempt so a broken body can still fail over. */
      body: Buffer | null;
      attempt: AttemptRecord;
    }
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

/** What one attempt sends and under which limits. */
export interface AttemptRequest {
  resolved: ResolvedTarget;
  adapter: ProviderAdapter;
  body: Record<string, unknown>;
  stream: boolean;
  /** Aborted by the client going away or by the request deadline ({@link DEADLINE_EXCEEDED}). */
  signal: AbortSignal;
  timeouts: AttemptTimeouts;
  reason: AttemptReason;
}

/**
 * Sends the call to one target and classifies the result. A 2xx stream is returned unread; a 2xx
 * non-stream body is read here, so a body that breaks or stalls is a failed attempt the ladder can move past.
 */
export async function upstreamAttempt(ctx: RouterContext, req: AttemptRequest): Promise<AttemptOutcome> {
  const { resolved, adapter, signal, timeouts } = req;
  const { target, account, provider } = resolved;
  const call = adapter.buildChatCall({
    baseUrl: provider.baseUrl,
    credential: account.credential,
    upstreamModel: target.upstreamModel,
    body: req.body,
    stream: req.stream,
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
    reason: req.reason,
  };
  let response: ResponseData | null = null;
  try {
    response = await request(call.url, {
      method: 'POST',
      headers: call.headers,
      body: call.body,
      dispatcher: ctx.dispatcherFor(timeouts.connectMs),
      signal,
      headersTimeout: Math.min(timeouts.firstByteMs, ctx.limits.headersTimeoutMs),
      bodyTimeout: Math.min(timeouts.idleMs, ctx.limits.bodyTimeoutMs),
    });
    attempt.status = response.statusCode;
    if (response.statusCode >= 200 && response.statusCode < 300) {
      if (req.stream) {
        attempt.latencyMs = Math.round(performance.now() - started);
        return { kind: 'response', response, body: null, attempt };
      }
      const body = Buffer.from(await response.body.arrayBuffer());
      attempt.latencyMs = Math.round(performance.now() - started);
      attempt.ttftMs = attempt.latencyMs;
      return { kind: 'response', response, body, attempt };
    }
    attempt.latencyMs = Math.round(performance.now() - started);
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
    response?.body.destroy();
    const failure = attemptFailure(error, signal, response !== null);
    attempt.errorClass = failure.errorClass;
    return { kind: 'failure', failure, attempt, status: null, body: null, retryAfter: null };
  }
}

/** Classifies a thrown error: the client leaving, the deadline, or the upstream's transport. */
function attemptFailure(error: unknown, signal: AbortSignal, answered: boolean): UpstreamFailure {
  if (signal.aborted) {
    return signal.reason === DEADLINE_EXCEEDED
      ? { errorClass: 'timeout', retryable: true }
      : { errorClass: 'client_cancelled', retryable: false };
  }
  const kind = transportKind(error);
  // Headers arrived but the body broke: the upstream failed mid-answer, as a stream would.
  if (answered && kind === 'reset') return { errorClass: 'stream_interrupted', retryable: true };
  return classifyTransportFailure(kind);
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
