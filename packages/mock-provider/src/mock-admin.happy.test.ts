import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockProvider, startMockProvider } from './start-mock-provider';
import { waitFor } from './wait-for';

let mock: MockProvider;

beforeAll(async () => {
  mock = await startMockProvider({ faults: { latencyMs: 0 } });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.setFaults({});
  mock.resetStats();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${mock.origin}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

const CHAT = { model: 'm1', messages: [{ role: 'user', content: 'hi' }] };

describe('/__mock/faults', () => {
  it('replaces, reads and clears the instance faults, and they take effect', async () => {
    const faults = {
      status: 502,
      byModel: { m2: { status: 200 } },
      byKey: { 'sk-upstream-account-b': { status: 429, retryAfter: 1 } },
    };
    expect(await call('POST', '/__mock/faults', faults)).toEqual({ status: 200, json: faults });
    expect(await call('GET', '/__mock/faults')).toEqual({ status: 200, json: faults });
    expect(mock.getFaults()).toEqual(faults);

    expect(await call('POST', '/v1/chat/completions', CHAT)).toMatchObject({
      status: 502,
      json: { error: { type: 'server_error', code: 'bad_gateway' } },
    });
    expect((await call('POST', '/v1/chat/completions', { ...CHAT, model: 'm2' })).status).toBe(200);

    expect(await call('DELETE', '/__mock/faults')).toEqual({ status: 200, json: {} });
    expect((await call('POST', '/v1/chat/completions', CHAT)).status).toBe(200);
  });

  it('rejects invalid faults, naming the field, and keeps the previous ones', async () => {
    mock.setFaults({ latencyMs: 1 });
    expect(await call('POST', '/__mock/faults', { byModel: { m1: { status: 'broken' } } })).toEqual({
      status: 400,
      json: {
        error: {
          message: 'Invalid mock faults: byModel.m1.status: expected 200 or an integer between 400 and 599',
          type: 'invalid_request_error',
          param: null,
          code: 'mock_invalid_faults',
        },
      },
    });
    expect(await call('POST', '/__mock/faults', { byKey: { 'sk-a': { hang: 'yes' } } })).toEqual({
      status: 400,
      json: {
        error: {
          message: 'Invalid mock faults: byKey.sk-a.hang: expected a boolean',
          type: 'invalid_request_error',
          param: null,
          code: 'mock_invalid_faults',
        },
      },
    });
    expect((await call('POST', '/__mock/faults', 'not json')).status).toBe(400);
    expect(mock.getFaults()).toEqual({ latencyMs: 1 });
    expect(() => mock.setFaults({ hang: 1 } as never)).toThrow(
      new TypeError('Invalid mock faults: hang: expected a boolean'),
    );
    expect(() => mock.setFaults({ byKey: { 'sk-a': { latencyMs: -1 } } })).toThrow(
      new TypeError(
        'Invalid mock faults: byKey.sk-a.latencyMs: expected an integer between 0 and 2147483647',
      ),
    );
    expect(mock.getFaults()).toEqual({ latencyMs: 1 });
  });

  it('applies instance faults passed to startMockProvider', async () => {
    const broken = await startMockProvider({ faults: { status: 429, retryAfter: 3 } });
    try {
      const response = await fetch(`${broken.url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify(CHAT),
      });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('3');
      expect(broken.getFaults()).toEqual({ status: 429, retryAfter: 3 });
    } finally {
      await broken.close();
    }
    await expect(startMockProvider({ faults: { latencyMs: -5 } })).rejects.toThrow(/latencyMs/);
  });
});

describe('/__mock/stats', () => {
  it('reports requests, per-model and per-key counts and the last request, and resets', async () => {
    const other = new OpenAI({ apiKey: 'sk-upstream-account-b', baseURL: mock.url, maxRetries: 0 });
    await other.chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'hi' }] });
    await call('POST', '/v1/chat/completions', CHAT); // no Authorization: counted, but under no key
    const client = new OpenAI({ apiKey: 'sk-upstream-account-a', baseURL: mock.url, maxRetries: 0 });
    await client.chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'hi' }] });
    await client.embeddings.create({ model: 'emb', input: 'x', encoding_format: 'float' });
    await client.models.list();
    const { status, json } = await call('GET', '/__mock/stats');
    expect(status).toBe(200);
    expect(json).toEqual({
      requests: 5,
      byModel: { m1: 3, emb: 1 },
      byKey: { 'sk-upstream-account-a': 3, 'sk-upstream-account-b': 1 },
      aborted: 0,
      lastRequest: {
        method: 'GET',
        path: '/v1/models',
        headers: expect.objectContaining({
          authorization: 'Bearer sk-upstr…',
          host: `127.0.0.1:${mock.port}`,
        }),
        body: null,
      },
    });
    expect(mock.stats()).toEqual(json);
    // Admin and health calls are not counted.
    await call('GET', '/healthz');
    expect(mock.stats().requests).toBe(5);

    const empty = { requests: 0, byModel: {}, byKey: {}, aborted: 0, lastRequest: null };
    expect(await call('POST', '/__mock/stats/reset')).toEqual({ status: 200, json: empty });
    expect(mock.stats()).toEqual(empty);
  });

  it('records a body that is not JSON as its text', async () => {
    await call('POST', '/v1/chat/completions', 'not json at all');
    expect(mock.stats().lastRequest?.body).toBe('not json at all');
  });
});

describe('server', () => {
  it('answers /healthz and a 404 in OpenAI shape elsewhere', async () => {
    expect(await call('GET', '/healthz')).toEqual({ status: 200, json: { status: 'ok' } });
    expect(await call('GET', '/v1/chat/completions')).toEqual({
      status: 404,
      json: {
        error: {
          message: 'Invalid URL (GET /v1/chat/completions)',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      },
    });
  });

  it('closes promptly even with a hung request open, and refuses a taken port', async () => {
    const other = await startMockProvider();
    await expect(startMockProvider({ port: other.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    const hung = fetch(`${other.url}/chat/completions`, {
      method: 'POST',
      headers: { 'x-mock-hang': '1' },
      body: JSON.stringify(CHAT),
    }).catch((e: unknown) => e);
    await waitFor(() => other.stats().requests === 1, 5_000, 'the hung request');
    await other.close();
    expect(await hung).toBeInstanceOf(TypeError);
    expect(other.stats().aborted).toBe(0);
  });
});
