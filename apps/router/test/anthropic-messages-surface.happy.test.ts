import type Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anthropicClient,
  CLAUDE_MODEL,
  ON_ANTHROPIC,
  ON_OPENAI,
  PROMPT,
  REPLY,
  startAnthropicStack,
  testCost,
} from './anthropic-provider';
import { awaitUsageRow, mockStats, type Stack } from './stack';

/**
 * The anthropic-messages surface's cells (issue 13): `@anthropic-ai/sdk` as the client, the mock speaking Anthropic
 * and OpenAI chat as the upstreams. (The openai SDK toward an Anthropic upstream is the openai-chat surface:
 * openai-chat-surface.translated.test.ts.)
 */

let stack: Stack;
let claude: Anthropic;
let anthropic: { providerId: string; accountId: string };

beforeAll(async () => {
  ({ stack, anthropic } = await startAnthropicStack());
  claude = anthropicClient(stack);
});
afterAll(async () => {
  await stack?.stop();
});

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

const WEATHER_TOOL: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};
/** Text deltas of a raw Anthropic event stream, in order. */
async function textDeltas(stream: AsyncIterable<Anthropic.RawMessageStreamEvent>) {
  const deltas: string[] = [];
  const types: string[] = [];
  let usage: { input?: number | null; output?: number } = {};
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'message_start') usage.input = event.message.usage.input_tokens;
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
      deltas.push(event.delta.text);
    if (event.type === 'message_delta') usage = { ...usage, output: event.usage.output_tokens };
  }
  return { deltas, types, usage };
}

for (const [upstream, model, served] of [
  ['anthropic', ON_ANTHROPIC, 'anthropic-messages'],
  ['openai-compatible', ON_OPENAI, 'openai-chat'],
] as const) {
  describe(`@anthropic-ai/sdk × ${upstream}`, () => {
    it('non-stream: answers a Message with the reply, its usage and the readback headers', async () => {
      const { data, response } = await claude.messages
        .create({
          model,
          max_tokens: 200,
          system: 'You are terse.',
          messages: [{ role: 'user', content: PROMPT }],
        })
        .withResponse();
      expect(data.type).toBe('message');
      expect(data.role).toBe('assistant');
      expect(data.stop_reason).toBe('end_turn');
      const block = data.content[0];
      expect(block?.type).toBe('text');
      expect(block?.type === 'text' ? block.text : '').toBe(REPLY);
      // The mock's rule: (3 + 3 words of system) + (3 + 6 words) = 15 input, 16 output words.
      expect(data.usage.input_tokens).toBe(15);
      expect(data.usage.output_tokens).toBe(16);
      expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
      // Where the Anthropic SDK reads it.
      expect((data as { _request_id?: string | null })._request_id).toBe(
        response.headers.get('x-request-id'),
      );
      expect(response.headers.get('x-switchyard-route')).toBe(model);
      expect(response.headers.get('x-switchyard-provider')).toBe(
        upstream === 'anthropic' ? 'mock-anthropic' : 'mock',
      );
    });

    it('stream: text arrives in several deltas, in Anthropic event order, and adds up to the answer', async () => {
      const { data: stream, response } = await claude.messages
        .create({
          model,
          max_tokens: 200,
          messages: [{ role: 'user', content: PROMPT }],
          stream: true,
        })
        .withResponse();
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const { deltas, types, usage } = await textDeltas(stream);
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe(REPLY);
      expect(types[0]).toBe('message_start');
      expect(types.at(-2)).toBe('message_delta');
      expect(types.at(-1)).toBe('message_stop');
      expect(types).toContain('content_block_start');
      expect(types).toContain('content_block_stop');
      expect(usage.output).toBe(16);

      // The SDK's own accumulator over the same kind of stream.
      const helper = claude.messages.stream({
        model,
        max_tokens: 200,
        messages: [{ role: 'user', content: PROMPT }],
      });
      const pieces: string[] = [];
      helper.on('text', (text) => pieces.push(text));
      const final = await helper.finalMessage();
      expect(pieces.length).toBeGreaterThan(1);
      const text = final.content[0];
      expect(text?.type === 'text' ? text.text : '').toBe(pieces.join(''));
      expect(final.usage.output_tokens).toBe(16);
    });

    it('tools: the model asks for a tool, the caller sends the result, the model answers from it', async () => {
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await claude.messages.create({
        model,
        max_tokens: 200,
        tools: [WEATHER_TOOL],
        messages,
      });
      expect(first.stop_reason).toBe('tool_use');
      const call = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      expect(call?.name).toBe('get_weather');
      expect(call?.input).toEqual({ city: 'mock' });
      const second = await claude.messages.create({
        model,
        max_tokens: 200,
        tools: [WEATHER_TOOL],
        messages: [
          ...messages,
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: call?.id ?? '', content: 'Sunny and 21 C' }],
          },
        ],
      });
      expect(second.stop_reason).toBe('end_turn');
      const text = second.content[0];
      expect(text?.type === 'text' ? text.text : '').toBe(
        'Mock reply using tool result: Sunny and 21 C — this is a deterministic mock completion.',
      );

      // Streamed, the tool call arrives as input_json deltas the SDK assembles.
      const streamed = await claude.messages
        .stream({ model, max_tokens: 200, tools: [WEATHER_TOOL], messages })
        .finalMessage();
      const streamedCall = streamed.content.find((b) => b.type === 'tool_use');
      expect(streamedCall?.type === 'tool_use' ? streamedCall.input : null).toEqual({ city: 'mock' });
      expect(streamed.stop_reason).toBe('tool_use');
    });

    it('usage: the row has the reported tokens, their cost, the surface and the upstream protocol', async () => {
      const { data, response } = await claude.messages
        .create({ model, max_tokens: 200, messages: [{ role: 'user', content: PROMPT }] })
        .withResponse();
      const row = await usageRow(response.headers.get('x-request-id') ?? '');
      expect(row).toMatchObject({
        keyId: stack.apiKeyId,
        requestedModel: model,
        status: 'success',
        httpStatus: 200,
        stream: false,
        inputTokens: data.usage.input_tokens,
        outputTokens: data.usage.output_tokens,
        costEstimated: false,
        surface: 'anthropic-messages',
        upstreamProtocol: served,
        servedProviderId: upstream === 'anthropic' ? anthropic.providerId : stack.providerId,
      });
      expect(row.inputTokens).toBe(9);
      expect(row.costMicros).toBe(testCost(9, 16));

      // A stream's usage too: input from message_start, output from message_delta.
      const { data: stream, response: streamed } = await claude.messages
        .create({ model, max_tokens: 200, messages: [{ role: 'user', content: PROMPT }], stream: true })
        .withResponse();
      await textDeltas(stream);
      const streamRow = await usageRow(streamed.headers.get('x-request-id') ?? '');
      expect(streamRow).toMatchObject({
        stream: true,
        status: 'success',
        inputTokens: 9,
        outputTokens: 16,
        costEstimated: false,
        surface: 'anthropic-messages',
        upstreamProtocol: served,
      });
      expect(streamRow.costMicros).toBe(testCost(9, 16));
    });
  });
}

describe('@anthropic-ai/sdk × anthropic', () => {
  it('passthrough: cache_control, an unknown field and anthropic-beta reach the upstream untouched, the model replaced', async () => {
    const body = {
      model: ON_ANTHROPIC,
      max_tokens: 50,
      system: [{ type: 'text', text: 'Long cached preamble.', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'Cache me', cache_control: { type: 'ephemeral', ttl: '1h' } }],
        },
      ],
      switchyard_unknown_field: { nested: [1, 'two'] },
    };
    const { data, response } = await claude.messages
      .create(body as unknown as Anthropic.MessageCreateParamsNonStreaming, {
        headers: { 'anthropic-beta': 'switchyard-test-2026-01-01' },
      })
      .withResponse();
    const sent = (await mockStats(stack)) as unknown as {
      lastRequest: { path: string; headers: Record<string, string>; body: Record<string, unknown> };
    };
    expect(sent.lastRequest.path).toBe('/v1/messages');
    expect(sent.lastRequest.body).toEqual({ ...body, model: CLAUDE_MODEL });
    expect(sent.lastRequest.headers['anthropic-version']).toBe('2023-06-01');
    // The caller's beta features go along with its body.
    expect(sent.lastRequest.headers['anthropic-beta']).toBe('switchyard-test-2026-01-01');
    expect(sent.lastRequest.headers['x-api-key']).toMatch(/^sk-ant-u/);
    // The mock honoured the cache markers: the cache counts came back through the router as sent.
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row.cacheWriteTokens + row.cachedInputTokens).toBe(
      (data.usage.cache_creation_input_tokens ?? 0) + (data.usage.cache_read_input_tokens ?? 0),
    );
    expect(row.cacheWriteTokens + row.cachedInputTokens).toBeGreaterThan(0);
    expect(row.inputTokens).toBe(
      data.usage.input_tokens +
        (data.usage.cache_creation_input_tokens ?? 0) +
        (data.usage.cache_read_input_tokens ?? 0),
    );
  });
});

describe('anthropic-messages count_tokens', () => {
  it('counts a Messages body with the router tokenizer, without calling an upstream or recording usage', async () => {
    const before = (await mockStats(stack)).requests;
    const rowsBefore = await stack.prisma.usageEvent.count();
    const counted = await claude.messages.countTokens({
      model: ON_ANTHROPIC,
      system: 'You are terse.',
      messages: [{ role: 'user', content: PROMPT }],
      tools: [WEATHER_TOOL],
    });
    const bare = await claude.messages.countTokens({
      model: ON_ANTHROPIC,
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect(bare.input_tokens).toBeGreaterThan(0);
    // System prompt and tool definition add tokens.
    expect(counted.input_tokens).toBeGreaterThan(bare.input_tokens + 5);
    expect((await mockStats(stack)).requests).toBe(before);
    expect(await stack.prisma.usageEvent.count()).toBe(rowsBefore);
  });
});
