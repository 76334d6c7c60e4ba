import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Bodies above this are refused with 413; the mock is not a place to upload files. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Reads the whole body as UTF-8; `undefined` when it exceeds `MAX_BODY_BYTES`. */
export function readBody(req: IncomingMessage, done: (text: string | undefined) => void): void {
  let first: Buffer | undefined;
  let rest: Buffer[] | undefined;
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return;
    if (first === undefined) first = chunk;
    else {
      rest ??= [first];
      rest.push(chunk);
    }
  });
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) done(undefined);
    else if (rest !== undefined) done(Buffer.concat(rest).toString('utf8'));
    else done(first === undefined ? '' : first.toString('utf8'));
  });
}

/** Sends a JSON body with its length (so keep-alive needs no chunked framing); `headers` may replace its content type. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: OutgoingHttpHeaders,
): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    ...headers,
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

/** Whether the client is gone, so delayed work can stop. */
export function isGone(res: ServerResponse): boolean {
  return res.socket === null || res.socket.destroyed;
}
