import { readFileSync } from 'node:fs';
import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import fc from 'fast-check';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  type ChatChunkBody,
  type ChatFinishReason,
  type ChatResponseBody,
  formatSseFrames,
} from '../canonical-chat';
import { chatResponseToResponses } from './chat-response-to-responses';
import { ChatToResponsesStream } from './chat-to-responses-stream';
import { responsesErrorBody } from './responses-error-body';
import { type ResponsesToChatOptions, responsesToChatRequest } from './responses-to-chat-request';
import type { ResponsesOutputItem } from './responses-wire';

// The official clients parse what the translators write: each SDK's own fetch is handed the translated body,
// and what it sent is run through the request translator. No network, no router: the SDKs' parsing is the
// point here (the router's integration tests cover the rest of the path).

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const chunks = (name: string): ChatChunkBody[] =>
  fixture(name)
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as ChatChunkBody);

interface Exchange {
  sent: unknown[];
  fetch: typeof fetch;
}

/** A fetch that records the JSON body the SDK sent and answers with `answer(body)`. */
function exchange(answer: (sent: unknown) => { body: string; stream: boolean }): Exchange {
  const sent: unknown[] = [];
  return {
    sent,
    fetch: (async (_url: unknown, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as unknown;
      sent.push(body);
      const reply = answer(body);
      return new Response(reply.body, {
        status: 200,
        headers: { 'content-type': reply.stream ? 'text/event-stream' : 'application/json' },
      });
    }) as typeof fetch,
  };
}

function streamOf(list: ChatChunkBody[], request: unknown, idBase = 'req_7Hk2'): string {
  const encoder = new ChatToResponsesStream({ idBase, model: 'gpt-public', request });
  return formatSseFrames([...list.flatMap((chunk) => encoder.push(chunk)), ...encoder.end()]);
}

function textOf(response: OpenAI.Responses.Response): string {
  return response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}

const completion = (): ChatResponseBody =>
  JSON.parse(fixture('chat-completion-tool-calls.json')) as ChatResponseBody;

describe('openai SDK (responses.create / responses.stream) against the translators', () => {
  it('non-streaming: the SDK sends a request the translator accepts and reads the translated Response', async () => {
    const ex = exchange((sent) => ({
      body: JSON.stringify(
        chatResponseToResponses(completion(), { idBase: 'req_1', model: 'gpt-public', request: sent }),
      ),
      stream: false,
    }));
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://gateway.test/v1', fetch: ex.fetch });
    const response = await client.responses.create({
      model: 'gpt-public',
      instructions: 'Be brief.',
      input: 'Weather in Paris?',
      max_output_tokens: 64,
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
          strict: false,
        },
      ],
    });
    const chat = responsesToChatRequest(ex.sent[0]);
    expect(chat).toEqual({
      ok: true,
      value: {
        model: 'gpt-public',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather in Paris?' },
        ],
        max_tokens: 64,
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              parameters: { type: 'object', properties: { city: { type: 'string' } } },
              strict: false,
            },
          },
        ],
      },
    });
    expect(response.id).toBe('resp_req1');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Let me check.');
    const calls = response.output.filter((item) => item.type === 'function_call');
    expect(calls).toEqual([
      {
        type: 'function_call',
        id: 'fc_req1_0',
        call_id: 'call_Wx7cA1',
        name: 'get_weather',
        arguments: '{"city": "Paris"}',
        status: 'completed',
      },
    ]);
    expect(response.usage).toEqual({
      input_tokens: 88,
      input_tokens_details: { cached_tokens: 64 },
      output_tokens: 21,
      output_tokens_details: { reasoning_tokens: 5 },
      total_tokens: 109,
    });
    expect(response.instructions).toBe('Be brief.');
    expect(response.max_output_tokens).toBe(64);
  });

  it('streaming text: events arrive in order and finalResponse() has the text and usage', async () => {
    const ex = exchange((sent) => ({ body: streamOf(chunks('chat-text.chunks.txt'), sent), stream: true }));
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://gateway.test/v1', fetch: ex.fetch });
    const stream = client.responses.stream({ model: 'gpt-public', input: 'Say hello' });
    const types: string[] = [];
    const deltas: string[] = [];
    stream.on('event', (event) => types.push(event.type));
    stream.on('response.output_text.delta', (event) => deltas.push(event.snapshot));
    const final = await stream.finalResponse();
    expect(responsesToChatRequest(ex.sent[0])).toMatchObject({
      ok: true,
      value: { stream: true, stream_options: { include_usage: true } },
    });
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(deltas).toEqual(['Hello', 'Hello, world', 'Hello, world! ✓']);
    // finalResponse() computes output_text only for auto-parsed requests (as with OpenAI itself): read output.
    expect(textOf(final)).toBe('Hello, world! ✓');
    expect(final.status).toBe('completed');
    expect(final.model).toBe('gpt-public');
    expect(final.usage?.input_tokens).toBe(19);
    expect(final.usage?.output_tokens).toBe(5);
    expect(final.usage?.total_tokens).toBe(24);
  });

  it('streaming tool calls: finalResponse() has both function calls with their whole arguments', async () => {
    const ex = exchange((sent) => ({
      body: streamOf(chunks('chat-tool-calls.chunks.txt'), sent),
      stream: true,
    }));
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://gateway.test/v1', fetch: ex.fetch });
    const stream = client.responses.stream({
      model: 'gpt-public',
      input: 'Weather and time in Paris?',
      tools: [
        { type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: false },
        { type: 'function', name: 'get_time', parameters: { type: 'object' }, strict: false },
      ],
    });
    const argumentSnapshots: string[] = [];
    stream.on('response.function_call_arguments.delta', (event) => argumentSnapshots.push(event.snapshot));
    const final = await stream.finalResponse();
    const calls = final.output.flatMap((item) =>
      item.type === 'function_call' ? [{ call_id: item.call_id, name: item.name, args: item.arguments }] : [],
    );
    expect(calls).toEqual([
      { call_id: 'call_Wx7cA1', name: 'get_weather', args: '{"city": "Paris"}' },
      { call_id: 'call_Qb2dE9', name: 'get_time', args: '{"tz": "Europe/Paris"}' },
    ]);
    expect(argumentSnapshots).toEqual(['{"ci', '{"city": "Paris"}', '{"tz": "Europe/Paris"}']);
    expect(textOf(final)).toBe('');
    expect(final.usage?.input_tokens_details.cached_tokens).toBe(64);
  });

  it('a length finish ends with response.incomplete naming max_output_tokens', async () => {
    const list = chunks('chat-text.chunks.txt').map((chunk) =>
      chunk.choices[0]?.finish_reason === 'stop'
        ? { ...chunk, choices: [{ ...chunk.choices[0], finish_reason: 'length' as const }] }
        : chunk,
    );
    const ex = exchange((sent) => ({ body: streamOf(list, sent), stream: true }));
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://gateway.test/v1', fetch: ex.fetch });
    const stream = await client.responses.create({ model: 'gpt-public', input: 'Hi', stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    const last = events[events.length - 1];
    expect(last?.type).toBe('response.incomplete');
    if (last?.type !== 'response.incomplete') throw new Error('unreachable');
    expect(last.response.status).toBe('incomplete');
    expect(last.response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(last.response.output[0]).toMatchObject({ type: 'message', status: 'incomplete' });
  });

  it('a stream that breaks surfaces as an error in the SDK, after the text it already had', async () => {
    const encoder = new ChatToResponsesStream({ idBase: 'req_9' });
    const list = chunks('chat-text.chunks.txt').slice(0, 3);
    const body = formatSseFrames([
      ...list.flatMap((chunk) => encoder.push(chunk)),
      ...encoder.error('The upstream stream was interrupted.', 'upstream_error'),
    ]);
    const ex = exchange(() => ({ body, stream: true }));
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://gateway.test/v1', fetch: ex.fetch });
    const stream = await client.responses.create({ model: 'gpt-public', input: 'Hi', stream: true });
    const types: string[] = [];
    let failure: unknown = null;
    try {
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'error') {
          expect(event.message).toBe('The upstream stream was interrupted.');
          expect(event.code).toBe('upstream_error');
        }
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeNull();
    expect(types.slice(-2)).toEqual(['error', 'response.failed']);
    expect(types).toContain('response.output_text.delta');
  });
});

describe('errors through the SDKs', () => {
  it('a refusal answered with responsesErrorBody is a BadRequestError naming code, param and request id', async () => {
    const refused = responsesToChatRequest({
      model: 'gpt-public',
      input: 'Hi',
      previous_response_id: 'resp_1',
    });
    if (refused.ok) throw new Error('expected a refusal');
    const body = responsesErrorBody(
      refused.error.status,
      {
        message: refused.error.message,
        type: 'invalid_request_error',
        code: refused.error.code,
        param: refused.error.param,
      },
      'req_err1',
    );
    const fetchError = (async () =>
      new Response(body, {
        status: refused.error.status,
        headers: { 'content-type': 'application/json', 'x-request-id': 'req_err1' },
      })) as typeof fetch;
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: 'http://gateway.test/v1',
      fetch: fetchError,
      maxRetries: 0,
    });
    const error = await client.responses
      .create({ model: 'gpt-public', input: 'Hi', previous_response_id: 'resp_1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    if (!(error instanceof OpenAI.BadRequestError)) return;
    expect(error.status).toBe(400);
    expect(error.code).toBe('unsupported_feature');
    expect(error.param).toBe('previous_response_id');
    expect(error.requestID).toBe('req_err1');
    expect(error.message).toMatch(/previous_response_id is not supported/);
  });
});

describe('Vercel AI SDK default provider (openai(model) → /v1/responses) against the translators', () => {
  const weatherTool = tool({
    description: 'Current weather',
    inputSchema: jsonSchema<{ city: string }>({
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    }),
  });

  it('generateText reads text, tool calls and usage from the translated Response', async () => {
    const ex = exchange((sent) => ({
      body: JSON.stringify(chatResponseToResponses(completion(), { idBase: 'req_2', request: sent })),
      stream: false,
    }));
    const openai = createOpenAI({ apiKey: 'sk-test', baseURL: 'http://gateway.test/v1', fetch: ex.fetch });
    const result = await generateText({
      model: openai('gpt-public'),
      system: 'You are a weather bot.',
      prompt: 'Weather in Paris?',
      tools: { get_weather: weatherTool },
    });
    const chat = responsesToChatRequest(ex.sent[0]);
    expect(chat.ok).toBe(true);
    if (!chat.ok) return;
    expect(chat.value.messages).toEqual([
      { role: 'system', content: 'You are a weather bot.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
    ]);
    expect(chat.value.tools?.[0]?.function.name).toBe('get_weather');
    expect(result.text).toBe('Let me check.');
    expect(result.toolCalls.map((call) => [call.toolCallId, call.toolName, call.input])).toEqual([
      ['call_Wx7cA1', 'get_weather', { city: 'Paris' }],
    ]);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.usage.inputTokens).toBe(88);
    expect(result.usage.outputTokens).toBe(21);
    expect(result.usage.inputTokenDetails.cacheReadTokens).toBe(64);
    expect(result.usage.outputTokenDetails.reasoningTokens).toBe(5);
  });

  it('streamText yields the text incrementally and the tool calls whole', async () => {
    const ex = exchange((sent) => ({
      body: streamOf(
        [...chunks('chat-text.chunks.txt').slice(0, 4), ...chunks('chat-tool-calls.chunks.txt')],
        sent,
      ),
      stream: true,
    }));
    const openai = createOpenAI({ apiKey: 'sk-test', baseURL: 'http://gateway.test/v1', fetch: ex.fetch });
    const result = streamText({
      model: openai('gpt-public'),
      prompt: 'Weather in Paris?',
      tools: { get_weather: weatherTool, get_time: tool({ inputSchema: jsonSchema({ type: 'object' }) }) },
    });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    expect(pieces).toEqual(['Hello', ', world', '! ✓']);
    const calls = await result.toolCalls;
    expect(calls.map((call) => [call.toolCallId, call.toolName, call.input])).toEqual([
      ['call_Wx7cA1', 'get_weather', { city: 'Paris' }],
      ['call_Qb2dE9', 'get_time', { tz: 'Europe/Paris' }],
    ]);
    expect(await result.finishReason).toBe('tool-calls');
    expect((await result.usage).inputTokens).toBe(88);
    expect(responsesToChatRequest(ex.sent[0]).ok).toBe(true);
  });
});

describe('Vercel AI SDK multi-step tool calls (text before the call, then the result sent back)', () => {
  // Step 1 answers with text and a tool call; step 2 must see the whole first turn to answer.
  function gateway(options: ResponsesToChatOptions, store: Map<string, ResponsesOutputItem>) {
    const chats: unknown[] = [];
    let step = 0;
    const fetchFn = (async (_url: unknown, init?: RequestInit) => {
      const chat = responsesToChatRequest(JSON.parse(String(init?.body)), options);
      if (!chat.ok) {
        const { error } = chat;
        const body = responsesErrorBody(
          error.status,
          { message: error.message, type: 'invalid_request_error', code: error.code, param: error.param },
          'req_x',
        );
        return new Response(body, { status: error.status, headers: { 'content-type': 'application/json' } });
      }
      chats.push(chat.value);
      step++;
      const answer: ChatResponseBody =
        step === 1
          ? completion()
          : {
              ...completion(),
              choices: [
                { index: 0, message: { role: 'assistant', content: 'Sunny, 18 °C.' }, finish_reason: 'stop' },
              ],
            };
      const response = chatResponseToResponses(answer, { idBase: `req_s${step}` });
      for (const item of response.output) store.set(item.id, item);
      return new Response(JSON.stringify(response), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    return {
      chats,
      openai: createOpenAI({ apiKey: 'sk-test', baseURL: 'http://gateway.test/v1', fetch: fetchFn }),
    };
  }
  const run = (openai: ReturnType<typeof createOpenAI>, storeOption?: boolean) =>
    generateText({
      model: openai('gpt-public'),
      prompt: 'Weather in Paris?',
      tools: {
        get_weather: tool({
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string' } },
          }),
          execute: async () => ({ temp_c: 18 }),
        }),
      },
      stopWhen: stepCountIs(2),
      maxRetries: 0,
      ...(storeOption === undefined ? {} : { providerOptions: { openai: { store: storeOption } } }),
    });
  const secondTurn = [
    { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
    {
      role: 'assistant',
      content: [{ type: 'text', text: 'Let me check.' }],
      tool_calls: [
        {
          id: 'call_Wx7cA1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      ],
    },
    { role: 'tool', tool_call_id: 'call_Wx7cA1', content: '{"temp_c":18}' },
  ];

  it('with the SDK defaults it refers to the first answer by item_reference: refused without a resolver', async () => {
    const { openai } = gateway({}, new Map());
    const error = await run(openai).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    if (!APICallError.isInstance(error)) return;
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/item_reference.*store to false/);
  });

  it('with a resolver over the output items sent, the second step sees the whole first turn', async () => {
    const store = new Map<string, ResponsesOutputItem>();
    const { openai, chats } = gateway({ resolveItemReference: (id) => store.get(id) ?? null }, store);
    const result = await run(openai);
    expect(result.text).toBe('Sunny, 18 °C.');
    expect((chats[1] as { messages: unknown[] }).messages).toEqual(secondTurn);
  });

  it('with store: false the SDK sends the items themselves', async () => {
    const { openai, chats } = gateway({}, new Map());
    const result = await run(openai, false);
    expect(result.text).toBe('Sunny, 18 °C.');
    expect((chats[1] as { messages: unknown[] }).messages).toEqual(secondTurn);
  });
});

describe('random canonical streams through the openai SDK’s own accumulator', () => {
  it('finalResponse() holds exactly the text, refusal and function calls that were streamed', async () => {
    const piece = fc.string({ minLength: 1, maxLength: 5 });
    const step = fc.oneof(
      piece.map((text) => ({ kind: 'text' as const, text })),
      piece.map((text) => ({ kind: 'refusal' as const, text })),
      fc.record({
        kind: fc.constant('call' as const),
        name: fc.constantFrom('f', 'g'),
        fragments: fc.array(piece, { maxLength: 3 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 8 }),
        fc.constantFrom<ChatFinishReason>('stop', 'tool_calls'),
        async (steps, finish) => {
          const base = { id: 'chatcmpl-r', object: 'chat.completion.chunk' as const, created: 1, model: 'm' };
          const list: ChatChunkBody[] = [];
          const wantCalls: { name: string; arguments: string; call_id: string }[] = [];
          let text = '';
          let refusal = '';
          for (const s of steps) {
            if (s.kind === 'text') {
              text += s.text;
              list.push({
                ...base,
                choices: [{ index: 0, delta: { content: s.text }, finish_reason: null }],
              });
            } else if (s.kind === 'refusal') {
              refusal += s.text;
              list.push({
                ...base,
                choices: [{ index: 0, delta: { refusal: s.text }, finish_reason: null }],
              });
            } else {
              const index = wantCalls.length;
              wantCalls.push({ name: s.name, arguments: s.fragments.join(''), call_id: `call_${index}` });
              list.push({
                ...base,
                choices: [
                  {
                    index: 0,
                    delta: {
                      tool_calls: [
                        {
                          index,
                          id: `call_${index}`,
                          type: 'function',
                          function: { name: s.name, arguments: '' },
                        },
                      ],
                    },
                    finish_reason: null,
                  },
                ],
              });
              for (const fragment of s.fragments) {
                list.push({
                  ...base,
                  choices: [
                    {
                      index: 0,
                      delta: { tool_calls: [{ index, function: { arguments: fragment } }] },
                      finish_reason: null,
                    },
                  ],
                });
              }
            }
          }
          list.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
          const ex = exchange((sent) => ({ body: streamOf(list, sent), stream: true }));
          const client = new OpenAI({
            apiKey: 'sk-test',
            baseURL: 'http://gateway.test/v1',
            fetch: ex.fetch,
          });
          const final = await client.responses.stream({ model: 'gpt-public', input: 'x' }).finalResponse();
          const parts = final.output.flatMap((item) => (item.type === 'message' ? item.content : []));
          expect(parts.map((part) => (part.type === 'output_text' ? part.text : '')).join('')).toBe(text);
          expect(parts.map((part) => (part.type === 'refusal' ? part.refusal : '')).join('')).toBe(refusal);
          const calls = final.output.flatMap((item) =>
            item.type === 'function_call'
              ? [{ name: item.name, arguments: item.arguments, call_id: item.call_id }]
              : [],
          );
          expect(calls).toEqual(wantCalls);
          expect(final.status).toBe('completed');
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('a broken stream through the Vercel AI SDK', () => {
  it('streamText reports the error event and keeps the text that came before it', async () => {
    const encoder = new ChatToResponsesStream({ idBase: 'req_e' });
    const body = formatSseFrames([
      ...chunks('chat-text.chunks.txt')
        .slice(0, 3)
        .flatMap((chunk) => encoder.push(chunk)),
      ...encoder.error('The upstream stream was interrupted.', 'upstream_error'),
    ]);
    const ex = exchange(() => ({ body, stream: true }));
    const openai = createOpenAI({ apiKey: 'sk-test', baseURL: 'http://gateway.test/v1', fetch: ex.fetch });
    const errors: unknown[] = [];
    const result = streamText({
      model: openai('gpt-public'),
      prompt: 'Hi',
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    expect(pieces.join('')).toBe('Hello, world');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toMatch(/The upstream stream was interrupted/);
  });
});
