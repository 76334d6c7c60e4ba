import {
  type AttemptReason,
  type AttemptRecord,
  type AttemptTimeouts,
  classifyTransportFailure,
  classifyUpstreamStatus,
  INVALID_RESPONSE,
  type ResolvedTarget,
  type UpstreamCall,
  type UpstreamFailure,
} from '@switchyard/core';
import { errors } from 'undici';
import type { RouterContext } from '../router-context';
import { bufferedRequest } from './buffered-request';
import type { Cancellation } from './cancellation';
import { ResponseTooLargeError } from './response-too-large-error';
import { type StreamResponse, streamRequest } from './stream-request';

/** Abort reason when the request's deadline passes (anything else aborting the signal is the client). */
export const DEADLINE_EXCEEDED = Symbol('deadline exceeded');

/** The outcome of one attempt against one target, before anything reached the client. */
export type AttemptOutcome =
  | {
      /** A 2xx stream, its body unread. */
      kind: 'stream';
      response: Extract<StreamResponse, { ok: true }>;
      attempt: AttemptRecord;
    }
  | {
      /**
       * A 2xx non-streaming answer, read whole inside the attempt so a body that breaks or stalls can still fail
       * over. Parsed by the relay before anything is sent (`AnswerJson`: how depends on whether it is relayed as
       * bytes or translated); one that is not a JSON object is the attempt's `invalid_response` there.
       */
      kind: 'answer';
      body: Buffer;
      attempt: AttemptRecord;
    }
  | {
      kind: 'failure';
      failure: UpstreamFailure;
      attempt: AttemptRecord;
      /** Upstream status and (bounded) body, kept so a client error can be answered in the caller's shape. */
      status: number | null;
      body: Buffer | null;
      retryAfter: string | null;
    };

const MAX_ERROR_BODY = 64 * 1024;

/** What one attempt sends and under which limits. */
export interface AttemptRequest {
  resolved: ResolvedTarget;
  /** The call the target's adapter built. */
  call: UpstreamCall;
  stream: boolean;
  /** Aborted by the client going away or by the request deadline ({@link DEADLINE_EXCEEDED}). */
  cancel: Cancellation;
  timeouts: AttemptTimeouts;
  reason: AttemptReason;
}

/**
 * Sends the call to one target and classifies the result. A 2xx stream is returned unread; a 2xx
 * non-stream body is read here, so a body that breaks or stalls is a failed attempt the ladder can move past.
 * Not itself async: an async function returning the attempt's promise would settle its own through one more
 * promise job (a thenable resolution) on every request.
 */
export function upstreamAttempt(ctx: RouterContext, req: AttemptRequest): Promise<AttemptOutcome> {
  const { target, account, provider } = req.resolved;
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
  return req.stream
    ? streamedAttempt(ctx, req, req.call, attempt, started)
    : bufferedAttempt(ctx, req, req.call, attempt, started);
}

/** A streaming attempt: the head is awaited, a 2xx event stream returned with its body unread. */
async function streamedAttempt(
  ctx: RouterContext,
  req: AttemptRequest,
  call: UpstreamCall,
  attempt: AttemptRecord,
  started: number,
): Promise<AttemptOutcome> {
  const { cancel, timeouts } = req;
  try {
    // The first-byte limit is a node timer exact to the millisecond (undici's headersTimeout ticks every 500 ms
    // past 1 s); the body's idle gaps are timed by the relay the same way.
    const response = await streamRequest(ctx.dispatcherFor(timeouts.connectMs), {
      url: call.url,
      headers: call.headers,
      body: call.body,
      cancel,
      headersTimeout: Math.min(timeouts.firstByteMs, ctx.limits.headersTimeoutMs),
      maxErrorBody: MAX_ERROR_BODY,
    });
    attempt.status = response.statusCode;
    attempt.latencyMs = Math.round(performance.now() - started);
    if (!response.ok) return statusFailure(attempt, response.statusCode, response.body, response.retryAfter);
    if (isEventStream(response.contentType)) return { kind: 'stream', response, attempt };
    // Whatever it is, it is not the stream asked for; do not read it.
    response.body.destroy();
    return invalidAnswer(attempt, response.statusCode);
  } catch (error) {
    attempt.latencyMs = Math.round(performance.now() - started);
    return thrownFailure(attempt, error, cancel, false);
  }
}

/** A non-streaming attempt: the whole answer is read before the ladder decides (a broken body can fail over). */
async function bufferedAttempt(
  ctx: RouterContext,
  req: AttemptRequest,
  call: UpstreamCall,
  attempt: AttemptRecord,
  started: number,
): Promise<AttemptOutcome> {
  const { cancel, timeouts } = req;
  let answered = false;
  try {
    const response = await bufferedRequest(ctx.dispatcherFor(timeouts.connectMs), {
      url: call.url,
      headers: call.headers,
      body: call.body,
      cancel,
      headersTimeout: Math.min(timeouts.firstByteMs, ctx.limits.headersTimeoutMs),
      bodyTimeout: Math.min(timeouts.idleMs, ctx.limits.bodyTimeoutMs),
      maxErrorBody: MAX_ERROR_BODY,
      maxBody: ctx.limits.maxResponseBytes,
      onHeaders: () => {
        answered = true;
      },
    });
    attempt.status = response.statusCode;
    attempt.latencyMs = Math.round(performance.now() - started);
    if (response.statusCode >= 200 && response.statusCode < 300) {
      attempt.ttftMs = attempt.latencyMs;
      return { kind: 'answer', body: response.body, attempt };
    }
    return statusFailure(
      attempt,
      response.statusCode,
      response.body.length > 0 ? response.body : null,
      response.retryAfter,
    );
  } catch (error) {
    attempt.latencyMs = Math.round(performance.now() - started);
    return thrownFailure(attempt, error, cancel, answered);
  }
}

function statusFailure(
  attempt: AttemptRecord,
  status: number,
  body: Buffer | null,
  retryAfter: string | null,
): AttemptOutcome {
  const failure = classifyUpstreamStatus(status);
  attempt.errorClass = failure.errorClass;
  return { kind: 'failure', failure, attempt, status, body, retryAfter };
}

/** A 2xx that is not the answer asked for: an upstream failure (`invalid_response`), never relayed. */
function invalidAnswer(attempt: AttemptRecord, status: number): AttemptOutcome {
  attempt.errorClass = INVALID_RESPONSE.errorClass;
  return { kind: 'failure', failure: INVALID_RESPONSE, attempt, status, body: null, retryAfter: null };
}

const EVENT_STREAM = /^\s*text\/event-stream\s*(;|$)/i;

/** `text/event-stream`, with any parameters (`; charset=utf-8`), in any case; a regex test allocates nothing. */
function isEventStream(contentType: string | undefined): boolean {
  return contentType !== undefined && EVENT_STREAM.test(contentType);
}

function thrownFailure(
  attempt: AttemptRecord,
  error: unknown,
  cancel: Cancellation,
  answered: boolean,
): AttemptOutcome {
  const failure = attemptFailure(error, cancel, answered);
  attempt.errorClass = failure.errorClass;
  return { kind: 'failure', failure, attempt, status: null, body: null, retryAfter: null };
}

/** Classifies a thrown error: the client leaving, the deadline, or the upstream's transport. */
function attemptFailure(error: unknown, cancel: Cancellation, answered: boolean): UpstreamFailure {
  if (cancel.aborted) {
    return cancel.reason === DEADLINE_EXCEEDED
      ? { errorClass: 'timeout', retryable: true }
      : { errorClass: 'client_cancelled', retryable: false };
  }
  if (error instanceof ResponseTooLargeError) return { errorClass: 'response_too_large', retryable: true };
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
