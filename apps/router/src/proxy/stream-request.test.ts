import type { ServerResponse } from 'node:http';
import { errors } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation } from './cancellation';
import { type StreamBody, StreamDestroyedError, type StreamResponse, streamRequest } from './stream-request';
import { startTestUpstream, type TestRoute, type TestUpstream } from './test-upstream';

const EVENTS = ['data: {"n":1}\n\n', 'data: {"n":2}\n\n', 'data: [DONE]\n\n'];
const BIG_SLICE = Buffer.alloc(64 * 1024, 'x');
const BIG_SLICES = 128; // 8 MiB

/** What the upstream saw of the last call: bytes it got onto its socket, and whether the caller hung up. */
const seen = { written: 0, closed: false };

/** What the upstream does for each path, once the request is in. */
const answers: Record<string, (res: ServerResponse) => void> = {
  // The head and the first event in one write (a fast upstream), the rest later.
  '/sse': (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(EVENTS[0]);
    setTimeout(() => res.end(EVENTS.slice(1).join('')), 5);
  },
  '/big': (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let left = BIG_SLICES;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        left--;
        seen.written += BIG_SLICE.length;
        if (!res.write(BIG_SLICE)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  },
  '/limited': (res) => {
    res.writeHead(429, { 'retry-after': '7', 'content-type': 'text/plain' });
    res.end('x'.repeat(1_000));
  },
  '/hang': () => {},
  '/stall-after-first': (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(EVENTS[0]);
  },
};

/** A real upstream whose answer each test picks by path; it notes what became of the last call. */
const routes: Record<string, TestRoute> = Object.fromEntries(
  Object.entries(answers).map(([path, answer]): [string, TestRoute] => [
    path,
    (res) => {
      seen.written = 0;
      seen.closed = false;
      res.on('close', () => {
        seen.closed = true;
      });
      answer(res);
    },
  ]),
);

let upstream: TestUpstream;
beforeAll(async () => {
  upstream = await startTestUpstream(routes);
});
afterAll(() => upstream.close());

const call = (path: string, cancel = new Cancellation(), headersTimeout = 5_000) =>
  streamRequest(upstream.agent, {
    url: `${upstream.origin}${path}`,
    headers: { 'content-type': 'application/json' },
    body: '{}',
    cancel,
    headersTimeout,
    maxErrorBody: 100,
  });

function bodyOf(response: StreamResponse): StreamBody {
  if (!response.ok) throw new Error(`expected a 2xx, got ${response.statusCode}`);
  return response.body;
}

async function readAll(body: StreamBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const waitUntil = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('streamRequest', () => {
  it('answers at the head; the chunk that came with it is read without another turn of the event loop', async () => {
    const response = await call('/sse');
    expect(response).toMatchObject({ ok: true, statusCode: 200, contentType: 'text/event-stream' });
    const body = bodyOf(response);
    const iterator = body[Symbol.asyncIterator]();
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const first = await iterator.next();
    expect(turned).toBe(false);
    expect(String(first.value)).toBe(EVENTS[0]);
    expect(String(await readAll({ [Symbol.asyncIterator]: () => iterator, destroy: () => {} }))).toBe(
      EVENTS.slice(1).join(''),
    );
  });

  it('stops reading the upstream while the reader is behind, and gives every byte once it reads', async () => {
    const body = bodyOf(await call('/big'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Far from all of it: what the sockets and one high-water mark hold, not 8 MiB in memory.
    expect(seen.written).toBeLessThan(BIG_SLICES * BIG_SLICE.length);
    const whole = await readAll(body);
    expect(whole.length).toBe(BIG_SLICES * BIG_SLICE.length);
    expect(seen.written).toBe(BIG_SLICES * BIG_SLICE.length);
  });

  it('reads a non-2xx body whole, up to maxErrorBody, with its Retry-After', async () => {
    const response = await call('/limited');
    expect(response.ok).toBe(false);
    if (response.ok) return;
    expect(response.statusCode).toBe(429);
    expect(response.retryAfter).toBe('7');
    expect(response.body?.toString()).toBe('x'.repeat(100));
  });

  it('times the head to the millisecond and aborts the call', async () => {
    const started = performance.now();
    await expect(call('/hang', new Cancellation(), 250)).rejects.toBeInstanceOf(errors.HeadersTimeoutError);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(245);
    expect(waited).toBeLessThan(450);
    await waitUntil(() => seen.closed);
    expect(seen.closed).toBe(true);
  });

  it('rejects with the cancellation reason when cancelled before the head, and aborts the call', async () => {
    const cancel = new Cancellation();
    const pending = call('/hang', cancel);
    setTimeout(() => cancel.abort('client gone'), 50);
    await expect(pending).rejects.toBe('client gone');
    await waitUntil(() => seen.closed);
    expect(seen.closed).toBe(true);
  });

  it('a destroyed body throws at its next read and aborts the upstream request', async () => {
    const body = bodyOf(await call('/stall-after-first'));
    const iterator = body[Symbol.asyncIterator]();
    expect(String((await iterator.next()).value)).toBe(EVENTS[0]);
    const waiting = iterator.next();
    body.destroy();
    await expect(waiting).rejects.toBeInstanceOf(StreamDestroyedError);
    await expect(iterator.next()).rejects.toBeInstanceOf(StreamDestroyedError);
    await waitUntil(() => seen.closed);
    expect(seen.closed).toBe(true);
  });

  it('a cancellation after the head breaks the body with its reason', async () => {
    const cancel = new Cancellation();
    const body = bodyOf(await call('/stall-after-first', cancel));
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    const waiting = iterator.next();
    cancel.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    await waitUntil(() => seen.closed);
    expect(seen.closed).toBe(true);
  });
});
