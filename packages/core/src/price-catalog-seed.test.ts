import { describe, expect, it } from 'vitest';
import { computeCost } from './compute-cost';
import { exportPriceCatalog, parsePriceCatalog } from './price-catalog';
import { CATALOG_SOURCE_DATE, PRICE_CATALOG_SEED, seedPriceCatalog } from './price-catalog-seed';

describe('price catalog seed', () => {
  const seed = seedPriceCatalog();
  const find = (provider: string, model: string) => {
    const entry = seed.find((e) => e.provider === provider && e.model === model);
    if (!entry) throw new Error(`${provider}/${model} missing from the seed`);
    return entry;
  };

  it('is a valid catalog in the import format', () => {
    expect(parsePriceCatalog(JSON.parse(JSON.stringify(PRICE_CATALOG_SEED))).ok).toBe(true);
  });

  it('covers the main models of the five providers', () => {
    const models = seed.map((e) => `${e.provider}/${e.model}`);
    for (const expected of [
      'openai/gpt-4o',
      'openai/gpt-4o-mini',
      'openai/gpt-4.1',
      'openai/gpt-4.1-mini',
      'openai/o3',
      'openai/o4-mini',
      'anthropic/claude-opus-4-5',
      'anthropic/claude-sonnet-4-5',
      'anthropic/claude-haiku-4-5',
      'google/gemini-2.5-pro',
      'google/gemini-2.5-flash',
      'deepseek/deepseek-chat',
      'deepseek/deepseek-reasoner',
      'qwen/qwen-max',
      'qwen/qwen-plus',
      'qwen/qwen-turbo',
    ]) {
      expect(models).toContain(expected);
    }
  });

  it('takes effect on the source date, and every entry has an output cap and a note on how it was checked', () => {
    expect(CATALOG_SOURCE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const entry of seed) {
      expect(entry.effectiveFrom).toBe(Date.parse(`${CATALOG_SOURCE_DATE}T00:00:00Z`));
      expect(entry.maxOutputTokens).toBeGreaterThan(0);
      expect(entry.notes?.length).toBeGreaterThan(0);
      expect(entry.prices.inputMicrosPerMillion).not.toBeNull();
      expect(entry.prices.outputMicrosPerMillion).not.toBeNull();
    }
  });

  it('holds the list prices it claims (spot checks)', () => {
    expect(find('openai', 'gpt-4o').prices.inputMicrosPerMillion).toBe(2_500_000n);
    expect(find('openai', 'gpt-4o-mini').prices.cachedInputMicrosPerMillion).toBe(75_000n);
    expect(find('openai', 'o3').prices.outputMicrosPerMillion).toBe(8_000_000n);
    expect(find('anthropic', 'claude-opus-4-5').prices.cacheWriteMicrosPerMillion).toBe(6_250_000n);
    expect(find('anthropic', 'claude-sonnet-4-5').prices.longContext?.aboveInputTokens).toBe(200_000);
    expect(find('google', 'gemini-2.5-pro').prices.longContext?.outputMicrosPerMillion).toBe(15_000_000n);
    expect(find('deepseek', 'deepseek-chat').prices.cachedInputMicrosPerMillion).toBe(28_000n);
    expect(find('qwen', 'qwen-turbo').prices.inputMicrosPerMillion).toBe(50_000n);
  });

  it('prices a typical request on every seeded model without missing components', () => {
    for (const entry of seed) {
      const cost = computeCost(entry.prices, {
        inputTokens: 1_000,
        cachedInputTokens: 200,
        outputTokens: 500,
      });
      expect(cost.missing, `${entry.provider}/${entry.model}`).toEqual([]);
      expect(cost.micros).toBeGreaterThan(0n);
    }
    // gpt-4o: 800 × 2.5 + 200 × 1.25 + 500 × 10 = 2000 + 250 + 5000
    expect(
      computeCost(find('openai', 'gpt-4o').prices, {
        inputTokens: 1_000,
        cachedInputTokens: 200,
        outputTokens: 500,
      }).micros,
    ).toBe(7_250n);
  });

  it('has one entry per provider and model', () => {
    const keys = seed.map((e) => `${e.provider}/${e.model}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('exports back to its own source form', () => {
    const exported = exportPriceCatalog(seed);
    expect(exported).toHaveLength(PRICE_CATALOG_SEED.length);
    expect(exported.find((e) => e.model === 'o4-mini')).toMatchObject({
      input: '1.10',
      cachedInput: '0.275',
      output: '4.40',
    });
  });
});
