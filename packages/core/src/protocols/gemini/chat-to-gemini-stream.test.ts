import { ApiError, type GenerateContentResponse, GoogleGenAI } from '@google/genai';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChatChunkBody, formatSseFrames, type SseFrame } from '../canonical-chat';
import { ChatToGeminiStream } from './chat-to-gemini-stream';
import { GeminiToChatStream } from './gemini-to-chat-stream';

/** Streams SSE text to @google/genai's generateContentStream, split into small network reads. */
async function throughSdk(sse: string): Promise<{ chunks: GenerateContentResponse[]; error: unknown }> {
  const bytes = new TextEncoder().encode(sse);
  const ai = new GoogleGenAI({
    apiKey: 'test-key',
    httpOptions: {
      baseUrl: 'http://gateway.test',
      fetch: async () =>
        new Response(
          new ReadableStream({
            start(controller) {
              for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
              controller.close();
            },
          }),
          { status: 200, headers: { 'content-type': 'text/event-stream' } },
        ),
    },
  });
  const chunks: GenerateContentResponse[] = [];
  try {
    for await (const chunk of await ai.models.generateContentStream({
      model: 'public-model',
      contents: 'hi',
    })) {
      chunks.push(chunk);
    }
    return { chunks, error: null };
  } catch (error) {
    return { chunks, error };
  }
}

const chunk = (choices: ChatChunkBody['choices'], usage?: ChatChunkBody['usage']): ChatChunkBody => ({
  id: 'chatcmpl-7',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4o-mini',
  choices,
  ...(usage === undefined ? {} : { usage }),
});

function encode(chunks: ChatChunkBody[]): SseFrame[] {
  const encoder = new ChatToGeminiStream();
  return [...chunks.flatMap((c) => encoder.push(c)), ...encoder.end()];
}

describe('ChatToGeminiStream', () => {
  it('streams text as it comes and ends with finishReason and usage, as @google/genai reads them', async () => {
    const frames = encode([
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: 'Hel' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: 'lo!' }, finish_reason: null }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
      chunk([], {
        prompt_tokens: 5,
        completion_tokens: 9,
        total_tokens: 14,
        completion_tokens_details: { reasoning_tokens: 6 },
      }),
    ]);
    expect(frames.map((f) => JSON.parse(f.data))).toEqual([
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] }, index: 0 }],
        modelVersion: 'gpt-4o-mini',
        responseId: 'chatcmpl-7',
      },
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'lo!' }] }, index: 0 }],
        modelVersion: 'gpt-4o-mini',
        responseId: 'chatcmpl-7',
      },
      {
        candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, index: 0, finishReason: 'STOP' }],
        usageMetadata: {
          promptTokenCount: 5,
          candidatesTokenCount: 3,
          totalTokenCount: 14,
          thoughtsTokenCount: 6,
        },
        modelVersion: 'gpt-4o-mini',
        responseId: 'chatcmpl-7',
      },
    ]);
    const { chunks, error } = await throughSdk(formatSseFrames(frames));
    expect(error).toBeNull();
    expect(chunks.map((c) => c.text).join('')).toBe('Hello!');
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(chunks.at(-1)?.usageMetadata?.totalTokenCount).toBe(14);
  });

  it('gathers tool-call deltas split across chunks into whole functionCall parts', async () => {
    const frames = encode([
      chunk([
        {
          index: 0,
          delta: {
            role: 'assistant',
            tool_calls: [
              { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } },
            ],
          },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          finish_reason: null,
        },
      ]),
      chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
    ]);
    const { chunks, error } = await throughSdk(formatSseFrames(frames));
    expect(error).toBeNull();
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.functionCalls).toEqual([
      { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } },
      { id: 'call_2', name: 'get_time', args: {} },
    ]);
    expect(chunks[0]?.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('keeps several choices apart as candidates with their index', () => {
    const frames = encode([
      chunk([
        { index: 0, delta: { content: 'a' }, finish_reason: null },
        { index: 1, delta: { content: 'b' }, finish_reason: null },
      ]),
      chunk([{ index: 1, delta: {}, finish_reason: 'length' }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    ]);
    expect(JSON.parse(frames[0]?.data ?? '').candidates.map((c: { index: number }) => c.index)).toEqual([
      0, 1,
    ]);
    expect(JSON.parse(frames.at(-1)?.data ?? '').candidates).toEqual([
      { content: { role: 'model', parts: [{ text: '' }] }, index: 0, finishReason: 'STOP' },
      { content: { role: 'model', parts: [{ text: '' }] }, index: 1, finishReason: 'MAX_TOKENS' },
    ]);
  });

  it('writes a mid-stream error that @google/genai throws as an ApiError with its status', async () => {
    const encoder = new ChatToGeminiStream();
    const frames = [
      ...encoder.push(chunk([{ index: 0, delta: { content: 'partial' }, finish_reason: null }])),
      ...encoder.error('The upstream stopped answering.', 'upstream_timeout'),
    ];
    expect(encoder.end()).toEqual([]);
    const { chunks, error } = await throughSdk(formatSseFrames(frames));
    expect(chunks.map((c) => c.text)).toEqual(['partial']);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(504);
  });
});

// ---- canonical chunks → Gemini SSE → canonical chunks ----

interface Planned {
  text: string[];
  calls: { name: string; args: Record<string, unknown>; cuts: number[] }[];
  finish: 'stop' | 'length' | 'tool_calls' | 'content_filter';
}

const plannedChoice: fc.Arbitrary<Planned> = fc.record({
  text: fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 5 }),
  calls: fc.array(
    fc.record({
      name: fc.constantFrom('get_weather', 'search', 'ping'),
      args: fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 3,
      }),
      cuts: fc.array(fc.nat(40), { maxLength: 3 }),
    }),
    { maxLength: 3 },
  ),
  finish: fc.constantFrom('stop', 'length', 'content_filter'),
});

/** The canonical chunk sequence an OpenAI upstream would send for these choices, interleaved choice by choice. */
function plan(choices: Planned[], usage: boolean): ChatChunkBody[] {
  const chunks: ChatChunkBody[] = [];
  const longest = Math.max(...choices.map((c) => c.text.length + c.calls.length));
  for (let step = 0; step < longest; step++) {
    choices.forEach((choice, index) => {
      if (step < choice.text.length) {
        chunks.push(chunk([{ index, delta: { content: choice.text[step] }, finish_reason: null }]));
        return;
      }
      const callIndex = step - choice.text.length;
      const call = choice.calls[callIndex];
      if (!call) return;
      const args = JSON.stringify(call.args);
      const cuts = [...new Set(call.cuts.map((c) => c % (args.length + 1)))].sort((a, b) => a - b);
      const pieces = [0, ...cuts].map((start, i) => args.slice(start, cuts[i] ?? args.length));
      pieces.forEach((piece, i) => {
        const delta =
          i === 0
            ? {
                index: callIndex,
                id: `call_${index}_${callIndex}`,
                type: 'function' as const,
                function: { name: call.name, arguments: piece },
              }
            : { index: callIndex, function: { arguments: piece } };
        chunks.push(chunk([{ index, delta: { tool_calls: [delta] }, finish_reason: null }]));
      });
    });
  }
  choices.forEach((choice, index) => {
    chunks.push(
      chunk([{ index, delta: {}, finish_reason: choice.calls.length > 0 ? 'tool_calls' : choice.finish }]),
    );
  });
  if (usage) chunks.push(chunk([], { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 }));
  return chunks;
}

describe('ChatToGeminiStream → GeminiToChatStream', () => {
  it('reproduces each choice’s text, tool calls (name, arguments, id) and finish reason', () => {
    fc.assert(
      fc.property(fc.array(plannedChoice, { minLength: 1, maxLength: 3 }), fc.boolean(), (choices, usage) => {
        const frames = encode(plan(choices, usage));
        const decoder = new GeminiToChatStream({ model: 'm', created: 1, fallbackId: 'x' });
        const out: ChatChunkBody[] = [];
        for (const frame of frames) {
          const pushed = decoder.push(frame.data);
          if (!pushed.ok) throw new Error(pushed.error.message);
          out.push(...pushed.value);
        }
        out.push(...decoder.end());
        choices.forEach((choice, index) => {
          const mine = out.flatMap((c) => c.choices.filter((ch) => ch.index === index));
          expect(mine.map((c) => c.delta.content ?? '').join('')).toBe(choice.text.join(''));
          const calls = mine.flatMap((c) => c.delta.tool_calls ?? []);
          expect(calls.map((c) => [c.id, c.function?.name, JSON.parse(c.function?.arguments ?? '')])).toEqual(
            choice.calls.map((call, i) => [
              `call_${index}_${i}`,
              call.name,
              JSON.parse(JSON.stringify(call.args)),
            ]),
          );
          expect(mine.filter((c) => c.finish_reason !== null).map((c) => c.finish_reason)).toEqual([
            choice.calls.length > 0 ? 'tool_calls' : choice.finish,
          ]);
        });
        const last = out.at(-1);
        if (usage) expect(last?.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
        else expect(out.some((c) => c.usage)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ChatToGeminiStream on relayed garbage', () => {
  it('never throws and writes only JSON events', () => {
    const fragment = fc.oneof(
      fc.jsonValue(),
      fc.record({
        index: fc.jsonValue(),
        id: fc.jsonValue(),
        function: fc.oneof(fc.jsonValue(), fc.record({ name: fc.jsonValue(), arguments: fc.jsonValue() })),
      }),
    );
    const choice = fc.oneof(
      fc.jsonValue(),
      fc.record({
        index: fc.jsonValue(),
        delta: fc.oneof(
          fc.jsonValue(),
          fc.record({ content: fc.jsonValue(), tool_calls: fc.oneof(fc.jsonValue(), fc.array(fragment)) }),
        ),
        finish_reason: fc.jsonValue(),
      }),
    );
    const chunkish = fc.oneof(
      fc.jsonValue(),
      fc.record({
        id: fc.jsonValue(),
        choices: fc.oneof(fc.jsonValue(), fc.array(choice)),
        usage: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(fc.array(chunkish), (chunks) => {
        const encoder = new ChatToGeminiStream();
        const frames = [...chunks.flatMap((c) => encoder.push(c as ChatChunkBody)), ...encoder.end()];
        for (const frame of frames) expect(typeof JSON.parse(frame.data)).toBe('object');
      }),
      { numRuns: 500 },
    );
  });
});
