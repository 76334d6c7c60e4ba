import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from './add-provider';
import {
  ANTHROPIC_MISSING,
  CLAUDE_MODEL,
  ERROR_EVENT_ON_ANTHROPIC,
  ON_ANTHROPIC,
  OPENAI_THEN_ANTHROPIC,
  PROMPT,
  REPLY,
  startAnthropicStack,
  testCost,
} from './anthropic-provider';
import {
  type AttemptJson,
  apiError,
  awaitUsageRow,
  expectFailedOver,
  mockStats,
  type Stack,
  UPSTREAM_MODEL,
} from './stack';

/**
 * The openai-chat surface's cells (issue 13) toward an Anthropic upstream: the openai SDK's chat completions as
 * the client, the mock speaking Anthropic Messages. Chat completions → Messages, and back. (OpenAI-chat and Gemini
 * upstreams: openai-chat-surface.happy.test.ts.)
 */

let stack: Stack;
let openai: OpenAI;
let anthropic: { providerId: string; accountId: string };

const UNREADABLE_THEN_OPENAI = 'unreadable-anthropic-then-openai';

/** An "Anthropic" upstream whose 200 answers are JSON but no Message. */
let unreadable: Server;
let unreadableProviderId: string;

const OPENAI_WEATHER_TOOL: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

beforeAll(async () => {
  ({ stack, anthropic } = await startAnthropicStack());
  openai = stack.client();
  unreadable = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ type: 'not-a-message', content: 'hello' }));
  });
  await new Promise<void>((resolve) => unreadable.listen(0, '127.0.0.1', resolve));
  const unreadableProvider = await addProvider(stack, {
    name: 'unreadable-anthropic',
    kind: 'anthropic',
    baseUrl: `http://127.0.0.1:${(unreadable.address() as AddressInfo).port}`,
    models: [CLAUDE_MODEL],
    price: { input: 1n, output: 1n },
    credential: 'sk-ant-x',
  });
  unreadableProviderId = unreadableProvider.providerId;
  const unreadableAccountId = unreadableProvider.accountId;
  await stack.addRoute({
    publicModel: UNREADABLE_THEN_OPENAI,
    targets: [
      { accountId: unreadableAccountId, upstreamModel: CLAUDE_MODEL },
      { accountId: stack.accountId, upstreamModel: UPSTREAM_MODEL, tier: 1 },
    ],
  });
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => unreadable?.close(resolve));
});

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

describe('openai SDK × anthropic', () => {
  it('non-stream: an OpenAI SDK call is answered by the Anthropic upstream as a chat completion', async () => {
    const { data, response } = await openai.chat.completions
      .create({
        model: ON_ANTHROPIC,
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: PROMPT },
        ],
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({ prompt_tokens: 15, completion_tokens: 16, total_tokens: 31 });
    expect(response.headers.get('x-switchyard-provider')).toBe('mock-anthropic');
    const sent = (await mockStats(stack)) as unknown as { lastRequest: { path: string; body: unknown } };
    expect(sent.lastRequest.path).toBe('/v1/messages');
    expect(sent.lastRequest.body).toMatchObject({ model: CLAUDE_MODEL, system: 'You are terse.' });
  });

  it('stream: chat chunks arrive one by one and add up to the answer, usage last when asked', async () => {
    const stream = await openai.chat.completions.create({
      model: ON_ANTHROPIC,
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined = null;
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) pieces.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(REPLY);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 16 });
  });

  it('tools: a tool call and its result go round through the Anthropic upstream', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await openai.chat.completions.create({
      model: ON_ANTHROPIC,
      messages,
      tools: [OPENAI_WEATHER_TOOL],
    });
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function.name : '').toBe('get_weather');
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '{}')).toEqual({ city: 'mock' });
    const second = await openai.chat.completions.create({
      model: ON_ANTHROPIC,
      tools: [OPENAI_WEATHER_TOOL],
      messages: [
        ...messages,
        choice?.message as OpenAI.ChatCompletionMessageParam,
        { role: 'tool', tool_call_id: call?.id ?? '', content: 'Sunny and 21 C' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe(
      'Mock reply using tool result: Sunny and 21 C — this is a deterministic mock completion.',
    );

    // Streamed: the call's name first, its arguments in deltas.
    const stream = await openai.chat.completions.create({
      model: ON_ANTHROPIC,
      messages,
      tools: [OPENAI_WEATHER_TOOL],
      stream: true,
    });
    let name = '';
    let args = '';
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        name += delta.function?.name ?? '';
        args += delta.function?.arguments ?? '';
      }
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toEqual({ city: 'mock' });
  });

  it('usage: the row has the Anthropic-reported tokens and their cost, openai-chat in, anthropic-messages out', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: ON_ANTHROPIC, messages: [{ role: 'user', content: PROMPT }] })
      .withResponse();
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      status: 'success',
      inputTokens: data.usage?.prompt_tokens,
      outputTokens: data.usage?.completion_tokens,
      costEstimated: false,
      surface: 'openai-chat',
      upstreamProtocol: 'anthropic-messages',
      servedProviderId: anthropic.providerId,
      servedModel: CLAUDE_MODEL,
    });
    expect(row.costMicros).toBe(testCost(9, 16));

    const stream = await openai.chat.completions
      .create({ model: ON_ANTHROPIC, messages: [{ role: 'user', content: PROMPT }], stream: true })
      .withResponse();
    for await (const _chunk of stream.data) {
      // drain
    }
    const streamRow = await usageRow(stream.response.headers.get('x-request-id') ?? '');
    expect(streamRow).toMatchObject({
      stream: true,
      inputTokens: 9,
      outputTokens: 16,
      costEstimated: false,
      upstreamProtocol: 'anthropic-messages',
    });
  });

  it("bad-model: an Anthropic upstream 404 is the OpenAI SDK's NotFoundError with the request id", async () => {
    const error = await apiError(
      openai.chat.completions.create({
        model: ANTHROPIC_MISSING,
        messages: [{ role: 'user', content: PROMPT }],
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.requestID).toMatch(/^req_[0-9a-f]{32}$/);
    expect((error.error as { request_id?: string }).request_id).toBe(error.requestID);
  });

  it('failover: the OpenAI-compatible primary answers 503, the Anthropic backup serves the OpenAI caller', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: OPENAI_THEN_ANTHROPIC, messages: [{ role: 'user', content: PROMPT }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(REPLY);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expectFailedOver(row.attempts, stack.providerId, anthropic.providerId);
    expect(row).toMatchObject({
      status: 'success',
      surface: 'openai-chat',
      upstreamProtocol: 'anthropic-messages',
      inputTokens: 9,
      outputTokens: 16,
    });
  });

  it('failover: a 200 the Anthropic adapter cannot read as a Message is the attempt’s invalid_response, and the backup serves', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: UNREADABLE_THEN_OPENAI, messages: [{ role: 'user', content: PROMPT }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(REPLY);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    const attempts = (row.attempts as unknown as AttemptJson[]).map((a) => [
      a.providerId,
      a.status,
      a.errorClass,
    ]);
    expect(attempts[0]).toEqual([unreadableProviderId, 200, 'invalid_response']);
    expect(attempts.at(-1)).toEqual([stack.providerId, 200, null]);
    expect(row).toMatchObject({ status: 'success', upstreamProtocol: 'openai-chat' });
  });

  for (const [field, extra] of [
    ['n', { n: 3 }],
    ['logprobs', { logprobs: true }],
  ] as const) {
    it(`unsupported_feature: \`${field}\` toward an Anthropic target is a 400 naming it, and no upstream call`, async () => {
      const before = await mockStats(stack);
      const error = await apiError(
        openai.chat.completions.create({
          model: ON_ANTHROPIC,
          messages: [{ role: 'user', content: PROMPT }],
          ...extra,
        }),
      );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.code).toBe('unsupported_feature');
      expect(error.param).toBe(field);
      expect(error.message).toContain(field);
      expect((await mockStats(stack)).requests).toBe(before.requests);
      const row = await usageRow(error.requestID ?? '');
      expect(row).toMatchObject({ status: 'error', httpStatus: 400, errorClass: 'unsupported_feature' });
    });
  }

  it("the upstream's error event toward an OpenAI caller is one OpenAI error, not the Anthropic event", async () => {
    const res = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: ERROR_EVENT_ON_ANTHROPIC,
        stream: true,
        messages: [{ role: 'user', content: PROMPT }],
      }),
    });
    const events = (await res.text()).split('\n\n').filter((event) => event !== '');
    const errors = events.filter((event) => event.includes('"error"'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toContain('overloaded_error');
    expect(events.at(-1)).toBe(errors[0]);
  });
});
