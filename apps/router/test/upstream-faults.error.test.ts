import { newId } from '@switchyard/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  awaitUsageRow,
  mockStats,
  SEEDED_MODEL,
  type Stack,
  setMockFaults,
  startStack,
  UPSTREAM_MODEL,
  waitFor,
} from './stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterEach(async () => {
  await fetch(`${stack.mockOrigin}/__mock/faults`, { method: 'DELETE' });
});
afterAll(async () => {
  await stack?.stop();
});

function chat(body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${stack.routerUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'tell me a story' }], ...body }),
    signal,
  });
}

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

describe('streams that break', () => {
  it('an upstream drop after the first bytes ends the stream with an error event, no [DONE], usage interrupted', async () => {
    await setMockFaults(stack, { dropAfterChunks: 3 });
    const sentAt = performance.now();
    const res = await chat({ model: SEEDED_MODEL, stream: true });
    expect(res.status).toBe(200);
    const text = await res.text();
    const clientMs = performance.now() - sentAt;
    const events = text.split('\n\n').filter(Boolean);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain('[DONE]');
    const last = JSON.parse((events.at(-1) as string).replace(/^data: /, '')) as {
      error?: { code?: string };
    };
    expect(last.error?.code).toBe('upstream_error');
    const row = await usageRow(res.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      status: 'interrupted',
      httpStatus: 200,
      errorClass: 'stream_interrupted',
      stream: true,
    });
    // The usage is estimated (this router's first count builds the tokenizer: seconds on a loaded machine),
    // after the client had its last byte: the latency recorded is what the client waited, not that count.
    expect(row.latencyMs).toBeLessThanOrEqual(Math.ceil(clientMs));
  });

  it('a client disconnect aborts the upstream request and is recorded as client_cancelled', async () => {
    await setMockFaults(stack, { chunkGapMs: 300 });
    const before = await mockStats(stack);
    const abort = new AbortController();
    const res = await chat({ model: SEEDED_MODEL, stream: true }, abort.signal);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const abortedAt = performance.now();
    abort.abort();
    await waitFor(
      'the mock to see the abort',
      async () => (await mockStats(stack)).aborted === before.aborted + 1,
    );
    expect(performance.now() - abortedAt).toBeLessThan(1_000);
    const row = await usageRow(res.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({ status: 'client_cancelled', errorClass: 'client_cancelled' });
  });
});

describe('failover across the attempt plan', () => {
  beforeAll(async () => {
    // Tier 0 points at a model the mock is told to break; tier 1 at a healthy one.
    await stack.prisma.route.create({
      data: {
        id: newId('rt'),
        publicModel: 'with-backup',
        targets: {
          create: [
            { id: newId('tgt'), accountId: stack.accountId, upstreamModel: 'broken-model', tier: 0 },
            { id: newId('tgt'), accountId: stack.accountId, upstreamModel: UPSTREAM_MODEL, tier: 1 },
          ],
        },
      },
    });
    await waitFor('the router to know the new route', async () => {
      const res = await fetch(`${stack.routerUrl}/v1/models`, {
        headers: { authorization: `Bearer ${stack.apiKey}` },
      });
      const body = (await res.json()) as { data: { id: string }[] };
      return body.data.some((m) => m.id === 'with-backup');
    });
  });

  it('retries a 5xx once on the same target, then moves to the next one, recording every attempt', async () => {
    await setMockFaults(stack, { byModel: { 'broken-model': { status: 503 } } });
    const res = await chat({ model: 'with-backup' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-attempts')).toBe('3');
    expect(res.headers.get('x-switchyard-model')).toBe(UPSTREAM_MODEL);
    expect(res.headers.get('x-switchyard-fallback-reason')).toBe('other_account; after server_error');
    const row = await usageRow(res.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({ status: 'success', servedModel: UPSTREAM_MODEL });
    expect(row.attempts).toEqual([
      expect.objectContaining({
        model: 'broken-model',
        status: 503,
        errorClass: 'server_error',
        reason: 'primary',
      }),
      expect.objectContaining({
        model: 'broken-model',
        status: 503,
        errorClass: 'server_error',
        reason: 'retry_same',
      }),
      expect.objectContaining({
        model: UPSTREAM_MODEL,
        status: 200,
        errorClass: null,
        reason: 'other_account',
      }),
    ]);
  });

  it('never tries another target after an upstream client error', async () => {
    await setMockFaults(stack, { byModel: { 'broken-model': { status: 400 } } });
    const before = await mockStats(stack);
    const res = await chat({ model: 'with-backup' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-switchyard-attempts')).toBe('1');
    expect((await mockStats(stack)).requests).toBe(before.requests + 1);
  });
});
