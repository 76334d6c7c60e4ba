import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random';
import { type MockProvider, startMockProvider } from './start-mock-provider';
import { waitFor } from './wait-for';

const BODY = { model: 'mock-gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };

let mock: MockProvider;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockProvider();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.setFaults({});
  mock.resetStats();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${mock.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('status faults', () => {
  it('surfaces 429 with Retry-After through the SDK', async () => {
    const error = await client.chat.completions
      .create(BODY, { headers: { 'x-mock-status': '429', 'x-mock-retry-after': '7' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.headers.get('retry-after')).toBe('7');
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.type).toBe('requests');
    expect(rateLimit.requestID).toMatch(/^req_mock/);
  });

  it('overrides the status for one model while another stays healthy on the same instance', async () => {
    mock.setFaults({ byModel: { 'broken-model': { status: 503 } } });
    const error = await client.chat.completions
      .create({ ...BODY, model: 'broken-model' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toEqual({
      message: 'The engine is currently overloaded, please try again later.',
      type: 'server_error',
      param: null,
      code: null,
    });
    const healthy = await client.chat.completions.create(BODY);
    expect(healthy.choices[0]?.message.content).toBe(
      'Mock reply to: hi — this is a deterministic mock completion.',
    );
    expect(mock.stats().byModel).toEqual({ 'broken-model': 1, 'mock-gpt-4o-mini': 1 });
  });

  it('lets a request header undo an instance fault', async () => {
    mock.setFaults({ status: 500 });
    await expect(client.chat.completions.create(BODY)).rejects.toMatchObject({
      status: 500,
      type: 'server_error',
    });
    const ok = await client.chat.completions.create(BODY, { headers: { 'x-mock-status': '200' } });
    expect(ok.choices[0]?.finish_reason).toBe('stop');
  });

  it('answers a 404 that names the model', async () => {
    const response = await post('/chat/completions', { ...BODY, model: 'ghost' }, { 'x-mock-status': '404' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        message: 'The model `ghost` does not exist or you do not have access to it.',
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    });
  });
});

describe('context window', () => {
  it('answers context_length_exceeded when the prompt exceeds maxContextTokens, like OpenAI', async () => {
    mock.setFaults({ byModel: { small: { maxContextTokens: 10 } } });
    const long = { role: 'user' as const, content: 'one two three four five six seven eight nine ten' };
    const error = await client.chat.completions
      .create({ model: 'small', messages: [long] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(bad.code).toBe('context_length_exceeded');
    expect(bad.param).toBe('messages');
    expect(bad.message).toContain(
      'maximum context length is 10 tokens. However, your messages resulted in 13 tokens',
    );
    // A short prompt, or another model, fits.
    await expect(
      client.chat.completions.create({ model: 'small', messages: [{ role: 'user', content: 'hi' }] }),
    ).resolves.toMatchObject({ object: 'chat.completion' });
    await expect(client.chat.completions.create({ model: 'big', messages: [long] })).resolves.toMatchObject({
      object: 'chat.completion',
    });
  });
});

describe('per-key faults', () => {
  const accountA = () => new OpenAI({ apiKey: 'sk-account-a', baseURL: mock.url, maxRetries: 0 });
  const accountB = () => new OpenAI({ apiKey: 'sk-account-b', baseURL: mock.url, maxRetries: 0 });

  it('fails one upstream account while another serves the same model', async () => {
    mock.setFaults({ byKey: { 'sk-account-a': { status: 503 } } });
    const error = await accountA()
      .chat.completions.create(BODY)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    await expect(accountA().models.list()).rejects.toMatchObject({ status: 503 });

    const healthy = await accountB().chat.completions.create(BODY);
    expect(healthy.choices[0]?.message.content).toBe(
      'Mock reply to: hi — this is a deterministic mock completion.',
    );
    // No bearer key at all: no byKey layer.
    expect((await post('/chat/completions', BODY)).status).toBe(200);
    expect(mock.stats()).toMatchObject({
      requests: 4,
      byModel: { 'mock-gpt-4o-mini': 3 },
      byKey: { 'sk-account-a': 2, 'sk-account-b': 1 },
    });
  });

  it('layers byKey over byModel field by field, and request headers over byKey', async () => {
    mock.setFaults({
      byModel: { 'mock-gpt-4o-mini': { status: 429, retryAfter: 9 } },
      byKey: { 'sk-account-a': { status: 503 } },
    });
    const error = await accountA()
      .chat.completions.create(BODY)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    // retryAfter comes from byModel: byKey only replaced the status.
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('9');

    await expect(accountB().chat.completions.create(BODY)).rejects.toMatchObject({
      status: 429,
      code: 'rate_limit_exceeded',
    });
    const rescued = await accountA().chat.completions.create(BODY, { headers: { 'x-mock-status': '200' } });
    expect(rescued.choices[0]?.finish_reason).toBe('stop');
    const overridden = await accountA()
      .chat.completions.create(BODY, { headers: { 'x-mock-status': '500' } })
      .catch((e: unknown) => e);
    expect(overridden).toMatchObject({ status: 500, type: 'server_error' });
  });
});

describe('stream faults', () => {
  it('drops the connection after N chunks, without [DONE], and the SDK stream fails', async () => {
    const received: ChatCompletionChunk[] = [];
    const stream = await client.chat.completions.create(
      { ...BODY, stream: true },
      { headers: { 'x-mock-drop-after-chunks': '3' } },
    );
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk);
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(received.map((c) => c.choices[0]?.delta.content)).toEqual(['', 'Mock', ' reply']);
    expect(mock.stats().aborted).toBe(0);
  });

  it('drops a non-streaming request without any answer', async () => {
    const error = await client.chat.completions
      .create(BODY, { headers: { 'x-mock-drop-after-chunks': '0' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('waits at least latency + ttft before the first chunk and the gaps between chunks', async () => {
    const started = performance.now();
    const stream = await client.chat.completions.create(
      { ...BODY, stream: true },
      { headers: { 'x-mock-latency-ms': '60', 'x-mock-ttft-ms': '40', 'x-mock-chunk-gap-ms': '5' } },
    );
    const arrivals: number[] = [];
    for await (const _chunk of stream) arrivals.push(performance.now() - started);
    expect(arrivals).toHaveLength(1 + 11 + 1);
    expect(arrivals[0]).toBeGreaterThanOrEqual(90);
    // 12 gaps of 5 ms between the 13 chunks (lower bounds only, with slack for timer granularity).
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(48);
  });
});

describe('omitUsage', () => {
  it('leaves usage out of a body and out of a stream that asked for it', async () => {
    const plain = await post('/chat/completions', BODY, { 'x-mock-omit-usage': '1' });
    const body = (await plain.json()) as Record<string, unknown>;
    expect(plain.status).toBe(200);
    expect('usage' in body).toBe(false);
    expect((body.choices as unknown[]).length).toBe(1);

    mock.setFaults({ byModel: { 'mock-gpt-4o-mini': { omitUsage: true } } });
    const stream = await client.chat.completions.create({
      ...BODY,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.filter((c) => c.usage != null)).toEqual([]);
    expect(chunks.filter((c) => c.choices.length === 0)).toEqual([]);

    mock.setFaults({});
    const healthy = (await (await post('/chat/completions', BODY)).json()) as { usage: unknown };
    expect(healthy.usage).toMatchObject({ prompt_tokens: expect.any(Number) });
  });
});

describe('hang, abort and fail rate', () => {
  it('hangs until the client gives up, and counts the abort', async () => {
    const controller = new AbortController();
    const aborted = fetch(`${mock.url}/chat/completions`, {
      method: 'POST',
      headers: { 'x-mock-hang': 'true' },
      body: JSON.stringify(BODY),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await waitFor(() => mock.stats().requests === 1, 5_000, 'the hung request to arrive');
    expect(mock.stats().aborted).toBe(0);
    controller.abort();
    expect(await aborted).toMatchObject({ name: 'AbortError' });
    await waitFor(() => mock.stats().aborted === 1, 5_000, 'the abort to be recorded');
  });

  it('fails a seeded, reproducible share of requests with 500', async () => {
    const expected = (() => {
      const random = createSeededRandom(42);
      return Array.from({ length: 20 }, () => (random() < 0.5 ? 500 : 200));
    })();
    const run = async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await post('/chat/completions', BODY)).status);
      return statuses;
    };
    mock.setFaults({ failRate: 0.5, seed: 42 });
    const first = await run();
    expect(first).toEqual(expected);
    expect(first).toContain(500);
    expect(first).toContain(200);
    mock.setFaults({ failRate: 0.5, seed: 42 }); // setting the faults restarts the sequence
    expect(await run()).toEqual(expected);
  });
});

describe('validation', () => {
  it('rejects bad JSON, a missing model and missing messages like OpenAI', async () => {
    const badJson = await post('/chat/completions', '{"model":');
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { message: string } }).error.message).toMatch(
      /^We could not parse the JSON body of your request/,
    );
    const noModel = await post('/chat/completions', { messages: BODY.messages });
    expect(noModel.status).toBe(400);
    expect(await noModel.json()).toEqual({
      error: {
        message: 'you must provide a model parameter',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    const noMessages = client.chat.completions.create({ model: 'mock-gpt-4o-mini' } as typeof BODY);
    await expect(noMessages).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(noMessages).rejects.toMatchObject({
      status: 400,
      param: 'messages',
      code: 'missing_required_parameter',
      message: "400 Missing required parameter: 'messages'.",
    });
    const noInput = await post('/embeddings', { model: 'mock-text-embedding-3-small' });
    expect(noInput.status).toBe(400);
    expect(await noInput.json()).toMatchObject({
      error: { param: 'input', code: 'missing_required_parameter' },
    });
  });

  it('rejects a malformed x-mock-* header instead of ignoring it', async () => {
    const response = await post('/chat/completions', BODY, { 'x-mock-fail-rate': '150%' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: "Invalid x-mock-fail-rate header '150%': expected a number between 0 and 1.",
        type: 'invalid_request_error',
        param: null,
        code: 'mock_invalid_header',
      },
    });
  });
});
