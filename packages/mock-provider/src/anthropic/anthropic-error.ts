import { credentialEchoMessage, type ErrorDialect } from '../error-dialect';

/** Anthropic's `error.type` values. */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error';

/** The body Anthropic returns on every non-2xx answer (and as a stream's `error` event). */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
}

export function anthropicError(type: AnthropicErrorType, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message } };
}

/** A 400 `invalid_request_error`, Anthropic's answer to a bad field (`messages: Field required`). */
export function anthropicInvalidRequest(message: string): AnthropicErrorBody {
  return anthropicError('invalid_request_error', message);
}

/** The body Anthropic sends for a given status, for status faults and the fail rate. */
export function anthropicErrorForStatus(status: number, model?: string): AnthropicErrorBody {
  switch (status) {
    case 400:
      return anthropicInvalidRequest('Mock bad request (injected by the mock provider).');
    case 401:
      return anthropicError('authentication_error', 'invalid x-api-key');
    case 402:
      return anthropicError('billing_error', 'Your credit balance is too low to access the Anthropic API.');
    case 403:
      return anthropicError(
        'permission_error',
        'Your API key does not have permission to use the specified resource.',
      );
    case 404:
      return anthropicError('not_found_error', `model: ${model ?? 'unknown'}`);
    case 413:
      return anthropicError('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    case 429:
      return anthropicError(
        'rate_limit_error',
        'This request would exceed the rate limit for your organization (injected by the mock provider). Please try again later.',
      );
    case 500:
      return anthropicError('api_error', 'Internal server error');
    case 504:
      return anthropicError('timeout_error', 'Request timed out');
    case 529:
      return anthropicError('overloaded_error', 'Overloaded');
    default:
      return status < 500
        ? anthropicInvalidRequest(`Mock error ${status} (injected by the mock provider).`)
        : anthropicError('api_error', `Mock error ${status} (injected by the mock provider).`);
  }
}

/** Anthropic's error vocabulary for the fault layer. */
export const ANTHROPIC_ERRORS: ErrorDialect = {
  forStatus: anthropicErrorForStatus,
  badHeader: anthropicInvalidRequest,
  credentialEcho: (credential) => anthropicInvalidRequest(credentialEchoMessage(credential)),
};
