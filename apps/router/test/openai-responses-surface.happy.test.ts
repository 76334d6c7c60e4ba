import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, streamText } from 'ai';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from './add-provider';
import { readResponsesStream, vercelWeatherTools, weatherTool } from './responses-conformance';
import {
  awaitUsageRow,
  mockStats,
  SEEDED_MODEL,
  SEEDED_PRICE,
  type Stack,
  setMockFaults,
  startStack,
  UPSTREAM_MODEL,
} from './stack';

let stack: Stack;
let client: OpenAI;
/** A route to a provider of kind `openai` (real OpenAI's adapter) at the mock, which speaks /v1/responses. */
const NATIVE_MODEL = 'resp-native';
const NATIVE_UPSTREAM = 'mock-gpt-4o';
const NATIVE_PRICE = { input: 2_500_000n, output: 10_000_000n };
/** Primary: the native provider, its model failing with 503; backup tier: the compatible (translated) one. */
const FAILOVER_MODEL = 'resp-failover';
/** Primary: the compatible (translated) provider, failing with 503; backup tier: the native one. */
const FAILOVER_TO_NATIVE_MODEL = 'resp-failover-native';
let nativeProviderId: string;

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
  const native = await addProvider(stack, {
    name: 'openai-native',
    kind: 'openai',
    baseUrl: stack.mockUrl,
    models: [NATIVE_UPSTREAM, 'broken-responses'],
    price: NATIVE_PRICE,
  });
  nativeProviderId = native.providerId;
  await stack.addRoute({
    publicModel: NATIVE_MODEL,
    targets: [{ accountId: native.accountId, upstreamModel: NATIVE_UPSTREAM }],
  });
  await stack.addRoute({
    publicModel: FAILOVER_MODEL,
    targets: [
      { accountId: native.accountId, upstreamModel: 'broken-responses', tier: 0 },
      { accountId: stack.accountId, upstreamModel: UPSTREAM_MODEL, tier: 1 },
    ],
  });
  await stack.addRoute({
    publicModel: FAILOVER_TO_NATIVE_MODEL,
    targets: [
      { accountId: stack.accountId, upstreamModel: 'broken-chat', tier: 0 },
      { accountId: native.accountId, upstreamModel: NATIVE_UPSTREAM, tier: 1 },
    ],
  });
  await setMockFaults(stack, {
    byModel: { 'broken-responses': { status: 503 }, 'broken-chat': { status: 503 } },
  });
});
afterAll(async () => {
  await stack?.stop();
});

function cost(input: number, output: number, price: { input: bigint; output: bigint }): bigint {
  return (BigInt(input) * price.input + BigInt(output) * price.output + 500_000n) / 1_000_000n;
}

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

describe('openai SDK × openai-compatible', () => {
  it('non-stream: a Response translated from the chat upstream, output_text from its reply', async () => {
    const { data, response } = await client.responses
      .create({ model: SEEDED_MODEL, input: 'Say hello to the gateway', instructions: 'Be terse.' })
      .withResponse();
    expect(data.object).toBe('response');
    expect(data.status).toBe('completed');
    expect(data.model).toBe(SEEDED_MODEL);
    expect(data.output_text).toBe(
      'Mock reply to: Say hello to the gateway — this is a deterministic mock completion.',
    );
    expect(data.instructions).toBe('Be terse.');
    expect(data.usage?.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe('mock');
    // What the chat upstream received: chat messages, not the Responses body.
    const last = (await mockStats(stack)) as unknown as {
      lastRequest: { path: string; body: { messages: unknown[] } };
    };
    expect(last.lastRequest.path).toBe('/v1/chat/completions');
    expect(last.lastRequest.body.messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Say hello to the gateway' },
    ]);
  });

  it('stream: text arrives in several deltas that add up to the non-streamed text', async () => {
    const whole = await client.responses.create({ model: SEEDED_MODEL, input: 'Stream to me please' });
    const { data: stream, response } = await client.responses
      .create({ model: SEEDED_MODEL, input: 'Stream to me please', stream: true })
      .withResponse();
    const { text, deltas, types, completed } = await readResponsesStream(stream);
    expect(deltas).toBeGreaterThan(3);
    expect(text).toBe(whole.output_text);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(completed?.usage?.output_tokens).toBe(whole.usage?.output_tokens);
    // Usage of a translated stream: the chat upstream's usage chunk, which the router asked for.
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      stream: true,
      status: 'success',
      surface: 'openai-responses',
      upstreamProtocol: 'openai-chat',
      inputTokens: whole.usage?.input_tokens,
      outputTokens: whole.usage?.output_tokens,
      costEstimated: false,
    });
  });

  it('tools: function_call out, function_call_output in, answer using it', async () => {
    const first = await client.responses.create({
      model: SEEDED_MODEL,
      input: 'Weather in Paris?',
      tools: [weatherTool],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    expect(call.name).toBe('get_weather');
    expect(JSON.parse(call.arguments)).toEqual({ city: 'mock' });
    const second = await client.responses.create({
      model: SEEDED_MODEL,
      tools: [weatherTool],
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21 C' },
      ],
    });
    expect(second.output_text).toBe(
      'Mock reply using tool result: sunny, 21 C — this is a deterministic mock completion.',
    );
  });

  it('usage: one row with the tokens, the cost, the surface and the translated upstream protocol', async () => {
    const { data, response } = await client.responses
      .create({ model: SEEDED_MODEL, input: 'Count my tokens' })
      .withResponse();
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      status: 'success',
      surface: 'openai-responses',
      upstreamProtocol: 'openai-chat',
      servedModel: UPSTREAM_MODEL,
      inputTokens: data.usage?.input_tokens,
      outputTokens: data.usage?.output_tokens,
    });
    expect(row.costMicros).toBe(cost(row.inputTokens, row.outputTokens, SEEDED_PRICE));
    expect(row.costMicros).toBeGreaterThan(0n);
  });

  it('failover: the native Responses target answers 503, the translated chat target serves it', async () => {
    const { data, response } = await client.responses
      .create({ model: FAILOVER_MODEL, input: 'Fail over please' })
      .withResponse();
    expect(data.output_text).toContain('Mock reply to: Fail over please');
    // The 503 is transient: the native target is retried once, then the next tier serves it.
    expect(response.headers.get('x-switchyard-attempts')).toBe('3');
    expect(response.headers.get('x-switchyard-provider')).toBe('mock');
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row.upstreamProtocol).toBe('openai-chat');
    expect(row.attempts).toMatchObject([
      { status: 503, providerId: nativeProviderId },
      { status: 503, providerId: nativeProviderId },
      { status: 200, providerId: stack.providerId },
    ]);
  });
});

describe('openai SDK × openai', () => {
  it('non-stream: the body goes up as sent to /v1/responses and the answer comes back with a tagged id', async () => {
    const { data, response } = await client.responses
      .create({ model: NATIVE_MODEL, input: 'Hello native', instructions: 'Be brief.' })
      .withResponse();
    expect(data.output_text).toBe('Mock reply to: Hello native — this is a deterministic mock completion.');
    // The upstream's resp_mock… carries the serving target.
    expect(data.id).toMatch(/^resp_tgt-[A-Za-z0-9]+_mock/);
    expect(response.headers.get('x-switchyard-provider')).toBe('openai-native');
    const stats = (await mockStats(stack)) as unknown as {
      lastRequest: { path: string; body: Record<string, unknown> };
    };
    expect(stats.lastRequest.path).toBe('/v1/responses');
    expect(stats.lastRequest.body).toMatchObject({
      model: NATIVE_UPSTREAM,
      input: 'Hello native',
      instructions: 'Be brief.',
    });
  });

  it('passthrough: a field translation does not know reaches the Responses upstream', async () => {
    await client.responses.create({
      model: NATIVE_MODEL,
      input: 'Hello',
      // @ts-expect-error: a field the SDK does not type, as a newer API version would add
      switchyard_probe: { nested: [1, 2] },
    });
    const stats = (await mockStats(stack)) as unknown as { lastRequest: { body: Record<string, unknown> } };
    expect(stats.lastRequest.body.switchyard_probe).toEqual({ nested: [1, 2] });
  });

  it('stream: relayed event by event, ids tagged in every event that names the response', async () => {
    const stream = await client.responses.create({
      model: NATIVE_MODEL,
      input: 'Stream natively',
      stream: true,
    });
    let text = '';
    let deltas = 0;
    const ids = new Set<string>();
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') {
        deltas++;
        text += event.delta;
      }
      if ('response' in event) ids.add(event.response.id);
    }
    expect(deltas).toBeGreaterThan(3);
    expect(text).toBe('Mock reply to: Stream natively — this is a deterministic mock completion.');
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^resp_tgt-[A-Za-z0-9]+_mock/);
  });

  it('usage: the native usage read on the side, priced at the native target', async () => {
    const stream = await client.responses
      .create({ model: NATIVE_MODEL, input: 'Bill this stream', stream: true })
      .withResponse();
    let usage: OpenAI.Responses.ResponseUsage | undefined;
    for await (const event of stream.data)
      if (event.type === 'response.completed') usage = event.response.usage;
    const row = await usageRow(stream.response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      status: 'success',
      stream: true,
      surface: 'openai-responses',
      upstreamProtocol: 'openai-responses',
      servedProviderId: nativeProviderId,
      inputTokens: usage?.input_tokens,
      outputTokens: usage?.output_tokens,
    });
    expect(row.costMicros).toBe(cost(row.inputTokens, row.outputTokens, NATIVE_PRICE));
  });

  it("failover: the translated chat target answers 503, OpenAI's native Responses serves", async () => {
    const { data, response } = await client.responses
      .create({ model: FAILOVER_TO_NATIVE_MODEL, input: 'Over to native' })
      .withResponse();
    expect(data.output_text).toBe('Mock reply to: Over to native — this is a deterministic mock completion.');
    expect(data.id).toMatch(/^resp_tgt-/);
    expect(response.headers.get('x-switchyard-provider')).toBe('openai-native');
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row.upstreamProtocol).toBe('openai-responses');
    expect(row.attempts).toMatchObject([
      { status: 503, providerId: stack.providerId },
      { status: 503, providerId: stack.providerId },
      { status: 200, providerId: nativeProviderId },
    ]);
  });

  it('tools: previous_response_id continues on the target that holds the response', async () => {
    const first = await client.responses.create({
      model: NATIVE_MODEL,
      input: 'Weather in Oslo?',
      tools: [weatherTool],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    const second = await client.responses.create({
      model: NATIVE_MODEL,
      previous_response_id: first.id,
      tools: [weatherTool],
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'cold, -3 C' }],
    });
    expect(second.output_text).toBe(
      'Mock reply using tool result: cold, -3 C — this is a deterministic mock completion.',
    );
    // The mock saw its own id, and echoed it; the caller sees it tagged again.
    const stats = (await mockStats(stack)) as unknown as { lastRequest: { body: Record<string, unknown> } };
    expect(stats.lastRequest.body.previous_response_id).toBe(
      `resp_${first.id.split('_').slice(2).join('_')}`,
    );
    expect(second.previous_response_id).toBe(first.id);
  });
});

describe('Vercel AI SDK (openai) × openai-compatible', () => {
  const provider = () => createOpenAI({ apiKey: stack.apiKey, baseURL: `${stack.routerUrl}/v1` });

  it('non-stream: generateText with the default openai(model), which calls /v1/responses', async () => {
    const result = await generateText({ model: provider()(SEEDED_MODEL), prompt: 'Hello from Vercel' });
    expect(result.text).toBe('Mock reply to: Hello from Vercel — this is a deterministic mock completion.');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    // The mock counts words: "Mock reply to: Hello from Vercel — this is a deterministic mock completion."
    expect(result.usage.outputTokens).toBe(13);
  });

  it('usage: the row holds the tokens the SDK reports, priced, with both protocols', async () => {
    const result = await generateText({ model: provider()(SEEDED_MODEL), prompt: 'Bill the Vercel call' });
    const requestId = result.response.headers?.['x-request-id'] ?? '';
    const row = await usageRow(requestId);
    expect(row).toMatchObject({
      surface: 'openai-responses',
      upstreamProtocol: 'openai-chat',
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
    });
    expect(row.costMicros).toBe(cost(row.inputTokens, row.outputTokens, SEEDED_PRICE));
  });

  it('failover: the native Responses target fails with 503, the chat target answers', async () => {
    const result = await generateText({ model: provider()(FAILOVER_MODEL), prompt: 'Vercel fail over' });
    expect(result.text).toBe('Mock reply to: Vercel fail over — this is a deterministic mock completion.');
    expect(result.response.headers?.['x-switchyard-provider']).toBe('mock');
    expect(result.response.headers?.['x-switchyard-attempts']).toBe('3');
  });

  it('stream: streamText gets the text in several parts', async () => {
    const result = streamText({ model: provider()(SEEDED_MODEL), prompt: 'Stream from Vercel' });
    const parts: string[] = [];
    for await (const part of result.textStream) parts.push(part);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.join('')).toBe(
      'Mock reply to: Stream from Vercel — this is a deterministic mock completion.',
    );
  });

  it('tools: a tool round-trip over steps, then a follow-up whose item_reference the router resolves', async () => {
    const tools = vercelWeatherTools;
    const first = await generateText({
      model: provider()(SEEDED_MODEL),
      prompt: 'Weather in Rome?',
      tools,
      stopWhen: stepCountIs(3),
    });
    expect(first.steps.length).toBe(2);
    expect(first.steps[0]?.toolCalls[0]?.toolName).toBe('get_weather');
    expect(first.text).toBe(
      'Mock reply using tool result: rainy in mock — this is a deterministic mock completion.',
    );
    // With its store option on (the default) the SDK refers to the earlier answer by its item id.
    const followUp = await generateText({
      model: provider()(SEEDED_MODEL),
      messages: [
        { role: 'user', content: 'Weather in Rome?' },
        ...first.response.messages,
        { role: 'user', content: 'And tomorrow?' },
      ],
      tools,
      toolChoice: 'none',
    });
    expect(followUp.text).toBe('Mock reply to: And tomorrow? — this is a deterministic mock completion.');
    const stats = (await mockStats(stack)) as unknown as {
      lastRequest: { body: { messages: { role: string; content: unknown }[] } };
    };
    // The referenced assistant text reached the chat upstream as a turn of its own.
    expect(stats.lastRequest.body.messages).toContainEqual({
      role: 'assistant',
      content: [{ type: 'text', text: first.text }],
    });
  });
});
