/** Why an upstream attempt failed. A closed set so dashboards and policies can group on it. */
export type UpstreamErrorClass =
  | 'connect_error'
  | 'timeout'
  | 'server_error'
  | 'rate_limited'
  | 'upstream_auth'
  | 'client_error'
  | 'stream_interrupted'
  | 'client_cancelled';

/** What the router should do after a failed attempt. */
export interface UpstreamFailure {
  errorClass: UpstreamErrorClass;
  /** Another target may succeed where this one failed. */
  retryable: boolean;
}

/** Classifies an upstream HTTP status that is not 2xx. Client errors are never retried elsewhere. */
export function classifyUpstreamStatus(status: number): UpstreamFailure {
  if (status === 429) return { errorClass: 'rate_limited', retryable: true };
  if (status === 401 || status === 403) return { errorClass: 'upstream_auth', retryable: true };
  if (status === 408) return { errorClass: 'timeout', retryable: true };
  if (status >= 500) return { errorClass: 'server_error', retryable: true };
  return { errorClass: 'client_error', retryable: false };
}

/** Classifies a transport failure (no HTTP response). */
export function classifyTransportFailure(kind: 'connect' | 'timeout' | 'reset'): UpstreamFailure {
  if (kind === 'timeout') return { errorClass: 'timeout', retryable: true };
  return { errorClass: 'connect_error', retryable: true };
}
