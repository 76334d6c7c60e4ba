import type { IncomingMessage } from 'node:http';
import { type AnthropicErrorBody, anthropicError, anthropicInvalidRequest } from './anthropic-error';

/**
 * What Anthropic checks before the body: a key (401 `authentication_error`) and the `anthropic-version`
 * header (400). Any version string is accepted; the mock speaks one.
 */
export function checkAnthropicHeaders(
  req: IncomingMessage,
  apiKey: string | undefined,
): { status: number; body: AnthropicErrorBody } | undefined {
  if (apiKey === undefined) {
    return { status: 401, body: anthropicError('authentication_error', 'x-api-key header is required') };
  }
  const version = req.headers['anthropic-version'];
  if (typeof version !== 'string' || version.trim() === '') {
    return { status: 400, body: anthropicInvalidRequest('anthropic-version: header is required') };
  }
  return undefined;
}
