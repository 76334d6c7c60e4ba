import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCost, computeCostTotal, imageUnitPrice } from './compute-cost';
import { EMPTY_PRICE_SHEET, type PriceSheet } from './price-sheet';

const claudeLike: PriceSheet = {
  ...EMPTY_PRICE_SHEET,
  inputMicrosPerMillion: 3_000_000n,
  cachedInputMicrosPerMillion: 300_000n,
  cacheWriteMicrosPerMillion: 3_750_000n,
  outputMicrosPerMillion: 15_000_000n,
  longContext: {
    aboveInputTokens: 200_000,
    inputMicrosPerMillion: 6_000_000n,
    cachedInputMicrosPerMillion: 600_000n,
    cacheWriteMicrosPerMillion: 7_500_000n,
    outputMicrosPerMillion: 22_500_000n,
    reasoningMicrosPerMillion: null,
  },
};

describe('computeCost: tokens', () => {
  it('bills uncached input, cache reads, cache writes and output each at their own price', () => {
    // 10 000 prompt tokens = 6 000 uncached + 3 000 read + 1 000 written; 2 000 output.
    const cost = computeCost(claudeLike, {
      inputTokens: 10_000,
      cachedInputTokens: 3_000,
      cacheWriteTokens: 1_000,
      outputTokens: 2_000,
    });
    // 6000×3 + 3000×0.3 + 1000×3.75 + 2000×15 micro-USD = 18 000 + 900 + 3 750 + 30 000
    expect(cost.micros).toBe(52_650n);
    expect(cost.missing).toEqual([]);
    expect(cost.longContext).toBe(false);
    expect(cost.lines.map((l) => [l.component, l.quantity, l.micros])).toEqual([
      ['input', 6_000, 18_000n],
      ['cached_input', 3_000, 900n],
      ['cache_write', 1_000, 3_750n],
      ['output', 2_000, 30_000n],
    ]);
  });

  it('rounds half up once, at the end, not per line', () => {
    // Each line alone is 0.4 micro-USD (rounds to 0); together 1.2 → 1.
    const sheet: PriceSheet = {
      ...EMPTY_PRICE_SHEET,
      inputMicrosPerMillion: 400_000n,
      cachedInputMicrosPerMillion: 400_000n,
      outputMicrosPerMillion: 400_000n,
    };
    const cost = computeCost(sheet, { inputTokens: 2, cachedInputTokens: 1, outputTokens: 1 });
    expect(cost.lines.map((l) => l.micros)).toEqual([0n, 0n, 0n]);
    expect(cost.picoUsd).toBe(1_200_000n);
    expect(cost.micros).toBe(1n);
    // Exactly half a micro-USD rounds up.
    expect(computeCost({ ...sheet, inputMicrosPerMillion: 500_000n }, { inputTokens: 1 }).micros).toBe(1n);
    expect(computeCost({ ...sheet, inputMicrosPerMillion: 499_999n }, { inputTokens: 1 }).micros).toBe(0n);
  });

  it('is exact for amounts a float would round (a billion tokens at $0.075/M)', () => {
    const sheet = { ...EMPTY_PRICE_SHEET, inputMicrosPerMillion: 75_000n, outputMicrosPerMillion: 1n };
    expect(computeCost(sheet, { inputTokens: 1_000_000_003, outputTokens: 1 }).picoUsd).toBe(
      75_000_000_225_001n,
    );
    expect(computeCost(sheet, { inputTokens: 1_000_000_003, outputTokens: 1 }).micros).toBe(75_000_000n);
  });

  it('bills cache reads and writes at the input price when the sheet has no price for them', () => {
    const sheet = {
      ...EMPTY_PRICE_SHEET,
      inputMicrosPerMillion: 2_000_000n,
      outputMicrosPerMillion: 8_000_000n,
    };
    const cost = computeCost(sheet, { inputTokens: 1_000, cachedInputTokens: 400, cacheWriteTokens: 100 });
    expect(cost.micros).toBe(2_000n);
    expect(cost.lines.find((l) => l.component === 'cached_input')?.unitMicros).toBe(2_000_000n);
  });

  it('bills reasoning tokens at the output price unless they have their own', () => {
    const sheet = {
      ...EMPTY_PRICE_SHEET,
      inputMicrosPerMillion: 400_000n,
      outputMicrosPerMillion: 1_200_000n,
    };
    const usage = { inputTokens: 0, outputTokens: 1_000, reasoningTokens: 800 };
    expect(computeCost(sheet, usage).micros).toBe(1_200n);
    const cost = computeCost({ ...sheet, reasoningMicrosPerMillion: 4_000_000n }, usage);
    // 200 answer tokens × 1.2 + 800 reasoning × 4 = 240 + 3 200
    expect(cost.micros).toBe(3_440n);
    expect(cost.lines.map((l) => [l.component, l.quantity])).toEqual([
      ['output', 200],
      ['reasoning', 800],
    ]);
  });

  it('switches every token to the long-context prices once the prompt exceeds the threshold', () => {
    const at = computeCost(claudeLike, { inputTokens: 200_000, outputTokens: 1_000 });
    expect(at.longContext).toBe(false);
    expect(at.micros).toBe(200_000n * 3n + 15_000n);
    const above = computeCost(claudeLike, {
      inputTokens: 200_001,
      cachedInputTokens: 100_000,
      outputTokens: 1_000,
    });
    expect(above.longContext).toBe(true);
    // 100 001 × 6 + 100 000 × 0.6 + 1 000 × 22.5 = 600 006 + 60 000 + 22 500
    expect(above.micros).toBe(682_506n);
  });

  it('never makes tokens free when reported parts exceed their total', () => {
    const cost = computeCost(claudeLike, {
      inputTokens: 100,
      cachedInputTokens: 150,
      outputTokens: 10,
      reasoningTokens: 20,
    });
    expect(cost.lines.map((l) => [l.component, l.quantity])).toEqual([
      ['cached_input', 150],
      ['reasoning', 20],
    ]);
    // 150 × 0.3 + 20 × 15 = 45 + 300
    expect(cost.micros).toBe(345n);
  });

  it('lists token kinds it cannot price instead of pricing them at zero silently', () => {
    const imageOnly: PriceSheet = {
      ...EMPTY_PRICE_SHEET,
      images: [{ size: '1024x1024', quality: 'standard', microsPerImage: 40_000n }],
    };
    const cost = computeCost(imageOnly, {
      inputTokens: 50,
      images: [{ size: '1024x1024', quality: 'standard', count: 2 }],
    });
    expect(cost.micros).toBe(80_000n);
    expect(cost.missing).toEqual(['input']);
  });

  it('refuses negative or fractional counts (an adapter bug)', () => {
    expect(() => computeCost(claudeLike, { inputTokens: -1 })).toThrow(RangeError);
    expect(() => computeCost(claudeLike, { outputTokens: 1.5 })).toThrow(/outputTokens/);
    expect(() => computeCost(claudeLike, { images: [{ size: 'a', quality: 'b', count: -2 }] })).toThrow(
      /images\[0\]/,
    );
  });
});

describe('computeCost: images, video, per request', () => {
  const media: PriceSheet = {
    ...EMPTY_PRICE_SHEET,
    images: [
      { size: '1024x1024', quality: 'standard', microsPerImage: 40_000n },
      { size: '1024x1024', quality: 'hd', microsPerImage: 80_000n },
    ],
    videoMicrosPerSecond: 100_000n,
    requestMicros: 5_000n,
  };

  it('prices each image by size and quality, video by the second, and a flat fee per request', () => {
    const cost = computeCost(media, {
      images: [
        { size: '1024x1024', quality: 'standard', count: 3 },
        { size: '1024x1024', quality: 'hd', count: 1 },
      ],
      videoSeconds: 8,
    });
    // 3 × 0.04 + 1 × 0.08 + 8 × 0.10 + 0.005 USD
    expect(cost.micros).toBe(120_000n + 80_000n + 800_000n + 5_000n);
    expect(cost.lines.map((l) => [l.component, l.quantity, l.detail ?? null, l.micros])).toEqual([
      ['image', 3, '1024x1024/standard', 120_000n],
      ['image', 1, '1024x1024/hd', 80_000n],
      ['video', 8, null, 800_000n],
      ['request', 1, null, 5_000n],
    ]);
  });

  it('names an image size/quality it has no price for, and leaves it out of the total', () => {
    const cost = computeCost(media, { images: [{ size: '1792x1024', quality: 'hd', count: 1 }] });
    expect(cost.missing).toEqual(['image:1792x1024/hd']);
    expect(cost.micros).toBe(5_000n);
  });

  it('falls back to the flat per-image price for a size/quality the list does not name', () => {
    const flat = { ...media, imageMicros: 50_000n, requestMicros: null };
    const cost = computeCost(flat, {
      images: [
        { size: 'auto', quality: 'auto', count: 2 },
        { size: '1024x1024', quality: 'hd', count: 1 },
      ],
    });
    expect(cost.missing).toEqual([]);
    expect(cost.micros).toBe(2n * 50_000n + 80_000n);
    expect(imageUnitPrice(flat, '1024x1024', 'standard')).toBe(40_000n);
    expect(imageUnitPrice(flat, '512x512', 'standard')).toBe(50_000n);
    expect(imageUnitPrice(media, '512x512', 'standard')).toBeNull();
  });

  it('charges the per-request fee per request counted, and none when the sheet has none', () => {
    expect(computeCost(media, { requests: 3 }).micros).toBe(15_000n);
    expect(computeCost(media, { requests: 0 }).micros).toBe(0n);
    const cost = computeCost({ ...media, requestMicros: null }, {});
    expect(cost.micros).toBe(0n);
    expect(cost.missing).toEqual([]);
  });

  it('reports video it cannot price', () => {
    expect(computeCost({ ...media, videoMicrosPerSecond: null }, { videoSeconds: 4 }).missing).toEqual([
      'video',
    ]);
  });
});

describe('computeCostTotal', () => {
  const price = fc.option(fc.bigInt({ min: 0n, max: 100_000_000n }), { nil: null });
  const sheet = fc.record({
    inputMicrosPerMillion: price,
    cachedInputMicrosPerMillion: price,
    cacheWriteMicrosPerMillion: price,
    outputMicrosPerMillion: price,
    reasoningMicrosPerMillion: price,
    imageMicros: price,
    videoMicrosPerSecond: price,
    requestMicros: price,
  });
  const tokens = fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: undefined });
  const usage = fc.record({
    inputTokens: tokens,
    cachedInputTokens: tokens,
    cacheWriteTokens: tokens,
    outputTokens: tokens,
    reasoningTokens: tokens,
    videoSeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
    images: fc.array(
      fc.record({
        size: fc.constantFrom('1024x1024', 'auto'),
        quality: fc.constantFrom('standard', 'hd'),
        count: fc.integer({ min: 0, max: 4 }),
      }),
      { maxLength: 2 },
    ),
  });

  it("is computeCost's total and says whether its missing list is empty, on any sheet and usage", () => {
    fc.assert(
      fc.property(sheet, usage, fc.boolean(), (prices, used, long) => {
        const s: PriceSheet = {
          ...EMPTY_PRICE_SHEET,
          ...prices,
          images: [{ size: '1024x1024', quality: 'hd', microsPerImage: 80_000n }],
          longContext: long ? (claudeLike.longContext as PriceSheet['longContext']) : null,
        };
        const full = computeCost(s, used);
        expect(computeCostTotal(s, used)).toEqual({
          micros: full.micros,
          incomplete: full.missing.length > 0,
        });
      }),
    );
  });

  it('refuses what computeCost refuses', () => {
    expect(() => computeCostTotal(claudeLike, { inputTokens: -1 })).toThrow(RangeError);
  });
});
