import Anthropic from '@anthropic-ai/sdk';
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockProvider, startMockProvider } from './start-mock-provider';

const TEXT = 'Mock reply to: Say hello to the mock — this is a deterministic mock completion.';
const WEATHER = {
  name: 'get_weather',
  description: 'Current weather',
  input_schema: {
    type: 'object' as const,
    properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['location', 'unit'],
  },
};
const TIME = { name: 'get_time', input_schema: { type: 'object' as const, properties: {} } };

let mock: MockProvider;
let client: Anthropic;

beforeAll(async () => {
  mock = await startMockProvider();
  client = new Anthropic({ apiKey: 'sk-ant-test-key', baseURL: mock.origin, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.resetStats());

function usage(input: number, output: number, cacheCreation = 0, cacheRead = 0): Message['usage'] {
  return {
    input_tokens: input,
    cache_creation_input_tokens: cacheCreation,
    cache_read_input_tokens: cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: cacheCreation, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    inference_geo: null,
    speed: null,
  };
}

describe('POST /v1/messages', () => {
  it('answers a Message with the exact text and usage (system counts as a message)', async () => {
    const message = await client.messages.create({
      model: 'mock-claude',
      max_tokens: 256,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Say hello to the mock' }],
    });
    // Typed against the SDK's Message: a missing or misnamed field fails `tsc`.
    const expected: Message = {
      id: expect.stringMatching(/^msg_mock[0-9a-z]{8}$/) as unknown as string,
      type: 'message',
      role: 'assistant',
      model: 'mock-claude',
      content: [{ type: 'text', text: TEXT, citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
      usage: usage(14, 15),
    };
    expect(message).toEqual(expected);
    expect(mock.stats().byKey).toEqual({ 'sk-ant-test-key': 1 });
    expect(mock.stats().lastRequest?.headers['anthropic-version']).toEqual(expect.any(String));
  });

  it('streams message_start, a content block, message_delta and message_stop; finalMessage has the text and usage', async () => {
    const events: RawMessageStreamEvent[] = [];
    const stream = client.messages.stream({
      model: 'mock-claude',
      max_tokens: 256,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Say hello to the mock' }],
    });
    stream.on('streamEvent', (event) => events.push(event));
    const final = await stream.finalMessage();
    // The SDK drops `ping` events; the raw framing test below sees it.
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      ...Array.from({ length: 15 }, () => 'content_block_delta' as const),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    // content_block_start carries `{type:"text",text:""}` as Anthropic's does, without `citations`.
    expect(final.content).toEqual([{ type: 'text', text: TEXT }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage).toMatchObject({ input_tokens: 14, output_tokens: 15 });
  });

  it("frames every event with an event: line naming its type, in Anthropic's order with a ping", async () => {
    const response = await fetch(`${mock.origin}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        max_tokens: 3,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    const text = await response.text();
    const blocks = text.split('\n\n').filter((b) => b !== '');
    for (const block of blocks) {
      const [eventLine, dataLine] = block.split('\n');
      expect(eventLine).toMatch(/^event: [a-z_]+$/);
      expect(JSON.parse(dataLine!.slice('data: '.length)).type).toBe(eventLine!.slice('event: '.length));
    }
    expect(blocks.map((b) => b.split('\n')[0]!.slice('event: '.length))).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(blocks.at(-2)).toContain('"stop_reason":"max_tokens"');
    expect(text).not.toContain('[DONE]');
  });

  it('calls a tool when tools are given, and every tool (in order) when tool_choice is any', async () => {
    const one = await client.messages.create({
      model: 'mock-claude',
      max_tokens: 100,
      tools: [WEATHER, TIME],
      messages: [{ role: 'user', content: 'weather?' }],
    });
    expect(one.stop_reason).toBe('tool_use');
    expect(one.content).toEqual([
      {
        type: 'tool_use',
        id: expect.stringMatching(/^toolu_mock/),
        name: 'get_weather',
        input: { location: 'mock', unit: 'celsius' },
        caller: { type: 'direct' },
      },
    ]);
    const stream = client.messages.stream({
      model: 'mock-claude',
      max_tokens: 100,
      tools: [WEATHER, TIME],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'weather and time?' }],
    });
    const both = await stream.finalMessage();
    expect(both.content.map((b) => (b.type === 'tool_use' ? [b.name, b.input] : b.type))).toEqual([
      ['get_weather', { location: 'mock', unit: 'celsius' }],
      ['get_time', {}],
    ]);
    expect(both.usage.output_tokens).toBe(2 + 2);
    const serial = await client.messages.create({
      model: 'mock-claude',
      max_tokens: 100,
      tools: [WEATHER, TIME],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(serial.content).toHaveLength(1);
    const forced = await client.messages.create({
      model: 'mock-claude',
      max_tokens: 100,
      tools: [WEATHER, TIME],
      tool_choice: { type: 'tool', name: 'get_time' },
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(forced.content).toMatchObject([{ type: 'tool_use', name: 'get_time' }]);
  });

  it('answers a tool_result with text that includes it', async () => {
    const message = await client.messages.create({
      model: 'mock-claude',
      max_tokens: 100,
      tools: [WEATHER],
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool_use',
              id: 'toolu_1',
              name: 'get_weather',
              input: { location: 'x', unit: 'celsius' },
            },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '{"temperature":21}' }],
        },
      ],
    });
    expect(message.content).toEqual([
      {
        type: 'text',
        text: 'Mock reply using tool result: {"temperature":21} — this is a deterministic mock completion.',
        citations: null,
      },
    ]);
    // 3 + 1, 3 + 0 (tool_use counts nothing), 3 + 1
    expect(message.usage.input_tokens).toBe(11);
  });

  it('writes the cache on the first request with cache_control and reads it on the repeat', async () => {
    const params = {
      model: 'mock-claude',
      max_tokens: 50,
      system: [
        {
          type: 'text' as const,
          text: 'A long stable system prompt.',
          cache_control: { type: 'ephemeral' as const },
        },
      ],
      messages: [{ role: 'user' as const, content: 'question one' }],
    };
    const first = await client.messages.create(params);
    const second = await client.messages.create({
      ...params,
      messages: [{ role: 'user', content: 'question two' }],
    });
    // system: 3 + 5 words = 8 cached; the user turn: 3 + 2.
    expect(first.usage).toMatchObject({
      input_tokens: 5,
      cache_creation_input_tokens: 8,
      cache_read_input_tokens: 0,
    });
    expect(first.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 8,
      ephemeral_1h_input_tokens: 0,
    });
    expect(second.usage).toMatchObject({
      input_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 8,
    });
  });

  it('counts tokens like the usage of a Messages call', async () => {
    const counted = await client.messages.countTokens({
      model: 'mock-claude',
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Say hello to the mock' }],
    });
    expect(counted).toEqual({ input_tokens: 14 });
  });
});
