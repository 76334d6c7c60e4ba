import Anthropic from '@anthropic-ai/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChatChunkBody, type ChatUsage, formatSseFrames, type SseFrame } from '../canonical-chat';
import { AnthropicToChatStream } from './anthropic-to-chat-stream';
import { ChatToAnthropicStream } from './chat-to-anthropic-stream';

type Delta = ChatChunkBody['choices'][number]['delta'];

const chunk = (
  delta: Delta,
  finish: ChatChunkBody['choices'][number]['finish_reason'] = null,
): ChatChunkBody => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1_765_000_000,
  model: 'gpt-x',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const usageChunk = (usage: ChatUsage): ChatChunkBody => ({ ...chunk({}), choices: [], usage });

function encode(chunks: ChatChunkBody[], end = true): SseFrame[] {
  const encoder = new ChatToAnthropicStream('msg_gw_1', 'public-model', 12);
  const frames = chunks.flatMap((c) => encoder.push(c));
  return end ? [...frames, ...encoder.end()] : frames;
}

/** Runs SSE text through the real SDK's stream parser and MessageStream accumulator; no network. */
async function throughSdk(sse: string) {
  const client = new Anthropic({
    apiKey: 'sk-ant-test-not-a-key',
    baseURL: 'http://gateway.invalid',
    maxRetries: 0,
    fetch: async () =>
      new Response(sse, {
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'request-id': 'req_1' },
      }),
  });
  const texts: string[] = [];
  const stream = client.messages
    .stream({ model: 'public-model', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
    .on('text', (delta) => texts.push(delta));
  const message = await stream.finalMessage();
  return { message, texts };
}

const weatherChunks: ChatChunkBody[] = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ content: 'Let me ' }),
  chunk({ content: 'check.' }),
  chunk({
    tool_calls: [
      { index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
  chunk({
    tool_calls: [
      { index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ],
  }),
  chunk({}, 'tool_calls'),
  usageChunk({
    prompt_tokens: 120,
    completion_tokens: 30,
    total_tokens: 150,
    prompt_tokens_details: { cached_tokens: 100 },
  }),
];

describe('ChatToAnthropicStream', () => {
  it("produces Anthropic's exact event sequence for text then two tool calls, usage in message_delta", () => {
    const frames = encode(weatherChunks);
    expect(frames.map((f) => f.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = frames.map((f) => JSON.parse(f.data));
    expect(data[0].message).toMatchObject({
      id: 'msg_gw_1',
      model: 'public-model',
      usage: { input_tokens: 12 },
    });
    expect(data[5]).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'call_a', name: 'get_weather', input: {} },
    });
    expect(data[12]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: {
        output_tokens: 30,
        input_tokens: 20,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 0,
      },
    });
    // The usage chunk closed the message; end() adds nothing more.
    const encoder = new ChatToAnthropicStream('m', 'p');
    for (const c of weatherChunks) encoder.push(c);
    expect(encoder.end()).toEqual([]);
  });

  it('is accepted by @anthropic-ai/sdk: final text, tool inputs, stop reason and usage', async () => {
    const { message, texts } = await throughSdk(formatSseFrames(encode(weatherChunks)));
    expect(texts.join('')).toBe('Let me check.');
    expect(message.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_b', name: 'get_time', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({
      input_tokens: 20,
      output_tokens: 30,
      cache_read_input_tokens: 100,
    });
  });

  it('ends well-formed without a usage chunk, and even without any chunk', async () => {
    const noUsage = await throughSdk(
      formatSseFrames(encode([chunk({ role: 'assistant', content: 'Hi' }), chunk({}, 'length')])),
    );
    expect(noUsage.message.content).toEqual([{ type: 'text', text: 'Hi' }]);
    expect(noUsage.message.stop_reason).toBe('max_tokens');
    expect(noUsage.message.usage.output_tokens).toBe(0);

    const empty = await throughSdk(formatSseFrames(encode([])));
    expect(empty.message.content).toEqual([]);
    expect(empty.message.stop_reason).toBe('end_turn');
  });

  it('handles usage in the finishing chunk, text after a tool call, refusals, and ignores other choices', async () => {
    const chunks: ChatChunkBody[] = [
      chunk({
        tool_calls: [
          { index: 0, id: 'call_x', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
        ],
      }),
      chunk({ content: 'and then ' }),
      chunk({ refusal: 'I cannot.' }),
      {
        ...chunk({ content: 'other choice' }),
        choices: [{ index: 1, delta: { content: 'other choice' }, finish_reason: null }],
      },
      { ...chunk({}, 'content_filter'), usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 } },
    ];
    const frames = encode(chunks, false);
    expect(frames.at(-1)?.event).toBe('message_stop');
    const blocks = frames
      .filter((f) => f.event === 'content_block_start')
      .map((f) => JSON.parse(f.data).index);
    expect(blocks).toEqual([0, 1]);
    const { message } = await throughSdk(formatSseFrames(frames));
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'call_x', name: 'f', input: { a: 1 } },
      { type: 'text', text: 'and then I cannot.' },
    ]);
    expect(message.stop_reason).toBe('refusal');
    expect(message.usage).toMatchObject({ input_tokens: 5, output_tokens: 6 });
  });

  it('a mid-stream error is an Anthropic error event the SDK raises, and nothing follows it', async () => {
    const encoder = new ChatToAnthropicStream('msg_1', 'p');
    const frames = [
      ...encoder.push(chunk({ content: 'partial' })),
      ...encoder.error('Upstream connection lost', 'api_error'),
    ];
    expect(encoder.end()).toEqual([]);
    expect(frames.at(-1)).toEqual({
      event: 'error',
      data: '{"type":"error","error":{"type":"api_error","message":"Upstream connection lost"}}',
    });
    await expect(throughSdk(formatSseFrames(frames))).rejects.toThrow(/Upstream connection lost/);
  });

  it('random canonical streams: the SDK and the decoder both reproduce the text and every tool input', async () => {
    const piece = fc.string({ minLength: 1, maxLength: 6 });
    const toolCall = fc.record({
      name: fc.string({ minLength: 1, maxLength: 6 }),
      input: fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.string(), fc.boolean()), {
        maxKeys: 3,
      }),
      cuts: fc.array(fc.nat(), { maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 5 }),
        fc.array(toolCall, { maxLength: 3 }),
        fc.boolean(),
        async (texts, calls, withUsage) => {
          const chunks: ChatChunkBody[] = [chunk({ role: 'assistant', content: '' })];
          for (const t of texts) chunks.push(chunk({ content: t }));
          calls.forEach((call, index) => {
            const json = JSON.stringify(call.input);
            const cuts = [...new Set(call.cuts.map((c) => c % (json.length + 1)))].sort((a, b) => a - b);
            const fragments = [0, ...cuts, json.length]
              .slice(1)
              .map((end, i, all) => json.slice(i === 0 ? 0 : all[i - 1], end));
            chunks.push(
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
            for (const f of fragments)
              if (f) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: f } }] }));
          });
          chunks.push(chunk({}, calls.length > 0 ? 'tool_calls' : 'stop'));
          if (withUsage)
            chunks.push(usageChunk({ prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 }));
          const frames = encode(chunks);

          const { message } = await throughSdk(formatSseFrames(frames));
          const text = texts.join('');
          expect(message.content).toEqual([
            ...(text ? [{ type: 'text', text }] : []),
            ...calls.map((call, i) => ({
              type: 'tool_use',
              id: `call_${i}`,
              name: call.name,
              input: call.input,
            })),
          ]);

          const decoder = new AnthropicToChatStream('public-model', 1);
          const decoded = frames.flatMap((f) => {
            const result = decoder.push(f.data, f.event);
            if (!result.ok) throw new Error(JSON.stringify(result.error));
            return result.value;
          });
          const deltas = decoded.flatMap((c) => c.choices.map((ch) => ch.delta));
          expect(deltas.map((d) => d.content ?? '').join('')).toBe(text);
          const args = new Map<number, string>();
          for (const d of deltas) {
            for (const t of d.tool_calls ?? [])
              args.set(t.index, (args.get(t.index) ?? '') + (t.function?.arguments ?? ''));
          }
          expect([...args.values()].map((a) => JSON.parse(a))).toEqual(calls.map((c) => c.input));
          expect(decoder.finish).toBe(calls.length > 0 ? 'tool_calls' : 'stop');
          const usage = decoded.at(-1)?.usage;
          expect(usage).toMatchObject(
            withUsage
              ? { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 }
              : { prompt_tokens: 12, completion_tokens: 0, total_tokens: 12 },
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
