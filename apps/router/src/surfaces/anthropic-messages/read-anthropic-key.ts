import type { IncomingMessage } from 'node:http';
import { fail, gatewayError, ok, type Result } from '@switchyard/core';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Anthropic's way a key arrives: `x-api-key` (what `@anthropic-ai/sdk` sends), else `Authorization: Bearer`
 * (the SDK's `authToken`, and OpenAI-minded clients). The `anthropic-version` header is checked here too, first,
 * as Anthropic does: its API answers 400 without one, and every official SDK sends it, so requiring it costs a
 * real client nothing while keeping the router's `/v1/messages` a faithful stand-in.
 */
export function readAnthropicKey(req: IncomingMessage): Result<string> {
  const version = req.headers['anthropic-version'];
  if (typeof version !== 'string' || version.trim() === '') {
    return fail(
      gatewayError('invalid_request', 'anthropic-version: header is required', 'anthropic-version'),
    );
  }
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') return ok(apiKey.trim());
  const authorization = req.headers.authorization;
  if (authorization) {
    const match = BEARER.exec(authorization);
    if (match?.[1]) return ok(match[1]);
    return fail(gatewayError('invalid_api_key', "Malformed Authorization header; expected 'Bearer <key>'."));
  }
  return fail(
    gatewayError(
      'missing_api_key',
      "You didn't provide an API key. Use the header 'x-api-key: <key>' (or 'Authorization: Bearer <key>').",
    ),
  );
}
