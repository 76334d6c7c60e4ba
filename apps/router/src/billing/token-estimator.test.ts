import { describe, expect, it } from 'vitest';
import {
  countTextTokens,
  estimatePromptTokens,
  promptTokenRateEstimate,
  promptTokenUpperBound,
} from './token-estimator';

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

  it('bounds a prompt by its UTF-8 bytes for budget reservations, whatever the tokenizer', () => {
    const body = {
      messages: [
        { role: 'user', content: 'hello world' },
        { role: 'assistant', content: 'é', tool_calls: [{ function: { name: 'f', arguments: '{}' } }] },
      ],
    };
    // 3 (reply) + [3 + 11 bytes] + [3 + 2 bytes ("é") + 1 ("f") + 2 ("{}")]
    expect(promptTokenUpperBound(body)).toBe(25);
    expect(promptTokenUpperBound(body)).toBeGreaterThanOrEqual(estimatePromptTokens(body));
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
