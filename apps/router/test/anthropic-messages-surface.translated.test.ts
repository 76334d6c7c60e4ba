import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient } from './anthropic-provider';
import {
  addCrossFamilyUpstreams,
  expectedCost,
  lastMockRequest,
  OTHER,
  PROMPT,
  PROMPT_TOKENS,
  REPLY,
  REPLY_TOKENS,
  toolResultSeen,
  type UpstreamKind,
  type UpstreamUnderTest,
} from './cross-family-stack';
import { awaitUsageRow, type Stack, startStack } from './stack';

/**
 * The anthropic-messages surface's cells (issue 13) toward a Gemini upstream: `@anthropic-ai/sdk` as the client,
 * the mock speaking Gemini. Messages → canonical chat → generateContent, and back. (Anthropic and
 * OpenAI-compatible upstreams: anthropic-messages-surface.happy/error.test.ts.)
 */

let stack: Stack;
let claude: Anthropic;
let upstreams: Record<UpstreamKind, UpstreamUnderTest>;
let gemini: UpstreamUnderTest;

beforeAll(async () => {
  stack = await startStack();
  claude = anthropicClient(stack);
  upstreams = await addCrossFamilyUpstreams(stack);
  gemini = upstreams.gemini;
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

const WEATHER_TOOL: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const textOf = (message: Anthropic.Message) =>
  message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');

describe('@anthropic-ai/sdk × gemini', () => {
  it('non-stream: a Message from the Gemini answer, system prompt sent as systemInstruction', async () => {
    const { data, response } = await claude.messages
      .create({
        model: gemini.model,
        max_tokens: 200,
        system: 'Be terse.',
        messages: [{ role: 'user', content: PROMPT }],
      })
      .withResponse();
    expect(data.type).toBe('message');
    expect(data.stop_reason).toBe('end_turn');
    expect(textOf(data)).toBe(REPLY);
    expect(data.usage.input_tokens).toBe(PROMPT_TOKENS + 5);
    expect(data.usage.output_tokens).toBe(REPLY_TOKENS);
    expect(response.headers.get('x-switchyard-provider')).toBe(gemini.providerName);
    const seen = await lastMockRequest(stack);
    expect(seen.path).toMatch(gemini.mockPath);
    expect(seen.body).toMatchObject({
      systemInstruction: { parts: [{ text: 'Be terse.' }] },
      contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
      generationConfig: { maxOutputTokens: 200 },
    });
  });

  it('stream: text deltas in Anthropic event order add up to the answer; usage in message_delta', async () => {
    const stream = await claude.messages.create({
      model: gemini.model,
      max_tokens: 200,
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
    });
    const types: string[] = [];
    const deltas: string[] = [];
    let output = 0;
    let input: number | null = null;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        deltas.push(event.delta.text);
      if (event.type === 'message_delta') {
        output = event.usage.output_tokens;
        input = event.usage.input_tokens ?? input;
      }
    }
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(REPLY);
    expect(types[0]).toBe('message_start');
    expect(types.at(-2)).toBe('message_delta');
    expect(types.at(-1)).toBe('message_stop');
    expect(output).toBe(REPLY_TOKENS);
    const final = await claude.messages
      .stream({ model: gemini.model, max_tokens: 200, messages: [{ role: 'user', content: PROMPT }] })
      .finalMessage();
    expect(textOf(final)).toBe(REPLY);
  });

  it('tools: tool_use out, tool_result in (a functionResponse for Gemini), the answer uses it; streamed too', async () => {
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await claude.messages.create({
      model: gemini.model,
      max_tokens: 200,
      tools: [WEATHER_TOOL],
      messages,
    });
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
    expect(call?.name).toBe('get_weather');
    expect(call?.input).toEqual({ city: 'mock' });
    const second = await claude.messages.create({
      model: gemini.model,
      max_tokens: 200,
      tools: [WEATHER_TOOL],
      messages: [
        ...messages,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call?.id ?? '', content: 'sunny, 21 C' }],
        },
      ],
    });
    expect(textOf(second)).toBe(
      `Mock reply using tool result: ${toolResultSeen('gemini', 'sunny, 21 C')} — this is a deterministic mock completion.`,
    );
    const contents = (await lastMockRequest(stack)).body.contents as { role: string; parts: unknown[] }[];
    expect(contents.at(-2)).toMatchObject({
      role: 'model',
      parts: [{ functionCall: { name: 'get_weather', args: { city: 'mock' } } }],
    });
    expect(contents.at(-1)).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'get_weather', response: { result: 'sunny, 21 C' } } }],
    });
    const streamed = await claude.messages
      .stream({ model: gemini.model, max_tokens: 200, tools: [WEATHER_TOOL], messages })
      .finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    const streamedCall = streamed.content.find((block) => block.type === 'tool_use');
    expect(streamedCall?.type === 'tool_use' ? streamedCall.input : null).toEqual({ city: 'mock' });
  });

  it('a setting Gemini cannot honour is a 400 naming the Anthropic field, never sent upstream', async () => {
    const error = await claude.messages
      .create({
        model: gemini.model,
        max_tokens: 200,
        tools: [WEATHER_TOOL],
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        messages: [{ role: 'user', content: PROMPT }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const body = (error as InstanceType<typeof Anthropic.BadRequestError>).error as {
      error: { message: string; details?: { error_code?: string; param?: string } };
    };
    expect(body.error.details?.error_code).toBe('unsupported_feature');
    expect(JSON.stringify(body)).toContain('tool_choice.disable_parallel_tool_use');
  });

  it("usage: one row with Gemini's tokens, priced, anthropic-messages in and gemini-generate out", async () => {
    const { response } = await claude.messages
      .create({ model: gemini.model, max_tokens: 200, messages: [{ role: 'user', content: PROMPT }] })
      .withResponse();
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      status: 'success',
      requestedModel: gemini.model,
      servedProviderId: gemini.providerId,
      servedModel: gemini.upstreamModel,
      surface: 'anthropic-messages',
      upstreamProtocol: 'gemini-generate',
      inputTokens: PROMPT_TOKENS,
      outputTokens: REPLY_TOKENS,
      costEstimated: false,
    });
    expect(row.costMicros).toBe(expectedCost(PROMPT_TOKENS, REPLY_TOKENS));
  });

  it("bad-model: Gemini's 404 is the SDK's NotFoundError in Anthropic's shape, with the request id", async () => {
    const error = await claude.messages
      .create({ model: gemini.missingModel, max_tokens: 50, messages: [{ role: 'user', content: PROMPT }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    const notFound = error as InstanceType<typeof Anthropic.NotFoundError>;
    expect(notFound.requestID).toMatch(/^req_[0-9a-f]{32}$/);
    expect(notFound.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('failover: the Gemini primary answers 503, the Anthropic backup serves the Anthropic caller natively', async () => {
    const { data, response } = await claude.messages
      .create({ model: gemini.failoverModel, max_tokens: 200, messages: [{ role: 'user', content: PROMPT }] })
      .withResponse();
    expect(textOf(data)).toBe(REPLY);
    const backup = upstreams[OTHER.gemini];
    expect(response.headers.get('x-switchyard-provider')).toBe(backup.providerName);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row.upstreamProtocol).toBe('anthropic-messages');
    expect(row.attempts).toMatchObject([
      { status: 503, providerId: gemini.providerId },
      { status: 503, providerId: gemini.providerId },
      { status: 200, providerId: backup.providerId },
    ]);
  });
});
