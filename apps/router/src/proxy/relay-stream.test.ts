import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderAdapter } from '@switchyard/core';
import { waitFor } from '@switchyard/testkit';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiCompatibleAdapter } from '../providers/openai/openai-adapter';
import { Cancellation } from './cancellation';
import { type RelayResult, relayStream } from './relay-stream';

const EVENTS = [
  'data: {"choices":[{"delta":{"role":"assistant","content":""}}]}\n\n',
  'data: {"choices":[{"delta":{"content":"Hello"}}]}\n\n',
  'data: {"choices":[{"delta":{"content":" there"}}]}\n\n',
];
const USAGE_ONLY =
  'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}\n\n';
const DONE = 'data: [DONE]\n\n';

/** Bytes on the caller's socket (written or queued) each time the relay read an event, in order. */
let writtenAtEvent: number[] = [];
/** Bytes still queued in the caller's socket (corked, or not yet taken by the kernel) at each event read. */
let queuedAtEvent: number[] = [];
/** At each event read: had a 0 ms timer, set when the first event was read, fired (the loop slept since)? */
let timerTurnedAtEvent: boolean[] = [];
/** Set for one request: the caller's connection is destroyed right after the first event is read. */
let leaveAtFirstEvent = false;
let relayed: RelayResult | null = null;
let upstream: Server;
let relay: Server;
let relayOrigin = '';
const agent = new Agent();

beforeAll(async () => {
  // The whole stream in one write, as a fast upstream's reply arrives: one chunk, many events.
  upstream = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(EVENTS.join('') + USAGE_ONLY + DONE);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
  relay = createServer(async (_req, res) => {
    let timerTurned = false;
    const answer = await request(upstreamUrl, { method: 'POST', body: '{}', dispatcher: agent });
    // The real adapter, watched: what had reached the caller's socket when each event was read.
    const adapter: ProviderAdapter = {
      ...openAiCompatibleAdapter,
      readStreamEvent: (data) => {
        writtenAtEvent.push(res.socket?.bytesWritten ?? 0);
        queuedAtEvent.push(res.socket?.writableLength ?? -1);
        timerTurnedAtEvent.push(timerTurned);
        if (timerTurnedAtEvent.length === 1) {
          setTimeout(() => {
            timerTurned = true;
          }, 0);
          // A caller gone during the turn: setImmediate runs before the relay's 0 ms timer fires.
          if (leaveAtFirstEvent) setImmediate(() => res.destroy());
        }
        return openAiCompatibleAdapter.readStreamEvent(data);
      },
    };
    relayed = await relayStream(res, answer.body, {
      adapter,
      translator: null,
      forwardUsageChunk: false,
      startedAt: performance.now(),
      begin: () => res.writeHead(200, { 'content-type': 'text/event-stream' }),
      firstByteMs: 5_000,
      idleMs: 5_000,
      maxEventBytes: 1 << 20,
      cancel: new Cancellation(),
    });
    res.end();
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayOrigin = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.close();
  await new Promise<void>((resolve) => relay.close(() => resolve()));
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

describe('relayStream', () => {
  it('writes the head and the first event before reading the rest of their chunk, and relays the rest as sent', async () => {
    writtenAtEvent = [];
    queuedAtEvent = [];
    const answer = await request(`${relayOrigin}/`, { method: 'POST', body: '{}', dispatcher: agent });
    const text = await answer.body.text();

    // The caller gets every event as the upstream sent it, but the usage-only chunk it did not ask for.
    expect(text).toBe(EVENTS.join('') + DONE);
    expect(relayed).toMatchObject({ completed: true, interrupted: false, notSse: false });
    expect(relayed?.usage).toMatchObject({ inputTokens: 3, outputTokens: 2 });
    // Nothing was out when the first event was read; the head and that event were when the second was.
    expect(writtenAtEvent).toHaveLength(EVENTS.length + 2);
    expect(writtenAtEvent[0]).toBe(0);
    expect(writtenAtEvent[1]).toBeGreaterThan(EVENTS[0]?.length ?? 0);
    // ... and already handed to the kernel, not corked until the rest of the chunk is read: node:http corks a
    // response's socket on write until the next tick, which would hold the first event back behind the others.
    expect(queuedAtEvent[1]).toBe(0);
  });

  it("relays the rest of the first event's chunk only after a timer turn, so a reader on this core runs first", async () => {
    timerTurnedAtEvent = [];
    const answer = await request(`${relayOrigin}/`, { method: 'POST', body: '{}', dispatcher: agent });
    expect(await answer.body.text()).toBe(EVENTS.join('') + DONE);
    // The first event is read (and its 0 ms timer set) before the relay writes it and sleeps one timer turn;
    // every later event of the chunk is read after that timer fired. Without the turn they are read in the
    // same chain of microtasks as the first, and none sees it fired.
    expect(timerTurnedAtEvent).toEqual([false, true, true, true, true]);
  });

  it('stops after the turn when the caller left during it: nothing more is read or written', async () => {
    timerTurnedAtEvent = [];
    relayed = null;
    leaveAtFirstEvent = true;
    try {
      // The relay destroys the caller's connection itself: the answer may break at its head or in its body.
      await request(`${relayOrigin}/`, { method: 'POST', body: '{}', dispatcher: agent })
        .then((answer) => answer.body.text())
        .catch(() => '');
      await waitFor('the relay to return', () => relayed !== null && timerTurnedAtEvent.length > 0);
    } finally {
      leaveAtFirstEvent = false;
    }
    // Only the first event was read: the relay saw the caller gone after its turn and read no further.
    expect(timerTurnedAtEvent).toEqual([false]);
    expect(relayed).toMatchObject({ completed: false, interrupted: false, firstByteAt: expect.any(Number) });
  });
});
