import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, awaitUsageRow, SEEDED_MODEL, type Stack, startStack } from './stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ ROUTER_MAX_BODY_BYTES: '4096', UPSTREAM_HEADERS_TIMEOUT_MS: '1500' });
});
afterAll(async () => {
  await stack?.stop();
});

const messages = [{ role: 'user' as const, content: 'hello' }];

async function mockRequests(): Promise<number> {
  const stats = (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as { requests: unknown };
  if (typeof stats.requests !== 'number') throw new Error(`unexpected mock stats: ${JSON.stringify(stats)}`);
  return stats.requests;
}

async function setMockFaults(faults: Record<string, unknown> | null): Promise<void> {
  const res = await fetch(`${stack.mockOrigin}/__mock/faults`, {
    method: faults ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: faults ? JSON.stringify(faults) : null,
  });
  expect(res.ok).toBe(true);
}

/** Calls the SDK and returns the APIError it throws. */
async function raw(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: res.status,
    requestId: res.headers.get('x-request-id'),
    body: (await res.json()) as { error: Record<string, unknown> },
  };
}

describe('bad input is rejected precisely and never reaches an upstream', () => {
  it('400 on malformed JSON', async () => {
    const before = await mockRequests();
    const res = await raw('{"model": "chat-small", "messages": [');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid_json',
      type: 'invalid_request_error',
      param: 'body',
    });
    expect(res.requestId).toMatch(/^req_/);
    expect(await mockRequests()).toBe(before);
    // Refused at the surface: the row names the caller's protocol and no upstream protocol (nothing served).
    const row = await awaitUsageRow(stack, res.requestId ?? '');
    expect(row).toMatchObject({ status: 'rejected', surface: 'openai-chat', upstreamProtocol: null });
  });

  it('400 naming the missing or invalid field', async () => {
    const client = stack.client();
    const before = await mockRequests();
    const missing = await apiError(client.chat.completions.create({ model: SEEDED_MODEL } as never));
    expect(missing.status).toBe(400);
    expect(missing.param).toBe('messages');
    expect(missing.message).toContain("'messages'");
    const badRole = await apiError(
      client.chat.completions.create({
        model: SEEDED_MODEL,
        messages: [{ role: 'wizard', content: 'x' }],
      } as never),
    );
    expect(badRole.status).toBe(400);
    expect(badRole.param).toBe('messages[0].role');
    const noModel = await raw(JSON.stringify({ messages }));
    expect(noModel.status).toBe(400);
    expect(noModel.body.error.param).toBe('model');
    expect(await mockRequests()).toBe(before);
  });

  it('404 model_not_found for an unknown model', async () => {
    const error = await apiError(
      stack.client().chat.completions.create({ model: 'no-such-model', messages }),
    );
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain("'no-such-model'");
  });

  it('403 when the key may not use the model', async () => {
    const key = await stack.createKey({ allowedModels: ['another-model'] });
    const before = await mockRequests();
    const error = await apiError(
      stack.client(key.plaintext).chat.completions.create({ model: SEEDED_MODEL, messages }),
    );
    expect(error.status).toBe(403);
    expect(error.code).toBe('model_not_allowed');
    expect(await mockRequests()).toBe(before);
  });

  it('413 when the body is over the configured limit', async () => {
    const before = await mockRequests();
    const error = await apiError(
      stack.client().chat.completions.create({
        model: SEEDED_MODEL,
        messages: [{ role: 'user', content: 'x'.repeat(5000) }],
      }),
    );
    expect(error.status).toBe(413);
    expect(error.code).toBe('request_too_large');
    expect(await mockRequests()).toBe(before);
  });

  it('413 when a chunked body (no Content-Length) grows over the limit', async () => {
    const before = await mockRequests();
    const payload = new TextEncoder().encode(
      JSON.stringify({ model: SEEDED_MODEL, messages: [{ role: 'user', content: 'y'.repeat(8000) }] }),
    );
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < payload.length; i += 1024) controller.enqueue(payload.subarray(i, i + 1024));
        controller.close();
      },
    });
    const res = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
    expect(await mockRequests()).toBe(before);
  });

  it('404 and 405 on unknown paths and methods', async () => {
    expect((await fetch(`${stack.routerUrl}/v1/nope`)).status).toBe(404);
    const res = await fetch(`${stack.routerUrl}/v1/chat/completions`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('upstream failures', () => {
  it('502 when the upstream answers 500, with the attempt recorded', async () => {
    await setMockFaults({ status: 500 });
    try {
      const { response } = (await stack
        .client()
        .chat.completions.create({ model: SEEDED_MODEL, messages })
        .withResponse()
        .catch((error: InstanceType<typeof OpenAI.APIError>) => ({ response: error }))) as {
        response: InstanceType<typeof OpenAI.APIError>;
      };
      expect(response.status).toBe(502);
      expect(response.code).toBe('upstream_error');
      const requestId = response.headers?.get('x-request-id') ?? '';
      const row = await awaitUsageRow(stack, requestId);
      expect(row).toMatchObject({
        status: 'error',
        httpStatus: 502,
        errorClass: 'server_error',
        costMicros: 0n,
      });
      // Rung 1 of the ladder: a transient failure is retried once on the same (only) target.
      expect(row.attempts).toEqual([
        expect.objectContaining({ status: 500, errorClass: 'server_error', reason: 'primary' }),
        expect.objectContaining({ status: 500, errorClass: 'server_error', reason: 'retry_same' }),
      ]);
    } finally {
      await setMockFaults(null);
    }
  });

  it('relays an upstream 400 as is, without retrying', async () => {
    await setMockFaults({ status: 400 });
    try {
      const before = await mockRequests();
      const error = await apiError(stack.client().chat.completions.create({ model: SEEDED_MODEL, messages }));
      expect(error.status).toBe(400);
      expect(await mockRequests()).toBe(before + 1);
    } finally {
      await setMockFaults(null);
    }
  });

  it('504 when the upstream does not answer in time', async () => {
    await setMockFaults({ latencyMs: 5000 });
    try {
      const error = await apiError(stack.client().chat.completions.create({ model: SEEDED_MODEL, messages }));
      expect(error.status).toBe(504);
      expect(error.code).toBe('upstream_timeout');
    } finally {
      await setMockFaults(null);
    }
  });

  it('429 with Retry-After when the upstream rate limits', async () => {
    await setMockFaults({ status: 429, retryAfter: 7 });
    try {
      const error = await apiError(stack.client().chat.completions.create({ model: SEEDED_MODEL, messages }));
      expect(error.status).toBe(429);
      expect(error.headers?.get('retry-after')).toBe('7');
    } finally {
      await setMockFaults(null);
    }
  });
});
