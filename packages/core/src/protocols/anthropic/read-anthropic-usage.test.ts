import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAnthropicUsage } from './read-anthropic-usage';

describe('readAnthropicUsage', () => {
  it('normalises: input includes cache reads and writes, which are also reported on their own', () => {
    expect(
      readAnthropicUsage({
        input_tokens: 472,
        cache_creation_input_tokens: 1024,
        cache_read_input_tokens: 2048,
        output_tokens: 89,
        output_tokens_details: { thinking_tokens: 40 },
      }),
    ).toEqual({
      inputTokens: 3544,
      outputTokens: 89,
      totalTokens: null,
      cachedInputTokens: 2048,
      reasoningTokens: 40,
      cacheWriteTokens: 1024,
      malformed: false,
    });
    expect(
      readAnthropicUsage({ input_tokens: 10, output_tokens: 2, cache_read_input_tokens: null }),
    ).toMatchObject({
      inputTokens: 10,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      malformed: false,
    });
  });

  it('a message_delta usage without input reports output only', () => {
    expect(readAnthropicUsage({ output_tokens: 15 })).toMatchObject({
      inputTokens: null,
      outputTokens: 15,
      malformed: false,
    });
  });

  it('marks unreadable counts malformed; null when absent; never throws', () => {
    expect(readAnthropicUsage(undefined)).toBeNull();
    expect(readAnthropicUsage(null)).toBeNull();
    expect(readAnthropicUsage('lots')?.malformed).toBe(true);
    expect(readAnthropicUsage({ input_tokens: 1.5, output_tokens: 1 })?.malformed).toBe(true);
    expect(readAnthropicUsage({ input_tokens: 1, output_tokens: '1' })?.malformed).toBe(true);
    expect(
      readAnthropicUsage({ input_tokens: 1, output_tokens: 1, output_tokens_details: 3 })?.malformed,
    ).toBe(true);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const report = readAnthropicUsage(value);
        expect(report === null || typeof report.malformed === 'boolean').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
