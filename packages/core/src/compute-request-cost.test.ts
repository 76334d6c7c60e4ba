import { describe, expect, it } from 'vitest';
import { computeRequestCost } from './compute-request-cost';
import type { PriceRecord } from './config-snapshot';
import { PriceIndex } from './price-index';

const price: PriceRecord = {
  providerId: 'prv_1',
  model: 'gpt',
  inputMicrosPerMillion: 2_500_000n, // $2.50 / M
  outputMicrosPerMillion: 10_000_000n, // $10 / M
  cachedInputMicrosPerMillion: 1_250_000n,
  effectiveFrom: 1000,
};

describe('computeRequestCost', () => {
  it('prices input, cached input and output tokens in integer micro-USD', () => {
    // 1000 uncached × 2.5 + 1000 cached × 1.25 + 500 out × 10 = 2500 + 1250 + 5000 micro-USD
    expect(computeRequestCost(price, { inputTokens: 2000, cachedInputTokens: 1000, outputTokens: 500 })).toBe(
      8750n,
    );
  });

  it('rounds half up once per request', () => {
    // 1 input token at 2.5 micro-USD/token... per million: 2.5 → 3
    expect(
      computeRequestCost(
        { ...price, inputMicrosPerMillion: 2_500_000n },
        { inputTokens: 1, cachedInputTokens: 0, outputTokens: 0 },
      ),
    ).toBe(3n);
    expect(
      computeRequestCost(
        { ...price, inputMicrosPerMillion: 2_400_000n },
        { inputTokens: 1, cachedInputTokens: 0, outputTokens: 0 },
      ),
    ).toBe(2n);
  });

  it('bills cached tokens at the input price when no cached price exists', () => {
    const noCache = { ...price, cachedInputMicrosPerMillion: null };
    expect(computeRequestCost(noCache, { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 0 })).toBe(
      2500n,
    );
  });
});

describe('PriceIndex', () => {
  it('returns the price in force at the request time', () => {
    const later = { ...price, inputMicrosPerMillion: 1n, effectiveFrom: 5000 };
    const index = new PriceIndex([later, price]);
    expect(index.find('prv_1', 'gpt', 999)).toBeUndefined();
    expect(index.find('prv_1', 'gpt', 1000)?.inputMicrosPerMillion).toBe(2_500_000n);
    expect(index.find('prv_1', 'gpt', 4999)?.inputMicrosPerMillion).toBe(2_500_000n);
    expect(index.find('prv_1', 'gpt', 5000)?.inputMicrosPerMillion).toBe(1n);
    expect(index.find('prv_1', 'other', 5000)).toBeUndefined();
  });
});
