import type { IncomingMessage } from 'node:http';
import { bearerKeyOf } from '../bearer-key-of';

/** The key of an Anthropic request: `x-api-key`, else an `Authorization: Bearer` token (OAuth callers). */
export function anthropicKeyOf(req: IncomingMessage): string | undefined {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key.length > 0) return key;
  return bearerKeyOf(req.headers);
}
