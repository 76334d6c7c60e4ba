import Anthropic from '@anthropic-ai/sdk';
import { ApiError, type GenerateContentResponse, GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockProvider, startMockProvider } from './start-mock-provider';

let mock: MockProvider;
let anthropic: Anthropic;
let gemini: GoogleGenAI;
let openai: OpenAI;

const MESSAGES = {
  model: 'mock-claude',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'Say hello to the mock' }],
};

beforeAll(async () => {
  mock = await startMockProvider();
  anthropic = new Anthropic({ apiKey: 'sk-ant-faults', baseURL: mock.origin, maxRetries: 0 });
  gemini = new GoogleGenAI({ apiKey: 'gm-faults', httpOptions: { baseUrl: mock.origin } });
  openai = new OpenAI({ apiKey: 'sk-faults', baseURL: mock.url, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.resetStats());
afterEach(() => mock.setFaults({}));

/** A raw request, for what the SDKs hide (headers, exact bodies). */
async function post(path: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${mock.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

describe('Anthropic faults and errors', () => {
  it('answers an injected 529 as overloaded_error, which the SDK surfaces with its status and body', async () => {
    const error = await anthropic.messages
      .create(MESSAGES, { headers: { 'x-mock-status': '529' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('answers 429 rate_limit_error with Retry-After, per key (x-api-key) from the instance faults', async () => {
    mock.setFaults({ byKey: { 'sk-ant-limited': { status: 429, retryAfter: 7 } } });
    const limited = await post('/v1/messages', MESSAGES, {
      'x-api-key': 'sk-ant-limited',
      'anthropic-version': '2023-06-01',
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const healthy = await anthropic.messages.create(MESSAGES);
    expect(healthy.stop_reason).toBe('end_turn');
    expect(mock.stats().byKey).toEqual({ 'sk-ant-limited': 1, 'sk-ant-faults': 1 });
  });

  it('drops a Messages stream mid-way: the SDK stream fails after the events it got', async () => {
    const stream = anthropic.messages.stream(MESSAGES, { headers: { 'x-mock-drop-after-chunks': '4' } });
    const types: string[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    const failure = await stream.finalMessage().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    // message_start, content_block_start, ping (not surfaced by the SDK), one delta.
    expect(types).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(mock.stats().aborted).toBe(0);
  });

  it("ends a Messages stream with Anthropic's error event after N events, which the SDK throws", async () => {
    const response = await fetch(`${mock.origin}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'sk-ant-faults',
        'anthropic-version': '2023-06-01',
        'x-mock-error-event-after-chunks': '4',
      },
      body: JSON.stringify({ ...MESSAGES, stream: true }),
    });
    const events = (await response.text()).split('\n\n').filter((event) => event !== '');
    expect(events).toHaveLength(5);
    expect(events[4]).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    );
    const failure = await anthropic.messages
      .stream(MESSAGES, { headers: { 'x-mock-error-event-after-chunks': '4' } })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'overloaded_error' },
    });
  });

  it('requires anthropic-version and a key, answering in Anthropic error shape', async () => {
    const noVersion = await post('/v1/messages', MESSAGES, { 'x-api-key': 'k' });
    expect(noVersion).toMatchObject({
      status: 400,
      body: {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
      },
    });
    const noKey = await post('/v1/messages', MESSAGES, { 'anthropic-version': '2023-06-01' });
    expect(noKey).toMatchObject({
      status: 401,
      body: { type: 'error', error: { type: 'authentication_error' } },
    });
  });

  it('names the bad field of a body, and rejects a malformed x-mock header, in Anthropic shape', async () => {
    const { max_tokens: _dropped, ...noMax } = MESSAGES;
    const missing = await post('/v1/messages', noMax, {
      'x-api-key': 'k',
      'anthropic-version': '2023-06-01',
    });
    expect(missing).toMatchObject({
      status: 400,
      body: {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
      },
    });
    const badHeader = await post('/v1/messages', MESSAGES, {
      'x-api-key': 'k',
      'anthropic-version': '2023-06-01',
      'x-mock-status': 'often',
    });
    expect(badHeader).toMatchObject({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error' } },
    });
    const notFound = await post('/v1/messages/batches', MESSAGES, { 'x-api-key': 'k' });
    expect(notFound).toMatchObject({
      status: 404,
      body: { type: 'error', error: { type: 'not_found_error' } },
    });
  });
});

describe('Gemini faults and errors', () => {
  it('answers 429 RESOURCE_EXHAUSTED with Retry-After, surfaced by the SDK as an ApiError', async () => {
    mock.setFaults({ byModel: { 'mock-gemini-busy': { status: 429, retryAfter: 3 } } });
    const error = await gemini.models
      .generateContent({ model: 'mock-gemini-busy', contents: 'hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    const raw = await post(
      '/v1beta/models/mock-gemini-busy:generateContent',
      { contents: [{ parts: [{ text: 'hi' }] }] },
      { 'x-goog-api-key': 'k' },
    );
    expect(raw.headers.get('retry-after')).toBe('3');
    expect(raw.body).toEqual({
      error: {
        code: 429,
        message: expect.stringContaining('Resource has been exhausted'),
        status: 'RESOURCE_EXHAUSTED',
      },
    });
  });

  it('drops an SSE stream mid-way: the SDK iterator fails after the chunks it got', async () => {
    const got: GenerateContentResponse[] = [];
    const failure = await (async () => {
      const stream = await gemini.models.generateContentStream({
        model: 'mock-gemini',
        contents: 'Say hello to the mock',
        config: { httpOptions: { headers: { 'x-mock-drop-after-chunks': '2' } } },
      });
      for await (const chunk of stream) got.push(chunk);
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(got.map((c) => c.text)).toEqual(['Mock', ' reply']);
  });

  it('refuses a call without a key (403) and a bad body (400 INVALID_ARGUMENT) in Google error shape', async () => {
    const noKey = await post(
      '/v1beta/models/m:generateContent',
      { contents: [{ parts: [{ text: 'hi' }] }] },
      {},
    );
    expect(noKey).toMatchObject({ status: 403, body: { error: { code: 403, status: 'PERMISSION_DENIED' } } });
    const noContents = await post('/v1beta/models/m:generateContent', {}, { 'x-goog-api-key': 'k' });
    expect(noContents).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 400,
          status: 'INVALID_ARGUMENT',
          message: expect.stringContaining('contents is not specified'),
        },
      },
    });
    const unknown = await post('/v1beta/models/m:predictLongRunning', {}, { 'x-goog-api-key': 'k' });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 404, status: 'NOT_FOUND' } } });
  });

  it('waits the ttft fault before the first chunk', async () => {
    const started = performance.now();
    const stream = await gemini.models.generateContentStream({
      model: 'mock-gemini',
      contents: 'hi',
      config: { httpOptions: { headers: { 'x-mock-ttft-ms': '80' } } },
    });
    for await (const _chunk of stream) break;
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });
});

describe('OpenAI Responses, images and completions faults', () => {
  it('answers 429 with Retry-After on /v1/responses in OpenAI shape', async () => {
    const error = await openai.responses
      .create({ model: 'm', input: 'hi' }, { headers: { 'x-mock-status': '429', 'x-mock-retry-after': '2' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('2');
  });

  it('drops a Responses stream mid-way', async () => {
    const stream = openai.responses.stream(
      { model: 'm', input: 'Say hello to the mock' },
      { headers: { 'x-mock-drop-after-chunks': '5' } },
    );
    const types: string[] = [];
    stream.on('event', (event) => types.push(event.type));
    const failure = await stream.finalResponse().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(types).toHaveLength(5);
    expect(types.at(-1)).toBe('response.output_text.delta');
  });

  it('ends a Responses stream with its error event after N events, which the SDK throws', async () => {
    mock.setFaults({ byModel: { 'm-error': { errorEventAfterChunks: 3 } } });
    const stream = openai.responses.stream({ model: 'm-error', input: 'Say hello to the mock' });
    const types: string[] = [];
    stream.on('event', (event) => types.push(event.type));
    // The SDK rejects with the error event itself.
    const failure = await stream.finalResponse().catch((e: unknown) => e);
    expect(failure).toMatchObject({ type: 'error', code: 'server_error', sequence_number: 3 });
    expect(types.slice(0, 3)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
    ]);
  });

  it('applies status faults to images and completions', async () => {
    const images = await openai.images
      .generate({ model: 'dall-e-2', prompt: 'x' }, { headers: { 'x-mock-status': '503' } })
      .catch((e: unknown) => e);
    expect(images).toBeInstanceOf(OpenAI.InternalServerError);
    const completions = await openai.completions
      .create({ model: 'm', prompt: 'x' }, { headers: { 'x-mock-status': '400' } })
      .catch((e: unknown) => e);
    expect(completions).toBeInstanceOf(OpenAI.BadRequestError);
  });
});
