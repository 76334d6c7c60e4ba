import type { IncomingMessage } from 'node:http';

/** The key of a Gemini request: the `x-goog-api-key` header, else the `key` query parameter. */
export function geminiKeyOf(req: IncomingMessage): string | undefined {
  const header = req.headers['x-goog-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  const key = new URLSearchParams(url.slice(query + 1)).get('key');
  return key === null || key === '' ? undefined : key;
}
