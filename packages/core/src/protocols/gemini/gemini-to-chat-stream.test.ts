import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatChunkBody } from '../canonical-chat';
import { GeminiToChatStream } from './gemini-to-chat-stream';

const lines = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
const context = { model: 'public-model', created: 1_765_000_000, fallbackId: 'chatcmpl-fallback' };

function decode(events: string[]): ChatChunkBody[] {
  const decoder = new GeminiToChatStream(context);
  const out: ChatChunkBody[] = [];
  for (const data of events) {
    const pushed = decoder.push(data);
    if (!pushed.ok) throw new Error(pushed.error.message);
    out.push(...pushed.value);
  }
  return [...out, ...decoder.end()];
}

const head = {
  id: 'Ia4zaeL2B5OBnsEPt_Hx4Ao',
  object: 'chat.completion.chunk',
  created: 1_765_000_000,
  model: 'public-model',
};

describe('GeminiToChatStream', () => {
  it('decodes a recorded text stream, usage from the last event (thoughts counted as output)', () => {
    expect(decode(lines('stream-text.chunks.txt'))).toEqual([
      {
        ...head,
        choices: [{ index: 0, delta: { role: 'assistant', content: 'Once upon' }, finish_reason: null }],
      },
      {
        ...head,
        choices: [
          { index: 0, delta: { content: ' a time, a small robot learned to paint.' }, finish_reason: null },
        ],
      },
      { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      {
        ...head,
        choices: [],
        usage: {
          prompt_tokens: 9,
          completion_tokens: 41,
          total_tokens: 50,
          completion_tokens_details: { reasoning_tokens: 29 },
        },
      },
    ]);
  });

  it('decodes a recorded function-call stream as one whole tool-call delta and tool_calls', () => {
    const out = decode(lines('stream-function-call.chunks.txt'));
    expect(out[0]?.choices).toEqual([
      {
        index: 0,
        delta: {
          role: 'assistant',
          tool_calls: [
            {
              index: 0,
              id: 'call_0__gts__CiIBVKhc7oDk1v3dZ3nVdbZ0ZkSL7nM1lJvP4Bg5XUVqGZ2gSm0KZQFUqFzu',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ]);
    expect(out[1]?.usage).toEqual({
      prompt_tokens: 62,
      completion_tokens: 59,
      total_tokens: 121,
      completion_tokens_details: { reasoning_tokens: 44 },
    });
  });

  it('leaves thought parts out and fails on an in-stream error or garbage', () => {
    const decoder = new GeminiToChatStream(context);
    const thought = decoder.push(
      JSON.stringify({
        candidates: [{ content: { role: 'model', parts: [{ text: 'thinking…', thought: true }] }, index: 0 }],
      }),
    );
    expect(thought.ok && thought.value.map((c) => c.choices[0]?.delta)).toEqual([{ role: 'assistant' }]);
    const error = decoder.push(
      '{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}',
    );
    expect(!error.ok && [error.error.code, error.error.message]).toEqual([
      'upstream_error',
      'The Gemini upstream failed mid-stream: The model is overloaded.',
    ]);
    const garbage = new GeminiToChatStream(context).push('{"candidates": [');
    expect(!garbage.ok && garbage.error.code).toBe('upstream_error');
  });

  it('never throws on arbitrary event data', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
        ),
        (events) => {
          const decoder = new GeminiToChatStream(context);
          for (const data of events) expect(typeof decoder.push(data).ok).toBe('boolean');
          expect(Array.isArray(decoder.end())).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            content: fc.oneof(fc.jsonValue(), fc.record({ parts: fc.array(fc.jsonValue()) })),
            finishReason: fc.jsonValue(),
            index: fc.jsonValue(),
          }),
        ),
        (candidates) => {
          expect(typeof new GeminiToChatStream(context).push(JSON.stringify({ candidates })).ok).toBe(
            'boolean',
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
