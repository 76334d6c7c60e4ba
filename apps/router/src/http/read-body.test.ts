import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBody } from './read-body';

/** A request whose body the test writes: a stream with the headers readBody looks at. */
function request(contentLength?: number): PassThrough & IncomingMessage {
  const req = new PassThrough() as PassThrough & IncomingMessage;
  req.headers = contentLength === undefined ? {} : { 'content-length': String(contentLength) };
  return req;
}

describe('readBody', () => {
  it('returns a body that arrives whole', async () => {
    const req = request(11);
    const read = readBody(req, 1_000, 50);
    req.write('hello world');
    const result = await read;
    expect(result.ok && result.value.toString()).toBe('hello world');
  });

  it('gives up with request_timeout when the body does not come within the idle limit', async () => {
    const req = request(10);
    const started = performance.now();
    const result = await readBody(req, 1_000, 80);
    const ms = performance.now() - started;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('request_timeout');
    expect(ms).toBeGreaterThanOrEqual(79);
    expect(ms).toBeLessThan(80 + 60);
  });

  it('times the idle limit from the last chunk, not from the start', async () => {
    const req = request(10);
    const started = performance.now();
    const read = readBody(req, 1_000, 80);
    // A first chunk at ~50 ms moves the limit to ~130 ms.
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        req.write('12345');
        resolve();
      }, 50),
    );
    const result = await read;
    const ms = performance.now() - started;
    expect(!result.ok && result.error.code).toBe('request_timeout');
    expect(ms).toBeGreaterThanOrEqual(50 + 79);
    expect(ms).toBeLessThan(50 + 80 + 60);
  });
});
