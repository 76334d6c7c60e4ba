import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockEmbedding } from './embeddings';
import { type MockProvider, startMockProvider } from './start-mock-provider';

const NOW_MS = 1_750_000_000_000;
const CREATED = 1_750_000_000;
const MESSAGES = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Say hello to the mock' },
];
const CONTENT = 'Mock reply to: Say hello to the mock — this is a deterministic mock completion.';
// 3 + 3 words, 3 + 5 words; 15 reply words.
const USAGE = {
  prompt_tokens: 14,
  completion_tokens: 15,
  total_tokens: 29,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};
const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['location', 'unit'],
    },
  },
};

let mock: MockProvider;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockProvider({ now: () => NOW_MS });
  client = new OpenAI({ apiKey: 'sk-test-secret-key', baseURL: mock.url, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.resetStats());

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('POST /v1/chat/completions', () => {
  it('answers a realistic chat.completion with exact content and usage', async () => {
    const completion = await client.chat.completions.create({
      model: 'mock-gpt-4o-mini',
      messages: MESSAGES,
      temperature: 0.3,
      // Unknown fields are ignored, as by OpenAI.
      ...({ not_a_real_field: { x: 1 } } as object),
    });
    expect(completion).toEqual({
      id: expect.stringMatching(/^chatcmpl-mock[0-9a-z]{8}$/),
      object: 'chat.completion',
      created: CREATED,
      model: 'mock-gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: CONTENT, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: USAGE,
      service_tier: 'default',
      system_fingerprint: 'fp_mock0001',
    });
  });

  it('streams the same content word by word, without usage unless asked', async () => {
    const chunks = await collect(
      await client.chat.completions.create({ model: 'mock-gpt-4o-mini', messages: MESSAGES, stream: true }),
    );
    expect(chunks).toHaveLength(1 + 15 + 1);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(CONTENT);
    expect(chunks.slice(1, 4).map((c) => c.choices[0]?.delta.content)).toEqual(['Mock', ' reply', ' to:']);
    expect(chunks.at(-1)?.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.created === CREATED)).toBe(true);
  });

  it('ends with a choices: [] usage chunk when stream_options.include_usage is true', async () => {
    const chunks = await collect(
      await client.chat.completions.create({
        model: 'mock-gpt-4o-mini',
        messages: MESSAGES,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(chunks).toHaveLength(1 + 15 + 1 + 1);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(USAGE);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('truncates to max_tokens words with finish_reason length', async () => {
    const completion = await client.chat.completions.create({
      model: 'mock-gpt-4o-mini',
      messages: MESSAGES,
      max_completion_tokens: 5,
    });
    expect(completion.choices[0]?.message.content).toBe('Mock reply to: Say hello');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 5, total_tokens: 19 });
  });

  it('calls the first tool with deterministic arguments', async () => {
    const completion = await client.chat.completions.create({
      model: 'mock-gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: expect.stringMatching(/^call_mock[0-9a-z]{8}$/),
          type: 'function',
          function: { name: 'get_weather', arguments: '{"location":"mock","unit":"celsius"}' },
        },
      ],
      refusal: null,
      annotations: [],
    });
    expect(completion.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 2, total_tokens: 8 });
  });

  it('streams a tool call as index/id/name first, then argument deltas that reassemble', async () => {
    const chunks = await collect(
      await client.chat.completions.create({
        model: 'mock-gpt-4o-mini',
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [WEATHER_TOOL],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const first = chunks[0]?.choices[0]?.delta.tool_calls?.[0];
    expect(first).toEqual({
      index: 0,
      id: expect.stringMatching(/^call_mock/),
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    const argumentDeltas = chunks.slice(1).flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(argumentDeltas.length).toBe(5);
    expect(
      argumentDeltas.every((d) => d.index === 0 && d.id === undefined && d.function?.name === undefined),
    ).toBe(true);
    expect(argumentDeltas.map((d) => d.function?.arguments).join('')).toBe(
      '{"location":"mock","unit":"celsius"}',
    );
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 2 });

    // The SDK's own accumulator agrees.
    const runner = client.chat.completions.stream({
      model: 'mock-gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
    });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_mock/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location":"mock","unit":"celsius"}' },
      },
    ]);
  });

  it('answers a tool result with text that includes it', async () => {
    const completion = await client.chat.completions.create({
      model: 'mock-gpt-4o-mini',
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21}' },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe(
      'Mock reply using tool result: {"temperature":21} — this is a deterministic mock completion.',
    );
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 6 + 3 + 4, completion_tokens: 13 });
  });
});

describe('POST /v1/embeddings and GET /v1/models', () => {
  it('returns deterministic unit vectors, base64 (the SDK default) or float', async () => {
    const viaBase64 = await client.embeddings.create({
      model: 'mock-text-embedding-3-small',
      input: ['a b c', 'd'],
    });
    expect(viaBase64).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: mockEmbedding('a b c') },
        { object: 'embedding', index: 1, embedding: mockEmbedding('d') },
      ],
      model: 'mock-text-embedding-3-small',
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
    const asFloat = await client.embeddings.create({
      model: 'mock-text-embedding-3-small',
      input: 'a b c',
      dimensions: 3,
      encoding_format: 'float',
    });
    expect(asFloat.data[0]?.embedding).toEqual(mockEmbedding('a b c', 3));
    const vector = asFloat.data[0]?.embedding ?? [];
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(mockEmbedding('a b c', 3)).not.toEqual(mockEmbedding('a b d', 3));
  });

  it('lists and retrieves the mock models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['mock-gpt-4o-mini', 'mock-gpt-4o', 'mock-o4-mini', 'mock-text-embedding-3-small']);
    expect(await client.models.retrieve('mock-gpt-4o-mini')).toEqual({
      id: 'mock-gpt-4o-mini',
      object: 'model',
      created: 1_721_172_741,
      owned_by: 'switchyard-mock',
    });
    await expect(client.models.retrieve('gpt-nope')).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });

  it('records what it received, with the credential redacted', async () => {
    await client.chat.completions.create({ model: 'mock-gpt-4o-mini', messages: MESSAGES });
    await client.chat.completions.create({ model: 'other-model', messages: MESSAGES });
    await client.chat.completions.create({ model: 'other-model', messages: MESSAGES, stream: false });
    const stats = mock.stats();
    expect(stats.requests).toBe(3);
    expect(stats.byModel).toEqual({ 'mock-gpt-4o-mini': 1, 'other-model': 2 });
    expect(stats.aborted).toBe(0);
    expect(stats.lastRequest?.method).toBe('POST');
    expect(stats.lastRequest?.path).toBe('/v1/chat/completions');
    expect(stats.lastRequest?.headers.authorization).toBe('Bearer sk-test-…');
    expect(stats.lastRequest?.body).toEqual({ model: 'other-model', messages: MESSAGES, stream: false });
  });
});
