import { fail, gatewayError, type Result } from '../../gateway-error';
import type { ChatRequestBody } from '../canonical-chat';
import { geminiToChatRequest } from './gemini-to-chat-request';
import { geminiCamelName, isGeminiObject } from './gemini-wire';

/** Gemini's `countTokens` answer. */
export interface GeminiCountTokensResponse {
  totalTokens: number;
}

/**
 * Surface side: a `models/{model}:countTokens` body — `{contents}` as `@google/genai` sends it, or
 * `{generateContentRequest: {...}}` as the REST API also takes — as the canonical request whose prompt the gateway
 * counts (with the same validation and refusals as generateContent). The count itself is the router's.
 */
export function geminiCountTokensToChatRequest(body: unknown, model: string): Result<ChatRequestBody> {
  if (!isGeminiObject(body))
    return fail(gatewayError('invalid_request', 'The request body must be a JSON object.', 'body'));
  let inner: unknown;
  let contents: unknown;
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    const name = geminiCamelName(key);
    if (name === 'generateContentRequest') inner = value;
    else if (name === 'contents') contents = value;
    else {
      return fail(
        gatewayError(
          'unsupported_feature',
          `The countTokens field '${key}' cannot be translated for this model's provider.`,
          key,
        ),
      );
    }
  }
  if (inner !== undefined && contents !== undefined) {
    return fail(
      gatewayError(
        'invalid_request',
        "Set either 'contents' or 'generateContentRequest', not both.",
        'generateContentRequest',
      ),
    );
  }
  return geminiToChatRequest(inner !== undefined ? inner : { contents }, { model, stream: false });
}

/** The count in Gemini's words. */
export function geminiCountTokensResponse(totalTokens: number): GeminiCountTokensResponse {
  return { totalTokens };
}
