import { describe, expect, it } from 'vitest';
import { computeCost } from './compute-cost';
import {
  estimateWorstCaseCost,
  resolveOutputTokenBound,
  worstCaseImagePrice,
} from './estimate-worst-case-cost';
import { EMPTY_PRICE_SHEET, type PriceSheet } from './price-sheet';

const gpt: PriceSheet = {
  ...EMPTY_PRICE_SHEET,
  inputMicrosPerMillion: 2_500_000n,
  cachedInputMicrosPerMillion: 1_250_000n,
  outputMicrosPerMillion: 10_000_000n,
};

describe('estimateWorstCaseCost', () => {
  it('prices the input estimate plus the whole output bound', () => {
    // 1 000 × 2.5 + 4 096 × 10 = 2 500 + 40 960
    expect(estimateWorstCaseCost(gpt, 1_000, 4_096, 1)).toBe(43_460n);
  });

  it('rounds up, so a reservation never holds less than the request can cost', () => {
    expect(estimateWorstCaseCost(gpt, 1, 0, 1)).toBe(3n); // 2.5 → 3
    expect(estimateWorstCaseCost({ ...gpt, inputMicrosPerMillion: 2_000_001n }, 1, 0, 1)).toBe(3n); // 2.000001 → 3
    expect(estimateWorstCaseCost(gpt, 0, 0, 1)).toBe(0n);
  });

  it('uses the dearest prompt and completion rates: cache writes above input, reasoning above output', () => {
    const sheet = { ...gpt, cacheWriteMicrosPerMillion: 3_125_000n, reasoningMicrosPerMillion: 40_000_000n };
    expect(estimateWorstCaseCost(sheet, 1_000, 1_000, 1)).toBe(3_125n + 40_000n);
  });

  it('uses the long-context tier when the input estimate crosses its threshold', () => {
    const sheet: PriceSheet = {
      ...gpt,
      longContext: {
        aboveInputTokens: 200_000,
        inputMicrosPerMillion: 5_000_000n,
        outputMicrosPerMillion: 15_000_000n,
        cachedInputMicrosPerMillion: null,
        cacheWriteMicrosPerMillion: null,
        reasoningMicrosPerMillion: null,
      },
    };
    expect(estimateWorstCaseCost(sheet, 200_000, 1_000, 1)).toBe(500_000n + 10_000n);
    expect(estimateWorstCaseCost(sheet, 200_001, 1_000, 1)).toBe(1_000_005n + 15_000n);
  });

  it('counts the output bound once per choice and the prompt once', () => {
    // 1 000 × 2.5 + 5 × 4 096 × 10 = 2 500 + 204 800
    expect(estimateWorstCaseCost(gpt, 1_000, 4_096, 5)).toBe(207_300n);
    expect(estimateWorstCaseCost(gpt, 1_000, 4_096, 5)).toBeGreaterThan(
      5n * estimateWorstCaseCost(gpt, 0, 4_096, 1),
    );
  });

  it('is never below the cost of n choices that each write the whole bound', () => {
    for (const n of [1, 2, 5, 128]) {
      const actual = computeCost(gpt, {
        inputTokens: 300,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 100 * n,
        reasoningTokens: 0,
      }).micros;
      expect(estimateWorstCaseCost(gpt, 300, 100, n)).toBeGreaterThanOrEqual(actual);
    }
  });

  it('adds the per-request fee', () => {
    expect(estimateWorstCaseCost({ ...gpt, requestMicros: 5_000n }, 0, 0, 1)).toBe(5_000n);
  });

  it('is never below the actual cost of any usage within the bounds', () => {
    const sheet = { ...gpt, cacheWriteMicrosPerMillion: 3_125_000n, reasoningMicrosPerMillion: 12_000_000n };
    const bound = estimateWorstCaseCost(sheet, 10_000, 2_000, 1);
    for (const [cached, written, output, reasoning] of [
      [0, 0, 2_000, 0],
      [10_000, 0, 2_000, 2_000],
      [0, 10_000, 2_000, 2_000],
      [5_000, 5_000, 1_999, 1_000],
    ] as const) {
      const actual = computeCost(sheet, {
        inputTokens: 10_000,
        cachedInputTokens: cached,
        cacheWriteTokens: written,
        outputTokens: output,
        reasoningTokens: reasoning,
      }).micros;
      expect(actual).toBeLessThanOrEqual(bound);
    }
  });

  it('refuses negative or fractional token counts', () => {
    expect(() => estimateWorstCaseCost(gpt, -1, 0, 1)).toThrow(RangeError);
    expect(() => estimateWorstCaseCost(gpt, 0, 1.5, 1)).toThrow(/maxOutputTokens/);
    expect(() => estimateWorstCaseCost(gpt, 0, 1, 0)).toThrow(/choices/);
    expect(() => estimateWorstCaseCost(gpt, 0, 1, 1.5)).toThrow(/choices/);
  });
});

describe('resolveOutputTokenBound', () => {
  it('takes max_tokens, capped by the model output cap', () => {
    expect(resolveOutputTokenBound(1_000, 16_384, 4_096)).toBe(1_000);
    expect(resolveOutputTokenBound(100_000, 16_384, 4_096)).toBe(16_384);
  });

  it('falls back to the model cap, then to the configured default', () => {
    expect(resolveOutputTokenBound(undefined, 16_384, 4_096)).toBe(16_384);
    expect(resolveOutputTokenBound(null, null, 4_096)).toBe(4_096);
    expect(resolveOutputTokenBound(512, null, 4_096)).toBe(512);
  });
});

describe('worstCaseImagePrice', () => {
  const sheet: PriceSheet = {
    ...EMPTY_PRICE_SHEET,
    images: [
      { size: '1024x1024', quality: 'standard', microsPerImage: 40_000n },
      { size: '1024x1792', quality: 'hd', microsPerImage: 120_000n },
    ],
    imageMicros: 60_000n,
  };

  it('holds the exact price of the asked size and quality when the sheet has it', () => {
    expect(worstCaseImagePrice(sheet, '1024x1024', 'standard')).toBe(40_000n);
  });

  it('holds the dearest image price when the size or quality is left to the upstream', () => {
    expect(worstCaseImagePrice(sheet, 'auto', 'auto')).toBe(120_000n);
    expect(worstCaseImagePrice({ ...sheet, images: [] }, 'auto', 'auto')).toBe(60_000n);
    expect(worstCaseImagePrice(EMPTY_PRICE_SHEET, 'auto', 'auto')).toBe(0n);
  });

  it('never holds less than the cost computed for any size the upstream may choose', () => {
    for (const image of [...sheet.images, { size: 'auto', quality: 'auto' }]) {
      const billed = computeCost(sheet, { images: [{ size: image.size, quality: image.quality, count: 1 }] });
      expect(worstCaseImagePrice(sheet, 'auto', 'auto')).toBeGreaterThanOrEqual(billed.micros);
    }
  });
});
