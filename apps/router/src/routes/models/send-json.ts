import type { ServerResponse } from 'node:http';

/** A 200 JSON answer with the request id header. */
export function sendJson(res: ServerResponse, requestId: string, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
  });
  res.end(text);
}
