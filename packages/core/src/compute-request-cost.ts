import { computeCost } from './compute-cost';
import type { PriceRecord } from './config-snapshot';
import { priceSheetFromRecord } from './price-sheet';

/** Token counts as reported by the upstream (or estimated). `cachedInputTokens` is part of `inputTokens`. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

/**
 * Cost of one request in integer micro-USD: price × tokens / 1M, rounded half up once per request.
 * Cached input tokens are billed at the cached price when the catalog has one, else at the input price.
 * Kept for the snapshot's three-price {@link PriceRecord}; it delegates to {@link computeCost}, clamping
 * cached tokens to the input as it always has.
 */
export function computeRequestCost(price: PriceRecord, usage: TokenUsage): bigint {
  return computeCost(priceSheetFromRecord(price), {
    inputTokens: usage.inputTokens,
    cachedInputTokens: Math.min(usage.cachedInputTokens, usage.inputTokens),
    outputTokens: usage.outputTokens,
  }).micros;
}
