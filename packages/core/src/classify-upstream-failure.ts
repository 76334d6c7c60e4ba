import type { UpstreamErrorFields } from './normalise-upstream-error';

/** Why an upstream attempt failed. A closed set so dashboards and policies can group on it. */
export type UpstreamErrorClass =
  | 'connect_error'
  | 'timeout'
  | 'server_error'
  | 'rate_limited'
  | 'upstream_auth'
  | 'client_error'
  | 'stream_interrupted'
  /**
   * The upstream answered, but not with an answer: a 3xx (never followed), a 2xx whose body is not JSON, or a
   * stream that is not SSE. A failure of that upstream, retried elsewhere (not on the same target).
   */
  | 'invalid_response'
  /** The answer outgrew the router's cap (a non-stream body, or one SSE event); reading stopped there. */
  | 'response_too_large'
  | 'client_cancelled';

/** What the router should do after a failed attempt. */
export interface UpstreamFailure {
  errorClass: UpstreamErrorClass;
  /** Another target may succeed where this one failed. */
  retryable: boolean;
}

/** An upstream answer that is not an answer (see `invalid_response`). */
export const INVALID_RESPONSE: UpstreamFailure = Object.freeze({
  errorClass: 'invalid_response',
  retryable: true,
});

/**
 * Classifies an upstream HTTP status that is not 2xx. Client errors are never retried elsewhere. A redirect
 * (or any status outside 4xx/5xx) is not followed: it is an invalid answer of that upstream, so another target
 * is tried, and its body never reaches the client.
 */
export function classifyUpstreamStatus(status: number): UpstreamFailure {
  if (status < 400) return INVALID_RESPONSE;
  if (status === 429) return { errorClass: 'rate_limited', retryable: true };
  if (status === 401 || status === 403) return { errorClass: 'upstream_auth', retryable: true };
  if (status === 408) return { errorClass: 'timeout', retryable: true };
  if (status >= 500) return { errorClass: 'server_error', retryable: true };
  return { errorClass: 'client_error', retryable: false };
}

const CONTEXT_WINDOW_MESSAGE =
  /maximum context length|context window|context_length|prompt is too long|too many tokens/i;

/**
 * Whether an upstream 400 says the prompt does not fit the model's context window (OpenAI's
 * `context_length_exceeded` code, or the wording other providers use), judged from the error fields the upstream's
 * adapter read from its native body. Such a request can succeed on a model with a larger window, so a route may
 * name a context fallback for it.
 */
export function isContextWindowError(status: number | null, error: UpstreamErrorFields | null): boolean {
  if (status !== 400 || error === null) return false;
  if (error.code === 'context_length_exceeded') return true;
  return error.message !== null && CONTEXT_WINDOW_MESSAGE.test(error.message);
}

/** Classifies a transport failure (no HTTP response). */
export function classifyTransportFailure(kind: 'connect' | 'timeout' | 'reset'): UpstreamFailure {
  if (kind === 'timeout') return { errorClass: 'timeout', retryable: true };
  return { errorClass: 'connect_error', retryable: true };
}
