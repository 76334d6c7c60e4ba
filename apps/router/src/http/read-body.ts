import type { IncomingMessage } from 'node:http';
import { fail, gatewayError, ok, type Result } from '@switchyard/core';
import { clearSharedTimeout, type SharedTimeout, setSharedTimeout } from '../proxy/shared-timeout';

/**
 * Reads the whole request body, refusing anything over `maxBytes` (by Content-Length up front, or while
 * reading when the client streams it chunked), and giving up with `request_timeout` when the client sends
 * nothing for `idleMs` (a client that never sends its body must not hold its socket and this request's
 * memory; answer with `connection: close`).
 */
export function readBody(req: IncomingMessage, maxBytes: number, idleMs: number): Promise<Result<Buffer>> {
  const declared = req.headers['content-length'];
  // With a declared length the body is whole at its last byte: answered there, not a tick later at 'end'.
  const expected = declared === undefined ? -1 : Number(declared);
  if (expected > maxBytes) {
    req.resume();
    return Promise.resolve(fail(tooLarge(maxBytes)));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    // Re-armed only when it fires, for what is left since the last chunk: a chunk costs a clock read.
    let lastDataAt = performance.now();
    // On the shared per-duration timer: nearly every body is whole before it falls due.
    let timer: SharedTimeout | null = null;
    const checkIdle = () => {
      timer = null;
      if (done) return;
      if (idleMs - (performance.now() - lastDataAt) > 1) {
        timer = setSharedTimeout(checkIdle, idleMs, lastDataAt);
        return;
      }
      done = true;
      chunks.length = 0;
      resolve(
        fail(gatewayError('request_timeout', `The request body did not arrive (nothing for ${idleMs} ms).`)),
      );
    };
    timer = setSharedTimeout(checkIdle, idleMs, lastDataAt);
    const stop = () => {
      done = true;
      if (timer) clearSharedTimeout(timer);
      timer = null;
    };
    const whole = () => {
      stop();
      resolve(ok(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      lastDataAt = performance.now();
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        resolve(fail(tooLarge(maxBytes)));
        return;
      }
      chunks.push(chunk);
      if (size === expected) whole();
    });
    req.on('end', () => {
      if (!done) whole();
    });
    req.on('error', () => {
      if (done) return;
      stop();
      resolve(fail(gatewayError('invalid_request', 'The request body could not be read.')));
    });
  });
}

/** Built only for a body that is refused: the message's number-to-text costs every request otherwise. */
function tooLarge(maxBytes: number) {
  return gatewayError('request_too_large', `Request body exceeds the limit of ${maxBytes} bytes.`);
}
