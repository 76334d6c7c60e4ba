import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { imageColor } from './images';
import { type MockProvider, startMockProvider } from './start-mock-provider';

const NOW_MS = 1_750_000_000_000;
const CREATED = 1_750_000_000;
const TEXT = 'Mock reply to: Say hello to the mock — this is a deterministic mock completion.';
const fn = (name: string, required: string[] = []) => ({
  type: 'function' as const,
  function: {
    name,
    parameters: {
      type: 'object',
      properties: Object.fromEntries(required.map((r) => [r, { type: 'string' }])),
      required,
    },
  },
});

let mock: MockProvider;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockProvider({ now: () => NOW_MS });
  client = new OpenAI({ apiKey: 'sk-test-families', baseURL: mock.url, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.resetStats());

describe('chat completions: n, response_format, several tool calls', () => {
  it('answers n choices, each with its index, and counts every choice in usage', async () => {
    const completion = await client.chat.completions.create({
      model: 'm',
      n: 3,
      messages: [{ role: 'user', content: 'Say hello to the mock' }],
    });
    expect(completion.choices.map((c) => [c.index, c.message.content])).toEqual([
      [0, TEXT],
      [1, TEXT],
      [2, TEXT],
    ]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 45, total_tokens: 53 });
  });

  it('streams n choices interleaved; each reassembles to the text, and the usage chunk counts them all', async () => {
    const stream = await client.chat.completions.create({
      model: 'm',
      n: 2,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Say hello to the mock' }],
    });
    const texts = ['', ''];
    const finish: (string | null)[] = [null, null];
    let usage: OpenAI.CompletionUsage | null | undefined;
    const order: number[] = [];
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        order.push(choice.index);
        texts[choice.index] += choice.delta.content ?? '';
        if (choice.finish_reason !== null) finish[choice.index] = choice.finish_reason;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(texts).toEqual([TEXT, TEXT]);
    expect(finish).toEqual(['stop', 'stop']);
    expect(order.slice(0, 4)).toEqual([0, 1, 0, 1]);
    expect(usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 30 });
  });

  it('answers a JSON object for json_object and a value of the schema for json_schema', async () => {
    const object = await client.chat.completions.create({
      model: 'm',
      response_format: { type: 'json_object' },
      messages: [{ role: 'user', content: 'Say hello to the mock in JSON' }],
    });
    expect(JSON.parse(object.choices[0]?.message.content ?? '')).toEqual({
      reply: 'Mock reply to: Say hello to the mock in JSON — this is a deterministic mock completion.',
    });
    const schema = await client.chat.completions.create({
      model: 'm',
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'weather',
          strict: true,
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, celsius: { type: 'number' }, tags: { type: 'array' } },
            required: ['city', 'celsius', 'tags'],
            additionalProperties: false,
          },
        },
      },
      messages: [{ role: 'user', content: 'weather' }],
    });
    expect(JSON.parse(schema.choices[0]?.message.content ?? '')).toEqual({
      city: 'mock',
      celsius: 1,
      tags: [],
    });
  });

  it('calls every tool when tool_choice is required and parallel calls are allowed, in a body and a stream', async () => {
    const params = {
      model: 'm',
      tool_choice: 'required' as const,
      tools: [fn('get_weather', ['location']), fn('get_time')],
      messages: [{ role: 'user' as const, content: 'weather and time' }],
    };
    const body = await client.chat.completions.create(params);
    expect(body.choices[0]?.finish_reason).toBe('tool_calls');
    expect(body.choices[0]?.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_mock[0-9a-z]{8}$/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location":"mock"}' },
      },
      {
        id: expect.stringMatching(/^call_mock[0-9a-z]{8}_1$/),
        type: 'function',
        function: { name: 'get_time', arguments: '{}' },
      },
    ]);
    expect(body.usage?.completion_tokens).toBe(4);
    // The SDK's stream helper assembles tool-call deltas by index: both calls come out whole.
    const final = await client.chat.completions.stream(params).finalChatCompletion();
    expect(
      final.choices[0]?.message.tool_calls?.map(
        (c) => c.type === 'function' && [c.function.name, c.function.arguments],
      ),
    ).toEqual([
      ['get_weather', '{"location":"mock"}'],
      ['get_time', '{}'],
    ]);
    const serial = await client.chat.completions.create({ ...params, parallel_tool_calls: false });
    expect(serial.choices[0]?.message.tool_calls).toHaveLength(1);
  });
});

describe('POST /v1/responses', () => {
  it('answers a response with an output message, output_text and usage', async () => {
    const response = await client.responses.create({
      model: 'mock-gpt',
      instructions: 'You are terse.',
      input: 'Say hello to the mock',
    });
    expect(response).toMatchObject({
      id: expect.stringMatching(/^resp_mock/),
      object: 'response',
      created_at: CREATED,
      status: 'completed',
      model: 'mock-gpt',
      instructions: 'You are terse.',
      output: [
        {
          type: 'message',
          id: expect.stringMatching(/^msg_mock/),
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: TEXT, annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 14,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 15,
        total_tokens: 29,
      },
    });
    expect(response.output_text).toBe(TEXT);
  });

  it('streams the Responses events; finalResponse equals the text and usage', async () => {
    const stream = client.responses.stream({ model: 'mock-gpt', input: 'Say hello to the mock' });
    const types: string[] = [];
    let deltas = '';
    stream.on('event', (event) => {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') deltas += event.delta;
    });
    const final = await stream.finalResponse();
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(deltas).toBe(TEXT);
    // The SDK's stream helper does not compute `output_text`; the completed response carries the message.
    expect(final.output).toMatchObject([{ type: 'message', content: [{ type: 'output_text', text: TEXT }] }]);
    expect(final.usage).toMatchObject({ input_tokens: 8, output_tokens: 15 });
  });

  it('answers function_call items, several with tool_choice required, and streams their arguments', async () => {
    const tools = [
      {
        type: 'function' as const,
        name: 'get_weather',
        strict: false,
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
      {
        type: 'function' as const,
        name: 'get_time',
        strict: false,
        parameters: { type: 'object', properties: {} },
      },
    ];
    const response = await client.responses.create({
      model: 'mock-gpt',
      input: 'x',
      tools,
      tool_choice: 'required',
    });
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^fc_mock/),
        type: 'function_call',
        status: 'completed',
        call_id: expect.stringMatching(/^call_mock/),
        name: 'get_weather',
        arguments: '{"city":"mock"}',
      },
      {
        id: expect.stringMatching(/^fc_mock.*_1$/),
        type: 'function_call',
        status: 'completed',
        call_id: expect.stringMatching(/^call_mock.*_1$/),
        name: 'get_time',
        arguments: '{}',
      },
    ]);
    const final = await client.responses.stream({ model: 'mock-gpt', input: 'x', tools }).finalResponse();
    expect(final.output).toMatchObject([
      { type: 'function_call', name: 'get_weather', arguments: '{"city":"mock"}' },
    ]);
    const after = await client.responses.create({
      model: 'mock-gpt',
      previous_response_id: response.id,
      input: [{ type: 'function_call_output', call_id: 'call_x', output: '{"temperature":21}' }],
      tools,
    });
    expect(after.output_text).toBe(
      'Mock reply using tool result: {"temperature":21} — this is a deterministic mock completion.',
    );
    expect(after.previous_response_id).toBe(response.id);
  });

  it('refuses a previous_response_id it did not issue with a 400 naming the field', async () => {
    const error = await client.responses
      .create({ model: 'mock-gpt', previous_response_id: 'resp_elsewhere', input: 'hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toEqual({
      message: "Previous response with id 'resp_elsewhere' not found.",
      type: 'invalid_request_error',
      param: 'previous_response_id',
      code: 'previous_response_not_found',
    });
  });
});

describe('POST /v1/images/generations', () => {
  it('answers n base64 PNGs of the requested size', async () => {
    const images = await client.images.generate({
      model: 'dall-e-2',
      prompt: 'a red fox',
      n: 2,
      size: '256x256',
      response_format: 'b64_json',
    });
    expect(images.created).toBe(CREATED);
    expect(images.data).toHaveLength(2);
    const png = Buffer.from(images.data?.[0]?.b64_json ?? '', 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([256, 256]);
    expect(images.data?.[0]?.b64_json).not.toBe(images.data?.[1]?.b64_json);
    expect(images.usage).toBeUndefined();
  });

  it('answers URLs this mock serves', async () => {
    const images = await client.images.generate({
      model: 'dall-e-3',
      prompt: 'a red fox',
      size: '1024x1792',
      response_format: 'url',
    });
    const url = images.data?.[0]?.url ?? '';
    const hex = imageColor('a red fox', 0).toString(16).padStart(6, '0');
    expect(url).toBe(`${mock.origin}/__mock/images/1024x1792/${hex}.png`);
    const fetched = await fetch(url);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await fetched.arrayBuffer());
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1792]);
  });

  it('reports token usage for gpt-image models', async () => {
    const images = await client.images.generate({
      model: 'gpt-image-1',
      prompt: 'a red fox in snow',
      n: 2,
      size: '1024x1024',
      quality: 'low',
    });
    expect(images.data?.[0]?.b64_json).toEqual(expect.any(String));
    expect(images.usage).toEqual({
      input_tokens: 5,
      input_tokens_details: { text_tokens: 5, image_tokens: 0 },
      output_tokens: 2 * 272,
      total_tokens: 5 + 544,
    });
  });
});

describe('POST /v1/completions (legacy)', () => {
  it('answers a text_completion cut to the default 16 tokens', async () => {
    const completion = await client.completions.create({
      model: 'mock-instruct',
      prompt: 'Say hello to the mock',
    });
    expect(completion).toMatchObject({
      object: 'text_completion',
      created: CREATED,
      choices: [
        {
          index: 0,
          text: 'Mock reply to: Say hello to the mock — this is a deterministic mock completion.',
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 15, total_tokens: 20 },
    });
    const cut = await client.completions.create({
      model: 'mock-instruct',
      prompt: 'one two three four five six seven eight',
    });
    expect(cut.choices[0]?.finish_reason).toBe('length');
    expect(cut.usage?.completion_tokens).toBe(16);
  });

  it('streams the text word by word with usage when asked', async () => {
    const stream = await client.completions.create({
      model: 'mock-instruct',
      prompt: 'Say hello to the mock',
      max_tokens: 50,
      n: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    const texts = ['', ''];
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) texts[choice.index] += choice.text;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(texts).toEqual([TEXT, TEXT]);
    expect(usage).toEqual({ prompt_tokens: 5, completion_tokens: 30, total_tokens: 35 });
  });
});
