import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import blocked from './fixtures/generate-response-blocked.json';
import functionCall from './fixtures/generate-response-function-call.json';
import text from './fixtures/generate-response-text.json';
import { geminiResponseToChat } from './gemini-response-to-chat';

const context = { model: 'public-model', created: 1_765_000_000, fallbackId: 'chatcmpl-fallback' };

describe('geminiResponseToChat', () => {
  it('reads a text answer; completion tokens include thoughts as Google bills them', () => {
    expect(geminiResponseToChat(text, context)).toEqual({
      ok: true,
      value: {
        id: 'wq0zaZ6rG4f_nsEPkN2l4Ag',
        object: 'chat.completion',
        created: 1_765_000_000,
        model: 'public-model',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Paris is the capital of France.' },
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: 8,
          completion_tokens: 37,
          total_tokens: 45,
          completion_tokens_details: { reasoning_tokens: 30 },
        },
      },
    });
  });

  it('reads parallel function calls (STOP means tool_calls), leaves thoughts out, keeps cached tokens', () => {
    const result = geminiResponseToChat(functionCall, context);
    expect(result.ok && result.value.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_0__gts__CiIBVKhc7oDk1v3dZ3nVdbZ0ZkSL7nM1lJvP4Bg5XUVqGZ2gSm0KZQFUqFzu',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Lyon"}' },
            },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ]);
    expect(result.ok && result.value.usage).toEqual({
      prompt_tokens: 62,
      completion_tokens: 84,
      total_tokens: 146,
      prompt_tokens_details: { cached_tokens: 32 },
      completion_tokens_details: { reasoning_tokens: 54 },
    });
  });

  it('keeps Gemini call ids when it sends them', () => {
    const result = geminiResponseToChat(
      {
        candidates: [
          {
            content: { parts: [{ functionCall: { id: 'fc_9', name: 'f', args: {} } }] },
            finishReason: 'STOP',
          },
        ],
      },
      context,
    );
    expect(result.ok && result.value.choices[0]?.message.tool_calls?.[0]?.id).toBe('fc_9');
  });

  it('answers a blocked prompt as an empty content_filter choice', () => {
    const result = geminiResponseToChat(blocked, context);
    expect(result.ok && result.value.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: null }, finish_reason: 'content_filter' },
    ]);
    expect(result.ok && result.value.usage).toEqual({
      prompt_tokens: 11,
      completion_tokens: 0,
      total_tokens: 11,
    });
  });

  it.each([
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['OTHER', 'stop'],
    ['STOP', 'stop'],
  ])('maps finishReason %s to %s', (finishReason, expected) => {
    const result = geminiResponseToChat(
      { candidates: [{ content: { parts: [{ text: 'x' }], role: 'model' }, finishReason, index: 0 }] },
      context,
    );
    expect(result.ok && result.value.choices[0]?.finish_reason).toBe(expected);
  });

  it('reads several candidates as several choices', () => {
    const result = geminiResponseToChat(
      {
        candidates: [
          { content: { parts: [{ text: 'a' }] }, finishReason: 'STOP', index: 0 },
          { content: { parts: [{ text: 'b' }] }, finishReason: 'MAX_TOKENS', index: 1 },
        ],
      },
      context,
    );
    expect(
      result.ok && result.value.choices.map((c) => [c.index, c.message.content, c.finish_reason]),
    ).toEqual([
      [0, 'a', 'stop'],
      [1, 'b', 'length'],
    ]);
  });

  it.each([
    ['a string', 'nope'],
    ['candidates not a list', { candidates: {} }],
    ['no candidates and no block', { usageMetadata: { promptTokenCount: 1 } }],
    ['a call without name', { candidates: [{ content: { parts: [{ functionCall: { args: {} } }] } }] }],
  ])('fails on upstream garbage: %s', (_, body) => {
    const result = geminiResponseToChat(body, context);
    expect(!result.ok && result.error.code).toBe('upstream_error');
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        expect(typeof geminiResponseToChat(body, context).ok).toBe('boolean');
      }),
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
        fc.jsonValue(),
        (candidates, usageMetadata) => {
          expect(typeof geminiResponseToChat({ candidates, usageMetadata }, context).ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});
