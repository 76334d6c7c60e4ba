import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openAiAdapter } from './openai-adapter';
import { readOpenAiUsage } from './read-openai-usage';

describe('readOpenAiUsage', () => {
  it("reads OpenAI's usage object", () => {
    expect(
      readOpenAiUsage({
        prompt_tokens: 14,
        completion_tokens: 15,
        total_tokens: 29,
        prompt_tokens_details: { cached_tokens: 2, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 3 },
      }),
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

  it('is null without usage, and marks unreadable fields malformed', () => {
    expect(readOpenAiUsage(undefined)).toBeNull();
    expect(readOpenAiUsage(null)).toBeNull();
    expect(readOpenAiUsage({})).toMatchObject({ inputTokens: null, outputTokens: null, malformed: false });
    expect(readOpenAiUsage({ total_tokens: 18 })).toMatchObject({ totalTokens: 18, malformed: false });
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
      expect(readOpenAiUsage(bad)?.malformed).toBe(true);
    }
  });

  it('never throws and returns only non-negative integers, whatever JSON the upstream sends', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (usage, choices) => {
        const body = JSON.stringify({ choices, usage });
        const reports = [
          openAiAdapter.readUsage(JSON.parse(body)),
          openAiAdapter.readStreamEvent(body).usage,
          openAiAdapter.readStreamEvent(body.replace('"usage":', '"usage": ')).usage,
        ];
        for (const report of reports) {
          if (report === null) continue;
          for (const [field, value] of Object.entries(report)) {
            if (field === 'malformed' || value === null) continue;
            expect(Number.isSafeInteger(value) && (value as number) >= 0).toBe(true);
          }
        }
      }),
    );
  });
});
