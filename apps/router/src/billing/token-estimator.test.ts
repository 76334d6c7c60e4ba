import { promptTokenUpperBound } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { promptTokenRateEstimate } from './prompt-token-rate-estimate';
import { countTextTokens, estimatePromptTokens } from './token-estimator';

describe('token estimator (o200k_base, offline)', () => {
  it('counts text with the bundled encoding', () => {
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('hello world')).toBe(2);
  });

  it("estimates a chat prompt with OpenAI's per-message overhead", () => {
    // 3 (reply) + [3 + "hello world" (2)] + [3 + "hi" (1)]
    expect(
      estimatePromptTokens({
        messages: [
          { role: 'user', content: 'hello world' },
          { role: 'assistant', content: [{ type: 'text', text: 'hi' }] },
        ],
      }),
    ).toBe(12);
    expect(estimatePromptTokens({})).toBe(3);
  });

  it('bounds very long texts by their UTF-8 bytes instead of encoding them', () => {
    expect(countTextTokens('é'.repeat(200_001))).toBe(400_002);
  });

  it('never counts more tokens than the budget bound of the serialised body allows', () => {
    const texts = [
      'plain English words in a sentence, as most prompts are written',
      '日本語のテキストとemoji 🎉🎉🎉 and mixed scripts: Ελληνικά, русский, العربية',
      '{"deeply":{"nested":["json",1,2,3,{"x":null}]}} \\n\\t escapes " quotes',
      '\u0000\u0001\u0002 control bytes and lone spaces          ',
      'a'.repeat(300),
      'many words '.repeat(300),
    ];
    for (const text of texts) {
      const body = {
        model: 'm',
        messages: [
          { role: 'system', content: text },
          { role: 'user', content: [{ type: 'text', text }], name: 'n' },
          { role: 'assistant', content: null, tool_calls: [{ function: { name: 'f', arguments: text } }] },
        ],
      };
      const bytes = Buffer.byteLength(JSON.stringify(body));
      expect(promptTokenUpperBound(bytes, body)).toBeGreaterThanOrEqual(estimatePromptTokens(body));
    }
  });

  it('estimates a prompt as OpenAI rate limits do: one token per 4 characters, rounded up', () => {
    // 3 (reply) + [3 + ceil(11 / 4) = 3] + [3 + ceil(2 / 4) = 1]
    expect(
      promptTokenRateEstimate({
        messages: [
          { role: 'user', content: 'hello world' },
          { role: 'user', content: 'hi' },
        ],
      }),
    ).toBe(13);
  });
});
