import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiCompatibleAdapter } from '../providers/openai/openai-adapter';
import { Cancellation } from './cancellation';
import { type RelayResult, relayStream } from './relay-stream';

const EVENT = 'data: {"choices":[{"delta":{"content":"Hello"}}]}\n\n';
const LIMIT_MS = 80;

/** What each relayed request does with its upstream body: the test writes into it, or not. */
let feed: (body: PassThrough) => void = () => {};
let finished: Promise<{ result: RelayResult; ms: number }> = Promise.resolve({} as never);
let relay: Server;
let origin = '';
const agent = new Agent();

beforeAll(async () => {
  relay = createServer((_req, res: ServerResponse) => {
    const body = new PassThrough();
    const started = performance.now();
    finished = relayStream(res, body, {
      adapter: openAiCompatibleAdapter,
      translator: null,
      forwardUsageChunk: false,
      startedAt: started,
      begin: () => res.writeHead(200, { 'content-type': 'text/event-stream' }),
      firstByteMs: LIMIT_MS,
      idleMs: LIMIT_MS,
      maxEventBytes: 1 << 20,
      cancel: new Cancellation(),
    }).then((result) => {
      res.end();
      return { result, ms: performance.now() - started };
    });
    feed(body);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.close();
  await new Promise<void>((resolve) => relay.close(() => resolve()));
});

describe('relayStream timeouts', () => {
  it('ends a stream whose first event never comes at the first-byte limit', async () => {
    feed = () => {};
    const answer = await request(`${origin}/`, { method: 'POST', body: '{}', dispatcher: agent });
    await answer.body.text().catch(() => '');
    const { result, ms } = await finished;
    expect(result.timedOut).toBe(true);
    expect(result.firstByteAt).toBe(null);
    expect(ms).toBeGreaterThanOrEqual(LIMIT_MS - 1);
    expect(ms).toBeLessThan(LIMIT_MS + 60);
  });

  it('ends a stream that stalls after an event at the idle limit, timed from that event', async () => {
    feed = (body) => setTimeout(() => body.write(EVENT), 50);
    const answer = await request(`${origin}/`, { method: 'POST', body: '{}', dispatcher: agent });
    const text = await answer.body.text();
    const { result, ms } = await finished;
    expect(text.startsWith(EVENT)).toBe(true);
    expect(result.timedOut).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(50 + LIMIT_MS - 1);
    expect(ms).toBeLessThan(50 + LIMIT_MS + 60);
  });
});
