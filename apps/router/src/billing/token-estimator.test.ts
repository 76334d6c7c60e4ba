import { describe, expect, it } from 'vitest';
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
});
