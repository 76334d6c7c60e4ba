import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readOpenAiUsage } from './read-openai-usage';

describe("readOpenAiUsage: Chat Completions' usage", () => {
  it("reads OpenAI's usage object", () => {
    expect(
      readOpenAiUsage(
        {
          prompt_tokens: 14,
          completion_tokens: 15,
          total_tokens: 29,
          prompt_tokens_details: { cached_tokens: 2, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 3 },
        },
        'chat',
      ),
    ).toEqual({
      inputTokens: 14,
      outputTokens: 15,
      totalTokens: 29,
      cachedInputTokens: 2,
      reasoningTokens: 3,
      cacheWriteTokens: null,
      malformed: false,
    });
  });

  it('reads no cache-write part and no Responses field names', () => {
    expect(
      readOpenAiUsage(
        {
          prompt_tokens: 10,
          completion_tokens: 1,
          prompt_tokens_details: { cache_write_tokens: 5 },
          input_tokens: 7,
        },
        'chat',
      ),
    ).toMatchObject({ inputTokens: 10, cacheWriteTokens: null, malformed: false });
  });

  it('is null without usage, and marks unreadable fields malformed', () => {
    expect(readOpenAiUsage(undefined, 'chat')).toBeNull();
    expect(readOpenAiUsage(null, 'chat')).toBeNull();
    expect(readOpenAiUsage({}, 'chat')).toMatchObject({
      inputTokens: null,
      outputTokens: null,
      malformed: false,
    });
    expect(readOpenAiUsage({ total_tokens: 18 }, 'chat')).toMatchObject({
      totalTokens: 18,
      malformed: false,
    });
    for (const bad of [
      { prompt_tokens: 11.5 },
      { prompt_tokens: '11' },
      { completion_tokens: -1 },
      { total_tokens: 1e300 },
      { prompt_tokens: { n: 1 } },
      { prompt_tokens_details: 'x' },
      { completion_tokens_details: { reasoning_tokens: 0.5 } },
      '11',
      5,
      [1, 2],
    ]) {
      expect(readOpenAiUsage(bad, 'chat')?.malformed).toBe(true);
    }
  });
});

describe("readOpenAiUsage: the Responses API's usage", () => {
  it('reads input (with its cached part), output (with its reasoning part) and the total', () => {
    expect(
      readOpenAiUsage(
        {
          input_tokens: 1200,
          input_tokens_details: { cached_tokens: 1024 },
          output_tokens: 40,
          output_tokens_details: { reasoning_tokens: 36 },
          total_tokens: 1240,
        },
        'responses',
      ),
    ).toEqual({
      inputTokens: 1200,
      outputTokens: 40,
      totalTokens: 1240,
      cachedInputTokens: 1024,
      reasoningTokens: 36,
      cacheWriteTokens: null,
      malformed: false,
    });
  });

  it('reads cache_write_tokens when sent; absent usage is null; unreadable counts mark it malformed', () => {
    expect(
      readOpenAiUsage(
        {
          input_tokens: 10,
          input_tokens_details: { cached_tokens: 2, cache_write_tokens: 5 },
          output_tokens: 1,
        },
        'responses',
      )?.cacheWriteTokens,
    ).toBe(5);
    expect(readOpenAiUsage(undefined, 'responses')).toBeNull();
    expect(readOpenAiUsage(null, 'responses')).toBeNull();
    expect(readOpenAiUsage('12', 'responses')?.malformed).toBe(true);
    expect(readOpenAiUsage({ input_tokens: '12', output_tokens: 3 }, 'responses')).toMatchObject({
      inputTokens: null,
      outputTokens: 3,
      malformed: true,
    });
    expect(
      readOpenAiUsage({ input_tokens: 1, output_tokens: 1, input_tokens_details: [] }, 'responses')
        ?.malformed,
    ).toBe(true);
    expect(readOpenAiUsage({ input_tokens: 1.5, output_tokens: -1 }, 'responses')).toMatchObject({
      inputTokens: null,
      outputTokens: null,
      malformed: true,
    });
  });
});

describe("readOpenAiUsage: the Images API's usage", () => {
  it('reads the counts and total, and no details (a gpt-image answer carries text and image parts there)', () => {
    expect(
      readOpenAiUsage(
        {
          input_tokens: 50,
          output_tokens: 4160,
          total_tokens: 4210,
          input_tokens_details: 'not read',
          output_tokens_details: { reasoning_tokens: 9 },
        },
        'images',
      ),
    ).toEqual({
      inputTokens: 50,
      outputTokens: 4160,
      totalTokens: 4210,
      cachedInputTokens: null,
      reasoningTokens: null,
      cacheWriteTokens: null,
      malformed: false,
    });
    expect(readOpenAiUsage(undefined, 'images')).toBeNull();
    expect(readOpenAiUsage([50], 'images')?.malformed).toBe(true);
    expect(readOpenAiUsage({ input_tokens: -1, output_tokens: 1 }, 'images')?.malformed).toBe(true);
  });
});

describe('readOpenAiUsage, any shape', () => {
  it('never throws, and every count it returns is a non-negative integer', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('chat' as const, 'responses' as const, 'images' as const),
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            input_tokens: fc.jsonValue(),
            prompt_tokens: fc.jsonValue(),
            input_tokens_details: fc.jsonValue(),
            prompt_tokens_details: fc.jsonValue(),
            output_tokens_details: fc.jsonValue(),
          }),
        ),
        (shape, value) => {
          const report = readOpenAiUsage(value, shape);
          if (report === null) return;
          expect(typeof report.malformed).toBe('boolean');
          for (const [field, count] of Object.entries(report)) {
            if (field === 'malformed' || count === null) continue;
            expect(Number.isSafeInteger(count) && (count as number) >= 0).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
