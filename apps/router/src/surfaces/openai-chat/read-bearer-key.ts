import type { IncomingMessage } from 'node:http';
import { fail, gatewayError, ok, type Result } from '@switchyard/core';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** OpenAI's way a key arrives: `Authorization: Bearer <key>` (every OpenAI surface reads it so). */
export function readBearerKey(req: IncomingMessage): Result<string> {
  const header = req.headers.authorization;
  if (!header) {
    return fail(
      gatewayError(
        'missing_api_key',
        "You didn't provide an API key. Use the header 'Authorization: Bearer <key>'.",
      ),
    );
  }
  const match = BEARER.exec(header);
  if (!match?.[1]) {
    return fail(gatewayError('invalid_api_key', "Malformed Authorization header; expected 'Bearer <key>'."));
  }
  return ok(match[1]);
}
