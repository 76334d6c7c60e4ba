import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChatChunkBody, type ChatFinishReason, formatSseFrames, type SseFrame } from '../canonical-chat';
import { ChatToResponsesStream } from './chat-to-responses-stream';
import { ResponsesToChatStream } from './responses-to-chat-stream';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const chunks = (name: string): ChatChunkBody[] =>
  fixture(name)
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as ChatChunkBody);

const parse = (frames: SseFrame[]) =>
  frames.map((frame) => JSON.parse(frame.data) as Record<string, unknown>);

function encodeAll(
  list: ChatChunkBody[],
  encoder = new ChatToResponsesStream({ idBase: 'req_1' }),
): SseFrame[] {
  return [...list.flatMap((chunk) => encoder.push(chunk)), ...encoder.end()];
}

const chunk = (
  delta: ChatChunkBody['choices'][number]['delta'],
  finish: ChatFinishReason | null = null,
): ChatChunkBody => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1765000000,
  model: 'upstream-model',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe('ChatToResponsesStream', () => {
  it('writes the recorded event stream for a text answer (fixture responses-text.sse.txt)', () => {
    const encoder = new ChatToResponsesStream({
      idBase: 'req_7Hk2',
      model: 'gpt-public',
      request: { model: 'gpt-public', input: 'Say hello', stream: true },
    });
    expect(formatSseFrames(encodeAll(chunks('chat-text.chunks.txt'), encoder))).toBe(
      fixture('responses-text.sse.txt'),
    );
  });

  it('streams two function calls as items with argument deltas, then completes with usage', () => {
    const frames = encodeAll(chunks('chat-tool-calls.chunks.txt'));
    const events = parse(frames);
    expect(frames.map((frame) => frame.event)).toEqual(events.map((event) => event.type));
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.map((event) => [event.type, event.output_index ?? null])).toEqual([
      ['response.created', null],
      ['response.in_progress', null],
      ['response.output_item.added', 0],
      ['response.function_call_arguments.delta', 0],
      ['response.function_call_arguments.delta', 0],
      ['response.output_item.added', 1],
      ['response.function_call_arguments.delta', 1],
      ['response.function_call_arguments.done', 0],
      ['response.output_item.done', 0],
      ['response.function_call_arguments.done', 1],
      ['response.output_item.done', 1],
      ['response.completed', null],
    ]);
    expect(events[2]?.item).toEqual({
      type: 'function_call',
      id: 'fc_req1_0',
      call_id: 'call_Wx7cA1',
      name: 'get_weather',
      arguments: '',
      status: 'in_progress',
    });
    expect(events[7]).toMatchObject({
      arguments: '{"city": "Paris"}',
      name: 'get_weather',
      item_id: 'fc_req1_0',
    });
    const completed = events[11]?.response as Record<string, unknown>;
    expect(completed.status).toBe('completed');
    expect(completed.output).toEqual([
      {
        type: 'function_call',
        id: 'fc_req1_0',
        call_id: 'call_Wx7cA1',
        name: 'get_weather',
        arguments: '{"city": "Paris"}',
        status: 'completed',
      },
      {
        type: 'function_call',
        id: 'fc_req1_1',
        call_id: 'call_Qb2dE9',
        name: 'get_time',
        arguments: '{"tz": "Europe/Paris"}',
        status: 'completed',
      },
    ]);
    expect(completed.usage).toEqual({
      input_tokens: 88,
      input_tokens_details: { cached_tokens: 64 },
      output_tokens: 46,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 134,
    });
  });

  it('holds arguments that arrive before the function name, and opens a new message for text after a call', () => {
    const events = parse(
      encodeAll([
        chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { arguments: '{"a":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '1}' } }] }),
        chunk({ content: 'after' }),
        chunk({}, 'stop'),
      ]),
    );
    const types = events.map((event) => event.type);
    // The held fragment and the one that named the call go out as one delta once the item is announced.
    expect(types.slice(2, 5)).toEqual([
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.output_item.added',
    ]);
    expect(events[3]?.delta).toBe('{"a":1}');
    expect(events[2]?.item).toMatchObject({ name: 'f', arguments: '', call_id: 'call_1' });
    expect(events.filter((e) => e.type === 'response.output_text.delta')).toEqual([
      expect.objectContaining({ output_index: 1, delta: 'after', item_id: 'msg_req1' }),
    ]);
    const final = events[events.length - 1]?.response as { output: { type: string; arguments?: string }[] };
    expect(final.output.map((item) => item.type)).toEqual(['function_call', 'message']);
    expect(final.output[0]?.arguments).toBe('{"a":1}');
  });

  it('writes a refusal as its own content part', () => {
    const events = parse(
      encodeAll([chunk({ refusal: "I can't" }), chunk({ refusal: ' help.' }), chunk({}, 'stop')]),
    );
    expect(events.map((event) => event.type)).toContain('response.refusal.done');
    const final = events[events.length - 1]?.response as { output: { content: unknown[] }[] };
    expect(final.output[0]?.content).toEqual([{ type: 'refusal', refusal: "I can't help." }]);
  });

  it('ends an empty stream with a completed, empty response; nothing after the end', () => {
    const encoder = new ChatToResponsesStream({ idBase: 'req_2', model: 'm', now: () => 1765000999 });
    const events = parse(encoder.end());
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.completed',
    ]);
    expect(events[2]?.response).toMatchObject({
      id: 'resp_req2',
      status: 'completed',
      output: [],
      usage: null,
      created_at: 1765000999,
      completed_at: 1765000999,
    });
    expect(encoder.push(chunk({ content: 'late' }))).toEqual([]);
    expect(encoder.end()).toEqual([]);
    expect(encoder.error('x', 'y')).toEqual([]);
  });

  it('a content_filter finish is response.incomplete naming content_filter', () => {
    const events = parse(encodeAll([chunk({ content: 'Once' }), chunk({}, 'content_filter')]));
    expect(events[events.length - 1]).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'content_filter' } },
    });
  });

  it('on error: an error event naming the type, then response.failed', () => {
    const encoder = new ChatToResponsesStream({ idBase: 'req_3' });
    encoder.push(chunk({ content: 'par' }));
    const events = parse(encoder.error('The upstream stream stalled.', 'upstream_timeout'));
    expect(events).toEqual([
      {
        type: 'error',
        sequence_number: 5,
        code: 'upstream_timeout',
        message: 'The upstream stream stalled.',
        param: null,
      },
      expect.objectContaining({
        type: 'response.failed',
        sequence_number: 6,
        response: expect.objectContaining({
          status: 'failed',
          error: { code: 'server_error', message: 'The upstream stream stalled.' },
        }),
      }),
    ]);
  });
});

describe('ChatToResponsesStream on chunks an upstream controls', () => {
  it('never throws and keeps sequence numbers consecutive, whatever the chunks hold', () => {
    const loose = fc.oneof(
      fc.jsonValue(),
      fc.record({
        id: fc.jsonValue(),
        created: fc.jsonValue(),
        usage: fc.jsonValue(),
        choices: fc.oneof(
          fc.jsonValue(),
          fc.array(
            fc.record({
              index: fc.constantFrom(0, 1, '0'),
              delta: fc.oneof(
                fc.jsonValue(),
                fc.record({
                  content: fc.jsonValue(),
                  refusal: fc.jsonValue(),
                  tool_calls: fc.oneof(
                    fc.jsonValue(),
                    fc.array(
                      fc.record({ index: fc.jsonValue(), id: fc.jsonValue(), function: fc.jsonValue() }),
                    ),
                  ),
                }),
              ),
              finish_reason: fc.jsonValue(),
            }),
          ),
        ),
      }),
    );
    fc.assert(
      fc.property(fc.array(loose, { maxLength: 8 }), fc.boolean(), (list, broken) => {
        const encoder = new ChatToResponsesStream();
        const frames = [
          ...list.flatMap((value) => encoder.push(value as ChatChunkBody)),
          ...(broken ? encoder.error('x', 'upstream_error') : encoder.end()),
        ];
        const events = parse(frames);
        expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
        expect(['response.completed', 'response.incomplete', 'response.failed']).toContain(
          events[events.length - 1]?.type,
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('ResponsesToChatStream', () => {
  it('decodes a recorded OpenAI Responses stream into chat chunks', () => {
    const decoder = new ResponsesToChatStream('public-model');
    const out: ChatChunkBody[] = [];
    for (const block of fixture('openai-responses-tool-call.sse.txt').split('\n\n')) {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) out.push(...decoder.push(data, event));
    }
    expect(out.map((c) => [c.choices[0]?.delta ?? null, c.choices[0]?.finish_reason ?? null])).toEqual([
      [{ role: 'assistant', content: '' }, null],
      [{ content: 'Checking' }, null],
      [{ content: ' now.' }, null],
      [
        {
          tool_calls: [
            {
              index: 0,
              id: 'call_N4r8TqZ1',
              type: 'function',
              function: { name: 'get_weather', arguments: '' },
            },
          ],
        },
        null,
      ],
      [{ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, null],
      [{ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null],
      [{}, 'tool_calls'],
      [null, null],
    ]);
    expect(out[7]?.usage).toEqual({
      prompt_tokens: 74,
      completion_tokens: 23,
      total_tokens: 97,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(out.every((c) => c.model === 'public-model' && c.id === 'resp_68c1f0a2b3c4d5e6')).toBe(true);
    expect(decoder.failure).toBeNull();
  });

  it('records a failure from an error event, response.failed or data that is not JSON', () => {
    for (const data of [
      '{"type":"error","code":"server_error","message":"boom","param":null,"sequence_number":3}',
      '{"type":"response.failed","sequence_number":3,"response":{"status":"failed","error":{"code":"server_error","message":"boom"}}}',
    ]) {
      const decoder = new ResponsesToChatStream('m');
      expect(decoder.push(data)).toEqual([]);
      expect(decoder.failure).toEqual({ message: 'boom', code: 'server_error' });
    }
    const decoder = new ResponsesToChatStream('m');
    decoder.push('not json');
    expect(decoder.failure?.message).toMatch(/not JSON/);
  });

  it('never throws on any event data', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.jsonValue().map((value) => JSON.stringify(value)),
            fc
              .record(
                {
                  type: fc.constantFrom(
                    'response.created',
                    'response.output_item.added',
                    'response.completed',
                    'response.function_call_arguments.delta',
                    'response.output_text.delta',
                    'error',
                  ),
                  response: fc.jsonValue(),
                  item: fc.jsonValue(),
                  delta: fc.jsonValue(),
                  item_id: fc.jsonValue(),
                },
                { requiredKeys: ['type'] },
              )
              .map((value) => JSON.stringify(value)),
          ),
        ),
        (datas) => {
          const decoder = new ResponsesToChatStream('m');
          for (const data of datas) expect(Array.isArray(decoder.push(data))).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

// Random canonical streams: text split anywhere, tool calls whose arguments are split across chunks (the
// first fragment naming the call), a finish reason, then the usage chunk.
const piece = fc.string({ minLength: 1, maxLength: 6 });
const streamCase = fc.record({
  textBefore: fc.array(piece, { maxLength: 4 }),
  calls: fc.array(
    fc.record({ name: fc.constantFrom('f', 'g_h'), fragments: fc.array(piece, { maxLength: 4 }) }),
    {
      maxLength: 3,
    },
  ),
  finish: fc.constantFrom<ChatFinishReason>('stop', 'length', 'tool_calls', 'content_filter'),
  usage: fc.option(fc.record({ prompt: fc.nat(10_000), completion: fc.nat(10_000), cached: fc.nat(100) }), {
    nil: null,
  }),
});

describe('Chat → Responses events → chat', () => {
  it('gives back the text, each call with its whole arguments, the finish and the usage', () => {
    fc.assert(
      fc.property(streamCase, ({ textBefore, calls, finish, usage }) => {
        const list: ChatChunkBody[] = [chunk({ role: 'assistant', content: '' })];
        for (const text of textBefore) list.push(chunk({ content: text }));
        calls.forEach((call, index) => {
          list.push(
            chunk({
              tool_calls: [
                {
                  index,
                  id: `call_${index}`,
                  type: 'function',
                  function: { name: call.name, arguments: '' },
                },
              ],
            }),
          );
          for (const fragment of call.fragments) {
            list.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
          }
        });
        list.push(chunk({}, finish));
        if (usage) {
          list.push({
            ...chunk({}),
            choices: [],
            usage: {
              prompt_tokens: usage.prompt + usage.cached,
              completion_tokens: usage.completion,
              total_tokens: usage.prompt + usage.cached + usage.completion,
              prompt_tokens_details: { cached_tokens: usage.cached },
            },
          });
        }
        const frames = encodeAll(list);
        const events = parse(frames);
        expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
        expect(frames.every((frame, i) => frame.event === events[i]?.type)).toBe(true);

        const decoder = new ResponsesToChatStream('m');
        const back = frames.flatMap((frame) => decoder.push(frame.data, frame.event));
        const text = back.map((c) => c.choices[0]?.delta.content ?? '').join('');
        expect(text).toBe(textBefore.join(''));
        const args = new Map<number, { name: string; id: string; arguments: string }>();
        for (const c of back) {
          for (const delta of c.choices[0]?.delta.tool_calls ?? []) {
            const seen = args.get(delta.index) ?? { name: '', id: '', arguments: '' };
            if (delta.id) seen.id = delta.id;
            if (delta.function?.name) seen.name = delta.function.name;
            seen.arguments += delta.function?.arguments ?? '';
            args.set(delta.index, seen);
          }
        }
        expect([...args.values()]).toEqual(
          calls.map((call, index) => ({
            name: call.name,
            id: `call_${index}`,
            arguments: call.fragments.join(''),
          })),
        );
        const finishBack = back.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason;
        const expected =
          finish === 'length' || finish === 'content_filter'
            ? finish
            : calls.length > 0
              ? 'tool_calls'
              : 'stop';
        expect(finishBack).toBe(expected);
        const usageBack = back.find((c) => c.usage)?.usage ?? null;
        expect(usageBack?.prompt_tokens ?? null).toBe(usage ? usage.prompt + usage.cached : null);
        expect(usageBack?.prompt_tokens_details?.cached_tokens ?? null).toBe(usage ? usage.cached : null);
        expect(decoder.failure).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});
