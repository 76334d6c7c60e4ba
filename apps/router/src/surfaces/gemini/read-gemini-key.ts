import type { IncomingMessage } from 'node:http';
import { fail, gatewayError, ok, type Result } from '@switchyard/core';

/**
 * Gemini's ways a key arrives: the `x-goog-api-key` header (what `@google/genai` sends), else the `key` query
 * parameter of the request target (`?key=…`, Google's REST examples). The request target is never logged by the
 * router, so a key in the query stays out of the logs.
 */
export function readGeminiKey(req: IncomingMessage, url: string): Result<string> {
  const header = req.headers['x-goog-api-key'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader !== undefined) {
    const key = fromHeader.trim();
    return key.length > 0 && !/\s/.test(key)
      ? ok(key)
      : fail(gatewayError('invalid_api_key', 'Malformed x-goog-api-key header.'));
  }
  const q = url.indexOf('?');
  const fromQuery = q === -1 ? null : new URLSearchParams(url.slice(q + 1)).get('key');
  if (fromQuery !== null && fromQuery.length > 0) return ok(fromQuery);
  return fail(
    gatewayError(
      'missing_api_key',
      "You didn't provide an API key. Use the header 'x-goog-api-key: <key>' or the query parameter 'key'.",
    ),
  );
}
