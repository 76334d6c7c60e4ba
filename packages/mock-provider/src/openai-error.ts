/** The error object OpenAI returns on every non-2xx answer. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAiError(
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null) {
  return openAiError(message, 'invalid_request_error', param, code);
}

/** OpenAI's answer to a prompt longer than the model's context window (status 400). */
export function contextLengthExceeded(maxTokens: number, promptTokens: number): OpenAiErrorBody {
  return invalidRequest(
    `This model's maximum context length is ${maxTokens} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`,
    'messages',
    'context_length_exceeded',
  );
}

/**
 * The body OpenAI sends for a given status, as realistic as the mock can make it, for status overrides
 * and the fail rate. `model` makes the 404 name the model like the real one.
 */
export function openAiErrorForStatus(status: number, model?: string): OpenAiErrorBody {
  switch (status) {
    case 400:
      return invalidRequest('Mock bad request (injected by the mock provider).');
    case 401:
      return invalidRequest(
        'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
        null,
        'invalid_api_key',
      );
    case 403:
      return invalidRequest('You are not allowed to sample from this model (injected by the mock provider).');
    case 404:
      return invalidRequest(
        `The model \`${model ?? 'unknown'}\` does not exist or you do not have access to it.`,
        null,
        'model_not_found',
      );
    case 429:
      return openAiError(
        'Rate limit reached for requests (injected by the mock provider). Please try again later.',
        'requests',
        null,
        'rate_limit_exceeded',
      );
    case 500:
      return openAiError(
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
      );
    case 502:
      return openAiError('Bad gateway.', 'server_error', null, 'bad_gateway');
    case 503:
      return openAiError('The engine is currently overloaded, please try again later.', 'server_error');
    case 504:
      return openAiError('Gateway timeout.', 'server_error', null, 'timeout');
    default:
      return status < 500
        ? invalidRequest(`Mock error ${status} (injected by the mock provider).`)
        : openAiError(`Mock error ${status} (injected by the mock provider).`, 'server_error');
  }
}

/**
 * An error that echoes the presented credential, as some upstreams (and proxies in front of them) do: in full
 * in the message and `param`, URL-encoded in the message, and masked OpenAI's way (first 8 and last 4
 * characters) in the message and `code`.
 */
export function credentialEcho(credential: string): OpenAiErrorBody {
  const masked =
    credential.length > 12 ? `${credential.slice(0, 8)}****${credential.slice(-4)}` : `${credential}****`;
  return invalidRequest(
    `Invalid request for API key ${credential} (masked ${masked}; as received: Bearer%20${encodeURIComponent(credential)}).`,
    credential,
    `key_${masked}`,
  );
}
