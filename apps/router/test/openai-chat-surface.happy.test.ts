import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from './add-provider';
import * as gemini from './gemini-stack';
import { addMockModelFaults, apiError, awaitUsageRow, type Stack, setMockFaults, startStack } from './stack';

/**
 * The openai-chat surface's cells of the conformance matrix (issue 13; `npm run compat` turns these names into
 * docs/compatibility.md): the openai SDK as the client, each OpenAI-chat upstream kind the mock speaks as the
 * upstream. Same protocol in and out, so every cell runs on the fast path.
 */

let stack: Stack;
let client: OpenAI;

/** micro-USD per million tokens of every upstream model priced here. */
const PRICE = { input: 2_500_000n, output: 10_000_000n };
const TOOLS = [
  {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

interface UpstreamUnderTest {
  /** The public model routed to it. */
  model: string;
  /** The upstream model its target names (a deployment for Azure). */
  upstreamModel: string;
  providerId: string;
  /** A route whose primary (an openai-compatible target) answers 503, with this upstream as the backup. */
  failoverModel: string;
  /** The provider (name) that serves the failover route: this upstream's kind. */
  failoverServedBy: string;
  /** The path the mock saw for a chat call to it. */
  mockPath: RegExp;
}

const upstreams: Record<'openai-compatible' | 'azure-openai', UpstreamUnderTest> = {
  'openai-compatible': {
    model: 'matrix-oc',
    upstreamModel: 'matrix-oc-upstream',
    providerId: '',
    failoverModel: 'matrix-oc-failover',
    failoverServedBy: 'matrix-compatible-backup',
    mockPath: /^\/v1\/chat\/completions$/,
  },
  'azure-openai': {
    model: 'matrix-azure',
    upstreamModel: 'matrix-azure-deployment',
    providerId: '',
    failoverModel: 'matrix-azure-failover',
    failoverServedBy: 'matrix-azure',
    mockPath: /^\/openai\/deployments\/matrix-azure-deployment\/chat\/completions\?api-version=2024-10-21$/,
  },
};

/** A provider of `kind` on the mock, one account with its own credential, and a price for `models`. */
function addMatrixProvider(
  kind: 'openai_compatible' | 'azure_openai',
  name: string,
  baseUrl: string,
  models: string[] = [],
) {
  return addProvider(stack, { name, kind, baseUrl, models, price: PRICE, credential: `sk-${name}` });
}

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
  const compatible = await addMatrixProvider('openai_compatible', 'matrix-compatible', stack.mockUrl, [
    'matrix-oc-upstream',
  ]);
  const backup = await addMatrixProvider('openai_compatible', 'matrix-compatible-backup', stack.mockUrl);
  // Azure's base URL is the resource endpoint: the mock's origin, no /v1.
  const azure = await addMatrixProvider('azure_openai', 'matrix-azure', stack.mockOrigin, [
    'matrix-azure-deployment',
  ]);
  upstreams['openai-compatible'].providerId = compatible.providerId;
  upstreams['azure-openai'].providerId = azure.providerId;
  // Both failover primaries are an openai-compatible target whose upstream model the mock fails with 503.
  await setMockFaults(stack, { byModel: { 'matrix-broken': { status: 503 } } });

  await stack.addRoute({
    publicModel: 'matrix-oc',
    targets: [{ accountId: compatible.accountId, upstreamModel: 'matrix-oc-upstream' }],
  });
  await stack.addRoute({
    publicModel: 'matrix-azure',
    targets: [{ accountId: azure.accountId, upstreamModel: 'matrix-azure-deployment' }],
  });
  await stack.addRoute({
    publicModel: 'matrix-oc-failover',
    targets: [
      { accountId: compatible.accountId, upstreamModel: 'matrix-broken', tier: 0 },
      { accountId: backup.accountId, upstreamModel: 'matrix-oc-upstream', tier: 1 },
    ],
  });
  await stack.addRoute({
    publicModel: 'matrix-azure-failover',
    targets: [
      { accountId: compatible.accountId, upstreamModel: 'matrix-broken', tier: 0 },
      { accountId: azure.accountId, upstreamModel: 'matrix-azure-deployment', tier: 1 },
    ],
  });
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

function expectedCost(input: number, output: number): bigint {
  return (BigInt(input) * PRICE.input + BigInt(output) * PRICE.output + 500_000n) / 1_000_000n;
}

/** What the mock recorded of the last request it answered (see packages/mock-provider README, stats). */
async function lastMockRequest(): Promise<{ path: string; headers: Record<string, string>; body: unknown }> {
  const stats = (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as {
    lastRequest: { path: string; headers: Record<string, string>; body: unknown } | null;
  };
  if (stats.lastRequest === null) throw new Error('the mock saw no request');
  return stats.lastRequest;
}

const messages = [{ role: 'user' as const, content: 'Say hello to the matrix please' }];
const REPLY = 'Mock reply to: Say hello to the matrix please — this is a deterministic mock completion.';

function chatCells(upstreamKind: keyof typeof upstreams) {
  const upstream = () => upstreams[upstreamKind];

  it('non-stream: the upstream answer comes back whole, with the readback headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: upstream().model, messages })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get('x-switchyard-model')).toBe(upstream().upstreamModel);
    expect((await lastMockRequest()).path).toMatch(upstream().mockPath);
  });

  it('stream: text arrives in several chunks and adds up to the answer', async () => {
    const stream = await client.chat.completions.create({ model: upstream().model, messages, stream: true });
    const deltas: string[] = [];
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) deltas.push(delta);
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(REPLY);
    expect(finish).toBe('stop');
  });

  it('tools: the model calls a tool, the caller sends its result, the model answers with it', async () => {
    const ask = [{ role: 'user' as const, content: 'Weather in Paris?' }];
    const first = await client.chat.completions.create({
      model: upstream().model,
      messages: ask,
      tools: TOOLS,
    });
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const call = first.choices[0]?.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'mock' });
    const second = await client.chat.completions.create({
      model: upstream().model,
      messages: [
        ...ask,
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: 'sunny-and-21C' },
      ],
      tools: TOOLS,
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toContain('Mock reply using tool result: sunny-and-21C');
  });

  it('usage: one row with the reported tokens, the cost at the price in force, surface and upstream protocol', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: upstream().model, messages })
      .withResponse();
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      requestedModel: upstream().model,
      servedProviderId: upstream().providerId,
      servedModel: upstream().upstreamModel,
      status: 'success',
      httpStatus: 200,
      inputTokens: data.usage?.prompt_tokens,
      outputTokens: data.usage?.completion_tokens,
      surface: 'openai-chat',
      upstreamProtocol: 'openai-chat',
      costEstimated: false,
    });
    // The mock counts one output token per reply word.
    expect(row.outputTokens).toBe(REPLY.split(' ').length);
    expect(row.costMicros).toBe(expectedCost(row.inputTokens, row.outputTokens));
    expect(row.costMicros).toBeGreaterThan(0n);

    // A stream is billed from the usage the router asked the upstream for, though the caller did not.
    const streamed = await client.chat.completions
      .create({ model: upstream().model, messages, stream: true })
      .withResponse();
    for await (const chunk of streamed.data) expect(chunk.usage ?? null).toBeNull();
    const streamRow = await usageRow(streamed.response.headers.get('x-request-id') ?? '');
    expect(streamRow).toMatchObject({
      stream: true,
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
    });
    expect(streamRow.costMicros).toBe(row.costMicros);
  });

  it("bad-model: the SDK's NotFoundError, status 404, with the request id", async () => {
    const error = await apiError(
      client.chat.completions.create({ model: `${upstream().model}-does-not-exist`, messages }),
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
    expect(error.requestID).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('failover: an openai-compatible primary answers 503, this upstream serves, the caller gets 200', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: upstream().failoverModel, messages })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(response.headers.get('x-switchyard-provider')).toBe(upstream().failoverServedBy);
    expect(Number(response.headers.get('x-switchyard-attempts'))).toBeGreaterThanOrEqual(2);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    const attempts = row.attempts as { status: number | null; errorClass: string | null }[];
    expect(attempts.some((a) => a.status === 503)).toBe(true);
    expect(attempts.at(-1)?.status).toBe(200);
    expect(row.upstreamProtocol).toBe('openai-chat');
  });

  it('passthrough: a field the gateway does not know reaches the upstream unchanged', async () => {
    const body = {
      model: upstream().model,
      messages,
      // Not in OpenAI's API: only a body passed through untouched carries it upstream.
      x_matrix_probe: { nested: [1, 'two', { three: null }] },
      seed: 42,
    };
    const data = await client.chat.completions.create(body as ChatCompletionCreateParamsNonStreaming);
    expect(data.choices[0]?.message.content).toBe(REPLY);
    const seen = await lastMockRequest();
    expect(seen.path).toMatch(upstream().mockPath);
    expect(seen.body).toMatchObject({
      model: upstream().upstreamModel,
      x_matrix_probe: { nested: [1, 'two', { three: null }] },
      seed: 42,
    });
  });
}

describe('openai SDK × openai-compatible', () => {
  chatCells('openai-compatible');
});

describe('openai SDK × azure-openai', () => {
  chatCells('azure-openai');

  it('credential: the key goes in api-key, never as a bearer token', async () => {
    await client.chat.completions.create({ model: 'matrix-azure', messages });
    const seen = await lastMockRequest();
    expect(seen.headers['api-key']).toBe('sk-matri…');
    expect(seen.headers.authorization).toBeUndefined();
  });
});

/**
 * The Vercel AI SDK's chat-completions model (`openai.chat(id)`; its default `openai(id)` calls the Responses API,
 * another surface). No passthrough cell: the SDK sends only fields it knows.
 */
describe('Vercel AI SDK (openai.chat) × openai-compatible', () => {
  const model = (id: string) =>
    createOpenAI({ apiKey: stack.apiKey, baseURL: `${stack.routerUrl}/v1` }).chat(id);
  const prompt = 'Say hello to the matrix please';

  it('non-stream: generateText gets the whole answer', async () => {
    const result = await generateText({ model: model('matrix-oc'), prompt, maxRetries: 0 });
    expect(result.text).toBe(REPLY);
    expect(result.finishReason).toBe('stop');
    expect(result.response.headers?.['x-switchyard-model']).toBe('matrix-oc-upstream');
  });

  it('stream: streamText yields the text in several pieces that add up to the answer', async () => {
    const result = streamText({ model: model('matrix-oc'), prompt, maxRetries: 0 });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toBe(REPLY);
    expect(await result.finishReason).toBe('stop');
  });

  it('tools: the SDK runs the tool the model asked for and the model answers with its result', async () => {
    const calls: unknown[] = [];
    const result = await generateText({
      model: model('matrix-oc'),
      prompt: 'Weather in Paris?',
      maxRetries: 0,
      stopWhen: stepCountIs(2),
      tools: {
        get_weather: tool({
          description: 'Weather for a city',
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          }),
          execute: async (input) => {
            calls.push(input);
            return 'sunny-and-21C';
          },
        }),
      },
    });
    expect(calls).toEqual([{ city: 'mock' }]);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.finishReason).toBe('tool-calls');
    expect(result.text).toContain('Mock reply using tool result:');
    expect(result.text).toContain('sunny-and-21C');
  });

  it('usage: the SDK reports the tokens the usage row bills, at the price in force', async () => {
    const result = streamText({ model: model('matrix-oc'), prompt, maxRetries: 0 });
    await result.consumeStream();
    const usage = await result.usage;
    const requestId = (await result.response).headers?.['x-request-id'] ?? '';
    const row = await usageRow(requestId);
    expect(row).toMatchObject({
      stream: true,
      status: 'success',
      servedModel: 'matrix-oc-upstream',
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      surface: 'openai-chat',
      upstreamProtocol: 'openai-chat',
    });
    expect(row.outputTokens).toBe(REPLY.split(' ').length);
    expect(row.costMicros).toBe(expectedCost(row.inputTokens, row.outputTokens));
  });

  it("bad-model: the SDK's APICallError, status 404, with the request id", async () => {
    const error = await generateText({ model: model('matrix-no-such-model'), prompt, maxRetries: 0 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(APICallError.isInstance(error)).toBe(true);
    if (!APICallError.isInstance(error)) return;
    expect(error.statusCode).toBe(404);
    expect(error.isRetryable).toBe(false);
    expect(error.responseHeaders?.['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    expect(error.message).toContain('matrix-no-such-model');
  });

  it('failover: an openai-compatible primary answers 503, the backup serves, the caller gets its text', async () => {
    const result = await generateText({ model: model('matrix-oc-failover'), prompt, maxRetries: 0 });
    expect(result.text).toBe(REPLY);
    expect(result.response.headers?.['x-switchyard-provider']).toBe('matrix-compatible-backup');
  });
});

describe('openai SDK × gemini', () => {
  // Translated both ways: openai-chat in, gemini-generate out (the mock speaking Gemini), so no passthrough cell.
  let geminiRoutes: gemini.GeminiRoutes;
  beforeAll(async () => {
    geminiRoutes = await gemini.addGeminiRoutes(stack);
    await addMockModelFaults(stack, { [gemini.BUSY_GEMINI_MODEL]: { status: 503 } });
  });
  it('non-stream: a chat completion is translated to generateContent and back', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gem-flash', messages: [{ role: 'user', content: gemini.PROMPT }], max_tokens: 50 })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message.content).toBe(gemini.REPLY);
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({
      prompt_tokens: gemini.PROMPT_TOKENS,
      completion_tokens: gemini.REPLY_TOKENS,
    });
    expect(response.headers.get('x-switchyard-provider')).toBe('mock-gemini');
    const upstream = await lastMockRequest();
    expect(upstream.path).toBe('/v1beta/models/mock-gemini-flash:generateContent');
    expect(upstream.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: gemini.PROMPT }] }],
      generationConfig: { maxOutputTokens: 50 },
    });
  });

  it('stream: Gemini events become chat chunks, text incremental, usage chunk when asked, then [DONE]', async () => {
    const stream = await client.chat.completions.create({
      model: 'gem-flash',
      messages: [{ role: 'user', content: gemini.PROMPT }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const texts: string[] = [];
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) texts.push(choice.delta.content);
      finish = choice?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.join('')).toBe(gemini.REPLY);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({
      prompt_tokens: gemini.PROMPT_TOKENS,
      completion_tokens: gemini.REPLY_TOKENS,
      total_tokens: 23,
    });
  });

  it('tools: tool_calls come back with ids, and the tool result goes to Gemini as a functionResponse', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.chat.completions.create({ model: 'gem-flash', messages, tools });
    const message = first.choices[0]?.message;
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const call = message?.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'mock' });
    expect(call.id.length).toBeGreaterThan(0);
    const second = await client.chat.completions.create({
      model: 'gem-flash',
      tools,
      messages: [
        ...messages,
        message as OpenAI.ChatCompletionMessageParam,
        { role: 'tool', tool_call_id: call.id, content: '{"celsius":21}' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe(
      'Mock reply using tool result: {"celsius":21} — this is a deterministic mock completion.',
    );
    const contents = ((await lastMockRequest()).body as { contents?: { parts?: unknown[] }[] } | null)
      ?.contents;
    const parts = contents?.at(-1)?.parts;
    expect(parts).toEqual([{ functionResponse: { name: 'get_weather', response: { celsius: 21 } } }]);
  });

  it('usage: the row says openai-chat in, gemini-generate out, priced at the Gemini price', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'gem-flash', messages: [{ role: 'user', content: gemini.PROMPT }] })
      .withResponse();
    const row = await usageRow(response.headers.get('x-request-id') as string);
    expect(row).toMatchObject({
      surface: 'openai-chat',
      upstreamProtocol: 'gemini-generate',
      status: 'success',
      servedProviderId: geminiRoutes.geminiProviderId,
      inputTokens: gemini.PROMPT_TOKENS,
      outputTokens: gemini.REPLY_TOKENS,
      costMicros: gemini.GEMINI_COST,
      costEstimated: false,
    });
  });
  it("bad-model: an unknown model is the SDK's NotFoundError 404 with the request id", async () => {
    const error = await apiError(
      client.chat.completions.create({
        model: 'no-such-model',
        messages: [{ role: 'user', content: gemini.PROMPT }],
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
    expect(error.requestID).toMatch(/^req_[0-9a-f]{32}$/);
  });
  it('failover: a Gemini primary answering 503 fails over to the OpenAI-compatible backup', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gem-failover', messages: [{ role: 'user', content: gemini.PROMPT }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(gemini.REPLY);
    expect(response.headers.get('x-switchyard-model')).toBe('mock-gpt-for-gemini');
    const row = await usageRow(response.headers.get('x-request-id') as string);
    expect(row).toMatchObject({ surface: 'openai-chat', upstreamProtocol: 'openai-chat', status: 'success' });
    const attempts = (row.attempts as { status: number | null; model: string }[]).map((a) => [
      a.model,
      a.status,
    ]);
    expect(response.headers.get('x-switchyard-attempts')).toBe(String(attempts.length));
    expect(attempts[0]).toEqual([gemini.BUSY_GEMINI_MODEL, 503]);
    expect(attempts.at(-1)).toEqual(['mock-gpt-for-gemini', 200]);
  });
});
