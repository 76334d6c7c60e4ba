import { newId } from '@switchyard/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_MODEL, type Stack, startStack, UPSTREAM_MODEL, waitFor } from './stack';

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

async function setMockFaults(faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.mockOrigin}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(res.ok).toBe(true);
}

async function mockStats(): Promise<{ requests: number; aborted: number }> {
  return (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as {
    requests: number;
    aborted: number;
  };
}

function chat(body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${stack.routerUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'tell me a story' }], ...body }),
    signal,
  });
}

const usageRow = (requestId: string) =>
  waitFor(`usage row ${requestId}`, () => stack.prisma.usageEvent.findUnique({ where: { requestId } }));

describe('streams that break', () => {
  it('an upstream drop after the first bytes ends the stream with an error event, no [DONE], usage interrupted', async () => {
    await setMockFaults({ dropAfterChunks: 3 });
    const res = await chat({ model: SEEDED_MODEL, stream: true });
    expect(res.status).toBe(200);
    const text = await res.text();
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
  });

  it('a client disconnect aborts the upstream request and is recorded as client_cancelled', async () => {
    await setMockFaults({ chunkGapMs: 300 });
    const before = await mockStats();
    const abort = new AbortController();
    const res = await chat({ model: SEEDED_MODEL, stream: true }, abort.signal);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    abort.abort();
    await waitFor(
      'the mock to see the abort',
      async () => (await mockStats()).aborted === before.aborted + 1,
    );
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

  it('moves to the next target after a 5xx and records both attempts', async () => {
    await setMockFaults({ byModel: { 'broken-model': { status: 503 } } });
    const res = await chat({ model: 'with-backup' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-attempts')).toBe('2');
    expect(res.headers.get('x-switchyard-model')).toBe(UPSTREAM_MODEL);
    const row = await usageRow(res.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({ status: 'success', servedModel: UPSTREAM_MODEL });
    expect(row.attempts).toEqual([
      expect.objectContaining({ model: 'broken-model', status: 503, errorClass: 'server_error' }),
      expect.objectContaining({ model: UPSTREAM_MODEL, status: 200, errorClass: null }),
    ]);
  });

  it('never tries another target after an upstream client error', async () => {
    await setMockFaults({ byModel: { 'broken-model': { status: 400 } } });
    const before = await mockStats();
    const res = await chat({ model: 'with-backup' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-switchyard-attempts')).toBe('1');
    expect((await mockStats()).requests).toBe(before.requests + 1);
  });
});
