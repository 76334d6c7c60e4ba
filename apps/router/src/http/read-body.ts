import type { IncomingMessage } from 'node:http';
import { fail, gatewayError, ok, type Result } from '@switchyard/core';

/**
 * Reads the whole request body, refusing anything over `maxBytes` (by Content-Length up front, or while
 * reading when the client streams it chunked).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Result<Buffer>> {
  const tooLarge = gatewayError('request_too_large', `Request body exceeds the limit of ${maxBytes} bytes.`);
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    req.resume();
    return Promise.resolve(fail(tooLarge));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        resolve(fail(tooLarge));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(ok(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    });
    req.on('error', () => {
      if (done) return;
      done = true;
      resolve(fail(gatewayError('invalid_request', 'The request body could not be read.')));
    });
  });
}
