/** Closed set of errors the gateway itself raises; each maps to one HTTP status. */
export type GatewayErrorCode =
  | 'missing_api_key'
  | 'invalid_api_key'
  | 'revoked_api_key'
  | 'expired_api_key'
  | 'model_not_allowed'
  | 'model_not_found'
  | 'invalid_json'
  | 'invalid_request'
  /**
   * The request uses a feature the upstream that would serve it cannot honour (e.g. `n: 3` to an Anthropic
   * upstream, `logprobs` across protocols): refused, naming it, never silently dropped.
   */
  | 'unsupported_feature'
  | 'request_too_large'
  /** The client stopped sending its request body (ROUTER_BODY_IDLE_TIMEOUT_MS); the connection is closed. */
  | 'request_timeout'
  | 'not_found'
  | 'method_not_allowed'
  | 'no_available_target'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'upstream_rate_limited'
  | 'service_unavailable'
  /**
   * The route's missing-price policy is `block` and no target that could serve the request has a price in
   * force. 503, not 4xx: the request is fine and the caller cannot fix it; it succeeds unchanged once an
   * operator adds a price. No Retry-After: that is a configuration change, not seconds away.
   */
  | 'price_missing'
  /** A hard budget would be overrun by the request's worst-case cost. */
  | 'budget_exceeded'
  /** The caller's key or team is over its RPM/TPM limit. */
  | 'rate_limited'
  /** Budgets or rate limits cannot be checked right now; refused rather than served unaccounted. */
  | 'usage_unavailable';

const STATUS: Record<GatewayErrorCode, number> = {
  missing_api_key: 401,
  invalid_api_key: 401,
  revoked_api_key: 401,
  expired_api_key: 401,
  model_not_allowed: 403,
  model_not_found: 404,
  invalid_json: 400,
  invalid_request: 400,
  unsupported_feature: 400,
  request_too_large: 413,
  request_timeout: 408,
  not_found: 404,
  method_not_allowed: 405,
  no_available_target: 503,
  upstream_error: 502,
  upstream_timeout: 504,
  upstream_rate_limited: 429,
  service_unavailable: 503,
  price_missing: 503,
  budget_exceeded: 429,
  rate_limited: 429,
  usage_unavailable: 503,
};

/** A gateway error: what went wrong, which request field (if any) is to blame, and its HTTP status. */
export interface GatewayError {
  code: GatewayErrorCode;
  message: string;
  /** The request field at fault, e.g. "messages[0].role". */
  param: string | null;
  status: number;
  /** Seconds the caller should wait before retrying, when known. */
  retryAfterSeconds?: number;
}

export function gatewayError(
  code: GatewayErrorCode,
  message: string,
  param: string | null = null,
  retryAfterSeconds?: number,
): GatewayError {
  const error: GatewayError = { code, message, param, status: STATUS[code] };
  if (retryAfterSeconds !== undefined) error.retryAfterSeconds = retryAfterSeconds;
  return error;
}

/** Result type for expected failures: core never throws for them. */
export type Result<T, E = GatewayError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
