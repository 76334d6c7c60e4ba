import type { AnthropicErrorType } from './anthropic-messages';

const TYPES: ReadonlySet<string> = new Set<AnthropicErrorType>([
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'timeout_error',
  'api_error',
  'overloaded_error',
]);

/** The Anthropic error type a status answers with, as the Anthropic API uses them. */
export function anthropicErrorType(status: number): AnthropicErrorType {
  switch (status) {
    case 400:
    case 422:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 503:
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/**
 * An error body in Anthropic's shape, request id included:
 * `{"type":"error","error":{"type","message","details"?:{"error_code","param"?}},"request_id"}`. `type` is kept
 * when it already is an Anthropic error type (an Anthropic upstream's own), else derived from the status. The
 * gateway's code (`unsupported_feature`, `budget_exceeded`, …) and the field at fault ride in `details`, where
 * `@anthropic-ai/sdk` reads `error_code` into `APIError.errorCode`.
 */
export function anthropicErrorBody(
  status: number,
  error: { message: string; type?: string | null; code?: string | null; param?: string | null },
  requestId: string,
): string {
  const type = error.type && TYPES.has(error.type) ? error.type : anthropicErrorType(status);
  const body: {
    type: 'error';
    error: { type: string; message: string; details?: { error_code: string; param?: string } };
    request_id: string;
  } = { type: 'error', error: { type, message: error.message }, request_id: requestId };
  if (error.code) {
    body.error.details = { error_code: error.code };
    if (error.param) body.error.details.param = error.param;
  }
  return JSON.stringify(body);
}
