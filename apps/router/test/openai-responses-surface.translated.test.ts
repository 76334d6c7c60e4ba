import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, generateText, stepCountIs, streamText } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addCrossFamilyUpstreams,
  expectedCost,
  lastMockRequest as lastMockRequestOf,
  OTHER as other,
  PROMPT,
  PROMPT_TOKENS,
  REPLY,
  REPLY_TOKENS,
  toolResultSeen,
  type UpstreamKind,
  type UpstreamUnderTest,
} from './cross-family-stack';
import { readResponsesStream, vercelWeatherTools, weatherTool } from './responses-conformance';
import { apiError, awaitUsageRow, mockStats, type Stack, startStack } from './stack';

/**
 * The openai-responses surface's cells (issue 13) toward upstreams of another family: the openai SDK's
 * `responses` and the Vercel AI SDK's default `openai(model)` (which calls /v1/responses) as clients, the mock
 * speaking Anthropic Messages and Gemini as the upstream. Every request is translated twice: Responses → canonical
 * chat → the upstream's protocol, and back.
 */

let stack: Stack;
let client: OpenAI;
let upstreams: Record<UpstreamKind, UpstreamUnderTest>;

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
  upstreams = await addCrossFamilyUpstreams(stack);
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

const lastMockRequest = () => lastMockRequestOf(stack);

function openAiSdkCells(kind: UpstreamKind) {
  // Read when a test runs: the routes are added in beforeAll.
  let upstream: UpstreamUnderTest;
  beforeAll(() => {
    upstream = upstreams[kind];
  });

  it('non-stream: a Response built from the upstream answer, instructions and usage included', async () => {
    const { data, response } = await client.responses
      .create({ model: upstream.model, input: PROMPT, instructions: 'Be terse.' })
      .withResponse();
    expect(data.object).toBe('response');
    expect(data.status).toBe('completed');
    expect(data.model).toBe(upstream.model);
    expect(data.output_text).toBe(REPLY);
    expect(data.instructions).toBe('Be terse.');
    // Instructions are a system turn: 3 + 2 words more.
    expect(data.usage?.input_tokens).toBe(PROMPT_TOKENS + 5);
    expect(data.usage?.output_tokens).toBe(REPLY_TOKENS);
    expect(response.headers.get('x-switchyard-provider')).toBe(upstream.providerName);
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    const seen = await lastMockRequest();
    expect(seen.path).toMatch(upstream.mockPath);
    if (kind === 'anthropic') {
      expect(seen.body).toMatchObject({
        model: upstream.upstreamModel,
        system: 'Be terse.',
        messages: [{ role: 'user', content: PROMPT }],
      });
      expect(typeof seen.body.max_tokens).toBe('number');
    } else {
      expect(seen.body).toMatchObject({
        systemInstruction: { parts: [{ text: 'Be terse.' }] },
        contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
      });
    }
  });

  it('stream: text arrives in several deltas that add up to the non-streamed text, usage in the last event', async () => {
    const { data: stream, response } = await client.responses
      .create({ model: upstream.model, input: PROMPT, stream: true })
      .withResponse();
    const { text, deltas, types, completed } = await readResponsesStream(stream);
    expect(deltas).toBeGreaterThan(3);
    expect(text).toBe(REPLY);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(completed?.output_text ?? completedText(completed)).toBe(REPLY);
    expect(completed?.usage?.input_tokens).toBe(PROMPT_TOKENS);
    expect(completed?.usage?.output_tokens).toBe(REPLY_TOKENS);
    expect((await lastMockRequest()).path).toMatch(upstream.mockPath);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      stream: true,
      status: 'success',
      surface: 'openai-responses',
      upstreamProtocol: upstream.protocol,
      inputTokens: PROMPT_TOKENS,
      outputTokens: REPLY_TOKENS,
      costEstimated: false,
    });
  });

  it('tools: function_call out, function_call_output in, the answer uses it', async () => {
    const first = await client.responses.create({
      model: upstream.model,
      input: 'Weather in Paris?',
      tools: [weatherTool],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    expect(call.name).toBe('get_weather');
    expect(JSON.parse(call.arguments)).toEqual({ city: 'mock' });
    expect(call.call_id.length).toBeGreaterThan(0);
    const second = await client.responses.create({
      model: upstream.model,
      tools: [weatherTool],
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21 C' },
      ],
    });
    expect(second.output_text).toBe(
      `Mock reply using tool result: ${toolResultSeen(kind, 'sunny, 21 C')} — this is a deterministic mock completion.`,
    );
    // The tool result reached the upstream in its own protocol's shape, answering the call it was given for.
    const seen = (await lastMockRequest()).body as {
      messages?: { content: unknown }[];
      contents?: { parts: unknown[] }[];
    };
    if (kind === 'anthropic') {
      expect(seen.messages?.at(-2)?.content).toEqual([
        { type: 'tool_use', id: call.call_id, name: 'get_weather', input: { city: 'mock' } },
      ]);
      expect(seen.messages?.at(-1)?.content).toEqual([
        { type: 'tool_result', tool_use_id: call.call_id, content: 'sunny, 21 C' },
      ]);
    } else {
      expect(seen.contents?.at(-1)?.parts).toEqual([
        { functionResponse: { name: 'get_weather', response: { result: 'sunny, 21 C' } } },
      ]);
    }
  });

  it('tools: a streamed function call arrives as its item with the arguments, added then done', async () => {
    const stream = await client.responses.create({
      model: upstream.model,
      input: 'Weather in Paris?',
      tools: [weatherTool],
      stream: true,
    });
    let argumentDeltas = '';
    let done: OpenAI.Responses.ResponseFunctionToolCall | null = null;
    let completed: OpenAI.Responses.Response | null = null;
    for await (const event of stream) {
      if (event.type === 'response.function_call_arguments.delta') argumentDeltas += event.delta;
      if (event.type === 'response.output_item.done' && event.item.type === 'function_call')
        done = event.item;
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(done?.name).toBe('get_weather');
    expect(JSON.parse(done?.arguments ?? 'null')).toEqual({ city: 'mock' });
    expect(JSON.parse(argumentDeltas)).toEqual({ city: 'mock' });
    const item = completed?.output.find((entry) => entry.type === 'function_call');
    expect(item?.type === 'function_call' ? item.call_id : null).toBe(done?.call_id);
  });

  it('non-stream: max_output_tokens cuts the answer, and the Response says incomplete, as OpenAI does', async () => {
    const data = await client.responses.create({
      model: upstream.model,
      input: PROMPT,
      max_output_tokens: 4,
    });
    expect(data.status).toBe('incomplete');
    expect(data.incomplete_details?.reason).toBe('max_output_tokens');
    expect(data.output_text).toBe('Mock reply to: Say');
    expect(data.usage?.output_tokens).toBe(4);
    const stream = await client.responses.create({
      model: upstream.model,
      input: PROMPT,
      max_output_tokens: 4,
      stream: true,
    });
    const types: string[] = [];
    let last: OpenAI.Responses.Response | null = null;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.incomplete') last = event.response;
    }
    expect(types.at(-1)).toBe('response.incomplete');
    expect(last?.incomplete_details?.reason).toBe('max_output_tokens');
  });

  it('tools: tool_choice required with two tools asks for both calls; a forced one names it', async () => {
    const second = { ...weatherTool, name: 'get_time', description: 'Local time of a city' };
    const both = await client.responses.create({
      model: upstream.model,
      input: 'Weather and time in Paris?',
      tools: [weatherTool, second],
      tool_choice: 'required',
    });
    const names = both.output.flatMap((item) => (item.type === 'function_call' ? [item.name] : []));
    expect(names).toEqual(['get_weather', 'get_time']);
    const ids = both.output.flatMap((item) => (item.type === 'function_call' ? [item.call_id] : []));
    expect(new Set(ids).size).toBe(2);
    const forced = await client.responses.create({
      model: upstream.model,
      input: 'Time in Paris?',
      tools: [weatherTool, second],
      tool_choice: { type: 'function', name: 'get_time' },
    });
    const calls = forced.output.filter((item) => item.type === 'function_call');
    expect(calls.map((item) => (item.type === 'function_call' ? item.name : ''))).toEqual(['get_time']);
  });

  it('a feature the upstream cannot honour is a 400 unsupported_feature naming the Responses field, no upstream call', async () => {
    const refusals: [Record<string, unknown>, string][] =
      kind === 'anthropic'
        ? [[{ text: { format: { type: 'json_object' } } }, 'text.format.type']]
        : [
            [{ reasoning: { effort: 'low' } }, 'reasoning.effort'],
            [{ parallel_tool_calls: false, tools: [weatherTool] }, 'parallel_tool_calls'],
            [
              {
                input: [
                  {
                    role: 'user',
                    content: [
                      { type: 'input_text', text: 'What is this?' },
                      { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'auto' },
                    ],
                  },
                ],
              },
              'input',
            ],
          ];
    for (const [extra, param] of refusals) {
      const before = (await mockStats(stack)).requests;
      const error = await apiError(
        client.responses.create({ model: upstream.model, input: PROMPT, ...extra } as never),
      );
      expect(error.status).toBe(400);
      expect(error.code).toBe('unsupported_feature');
      expect(error.param).toBe(param);
      expect((await mockStats(stack)).requests).toBe(before);
    }
  });

  it("usage: one row with the upstream's tokens, the cost at the price in force, both protocols", async () => {
    const { data, response } = await client.responses
      .create({ model: upstream.model, input: PROMPT })
      .withResponse();
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      status: 'success',
      httpStatus: 200,
      requestedModel: upstream.model,
      servedProviderId: upstream.providerId,
      servedModel: upstream.upstreamModel,
      surface: 'openai-responses',
      upstreamProtocol: upstream.protocol,
      inputTokens: PROMPT_TOKENS,
      outputTokens: REPLY_TOKENS,
      costEstimated: false,
    });
    expect(data.usage?.input_tokens).toBe(row.inputTokens);
    expect(data.usage?.output_tokens).toBe(row.outputTokens);
    expect(row.costMicros).toBe(expectedCost(PROMPT_TOKENS, REPLY_TOKENS));
  });

  it("bad-model: the upstream's 404 is the SDK's NotFoundError, in OpenAI's shape, with the request id", async () => {
    const error = await apiError(client.responses.create({ model: upstream.missingModel, input: PROMPT }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.requestID).toMatch(/^req_[0-9a-f]{32}$/);
    expect((error.error as { request_id?: string }).request_id).toBe(error.requestID);
    // The router's own 404 for a model it does not route, too.
    const unknown = await apiError(client.responses.create({ model: 'resp-nowhere', input: PROMPT }));
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown.code).toBe('model_not_found');
  });

  it(`failover: the ${kind} primary answers 503, the ${other[kind]} backup serves, the caller gets its Response`, async () => {
    const { data, response } = await client.responses
      .create({ model: upstream.failoverModel, input: PROMPT })
      .withResponse();
    expect(data.output_text).toBe(REPLY);
    const backup = upstreams[other[kind]];
    expect(response.headers.get('x-switchyard-provider')).toBe(backup.providerName);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row.upstreamProtocol).toBe(backup.protocol);
    expect(row.attempts).toMatchObject([
      { status: 503, providerId: upstream.providerId },
      { status: 503, providerId: upstream.providerId },
      { status: 200, providerId: backup.providerId },
    ]);
  });
}

/** The text of a Response's message items (the stream's `response.completed` has no `output_text` helper). */
function completedText(response: OpenAI.Responses.Response | null): string {
  let text = '';
  for (const item of response?.output ?? []) {
    if (item.type !== 'message') continue;
    for (const part of item.content) if (part.type === 'output_text') text += part.text;
  }
  return text;
}

function vercelCells(kind: UpstreamKind) {
  let upstream: UpstreamUnderTest;
  beforeAll(() => {
    upstream = upstreams[kind];
  });
  const provider = () => createOpenAI({ apiKey: stack.apiKey, baseURL: `${stack.routerUrl}/v1` });

  it('non-stream: generateText with the default openai(model), over /v1/responses', async () => {
    const result = await generateText({ model: provider()(upstream.model), prompt: PROMPT });
    expect(result.text).toBe(REPLY);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBe(PROMPT_TOKENS);
    expect(result.usage.outputTokens).toBe(REPLY_TOKENS);
    expect((await lastMockRequest()).path).toMatch(upstream.mockPath);
  });

  it('stream: streamText gets the text in several parts that add up to the answer', async () => {
    const result = streamText({ model: provider()(upstream.model), prompt: PROMPT });
    const parts: string[] = [];
    for await (const part of result.textStream) parts.push(part);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.join('')).toBe(REPLY);
    expect((await result.usage).outputTokens).toBe(REPLY_TOKENS);
    expect(await result.finishReason).toBe('stop');
  });

  it('tools: the SDK runs the tool over steps and the model answers from its result', async () => {
    const tools = vercelWeatherTools;
    const result = await generateText({
      model: provider()(upstream.model),
      prompt: 'Weather in Rome?',
      tools,
      stopWhen: stepCountIs(3),
    });
    expect(result.steps.length).toBe(2);
    expect(result.steps[0]?.toolCalls[0]?.toolName).toBe('get_weather');
    expect(result.steps[0]?.toolCalls[0]?.input).toEqual({ city: 'mock' });
    const answer = `Mock reply using tool result: ${toolResultSeen(kind, 'rainy in mock')} — this is a deterministic mock completion.`;
    expect(result.text).toBe(answer);
    // Streamed, the same round trip.
    const streamed = streamText({
      model: provider()(upstream.model),
      prompt: 'Weather in Rome?',
      tools,
      stopWhen: stepCountIs(3),
    });
    expect(await streamed.text).toBe(answer);
    expect((await streamed.steps).length).toBe(2);
  });

  it('usage: the row holds the tokens the SDK reports, priced, with both protocols', async () => {
    const result = await generateText({ model: provider()(upstream.model), prompt: PROMPT });
    const row = await usageRow(result.response.headers?.['x-request-id'] ?? '');
    expect(row).toMatchObject({
      surface: 'openai-responses',
      upstreamProtocol: upstream.protocol,
      servedProviderId: upstream.providerId,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
    });
    expect(row.outputTokens).toBe(REPLY_TOKENS);
    expect(row.costMicros).toBe(expectedCost(PROMPT_TOKENS, REPLY_TOKENS));
  });

  it("bad-model: the upstream's 404 is the SDK's APICallError with status 404", async () => {
    const failure = await generateText({
      model: provider()(upstream.missingModel),
      prompt: PROMPT,
      maxRetries: 0,
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(APICallError.isInstance(failure)).toBe(true);
    expect((failure as APICallError).statusCode).toBe(404);
    expect((failure as APICallError).responseHeaders?.['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it(`failover: the ${kind} primary fails with 503, the ${other[kind]} backup answers`, async () => {
    const result = await generateText({ model: provider()(upstream.failoverModel), prompt: PROMPT });
    expect(result.text).toBe(REPLY);
    expect(result.response.headers?.['x-switchyard-provider']).toBe(upstreams[other[kind]].providerName);
    expect(result.response.headers?.['x-switchyard-attempts']).toBe('3');
  });
}

describe('openai SDK × anthropic', () => {
  openAiSdkCells('anthropic');
});
describe('openai SDK × gemini', () => {
  openAiSdkCells('gemini');
});
describe('Vercel AI SDK (openai) × anthropic', () => {
  vercelCells('anthropic');
});
describe('Vercel AI SDK (openai) × gemini', () => {
  vercelCells('gemini');
});
