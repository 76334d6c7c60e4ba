import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUsageReportComplete } from '../../usage-report';
import { chatUsageToGemini, geminiUsageToChat, readGeminiUsage } from './read-gemini-usage';

describe('readGeminiUsage', () => {
  it('counts thoughts as output and reasoning, cached as part of input', () => {
    const report = readGeminiUsage({
      promptTokenCount: 62,
      candidatesTokenCount: 30,
      totalTokenCount: 146,
      cachedContentTokenCount: 32,
      thoughtsTokenCount: 54,
    });
    expect(report).toEqual({
      inputTokens: 62,
      outputTokens: 84,
      totalTokens: 146,
      cachedInputTokens: 32,
      reasoningTokens: 54,
      cacheWriteTokens: null,
      malformed: false,
    });
    expect(report && isUsageReportComplete(report)).toBe(true);
  });

  it('reads the usageMetadata of a whole response, and counts tool-use prompt tokens as input', () => {
    expect(
      readGeminiUsage({
        candidates: [],
        usageMetadata: {
          promptTokenCount: 10,
          toolUsePromptTokenCount: 5,
          candidatesTokenCount: 3,
          totalTokenCount: 18,
        },
      }),
    ).toMatchObject({ inputTokens: 15, outputTokens: 3, totalTokens: 18, malformed: false });
  });

  it('takes counts proto3 JSON left out as zero', () => {
    expect(readGeminiUsage({ promptTokenCount: 11, totalTokenCount: 11 })).toEqual({
      inputTokens: 11,
      outputTokens: 0,
      totalTokens: 11,
      cachedInputTokens: 0,
      reasoningTokens: 0,
      cacheWriteTokens: null,
      malformed: false,
    });
  });

  it('is null when there is no usage, malformed when a count is unreadable', () => {
    expect(readGeminiUsage({ candidates: [] })).toBeNull();
    expect(readGeminiUsage('x')).toBeNull();
    expect(readGeminiUsage({ usageMetadata: 'lots' })?.malformed).toBe(true);
    const bad = readGeminiUsage({ promptTokenCount: '10', candidatesTokenCount: 2 });
    expect(bad).toMatchObject({ inputTokens: null, outputTokens: 2, malformed: true });
    expect(readGeminiUsage({ promptTokenCount: 1.5 })?.malformed).toBe(true);
  });

  it('canonical and Gemini usage convert back and forth', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.nat(1_000_000),
        fc.nat(1_000_000),
        fc.nat(1_000_000),
        (prompt, candidates, thoughts, cachedRaw) => {
          const cached = Math.min(cachedRaw, prompt);
          const metadata = {
            promptTokenCount: prompt,
            candidatesTokenCount: candidates,
            thoughtsTokenCount: thoughts,
            cachedContentTokenCount: cached,
            totalTokenCount: prompt + candidates + thoughts,
          };
          const chat = geminiUsageToChat(metadata);
          expect(chat?.completion_tokens).toBe(candidates + thoughts);
          expect(chat && chatUsageToGemini(chat)).toEqual(
            Object.fromEntries(
              Object.entries(metadata).filter(([k, v]) => v > 0 || !/cached|thoughts/i.test(k)),
            ),
          );
        },
      ),
    );
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const report = readGeminiUsage(value);
        expect(report === null || typeof report.malformed === 'boolean').toBe(true);
        geminiUsageToChat(value);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(
            'promptTokenCount',
            'candidatesTokenCount',
            'thoughtsTokenCount',
            'totalTokenCount',
            'cachedContentTokenCount',
          ),
          fc.jsonValue(),
        ),
        (value) => {
          const report = readGeminiUsage(value);
          expect(report === null || typeof report.malformed === 'boolean').toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
