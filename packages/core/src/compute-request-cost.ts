import type { PriceRecord } from './config-snapshot';

/** Token counts as reported by the upstream (or estimated). `cachedInputTokens` is part of `inputTokens`. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

const MILLION = 1_000_000n;

/**
 * Cost of one request in integer micro-USD: price × tokens / 1M, rounded half up once per request.
 * Cached input tokens are billed at the cached price when the catalog has one, else at the input price.
 */
export function computeRequestCost(price: PriceRecord, usage: TokenUsage): bigint {
  const cached = BigInt(Math.min(usage.cachedInputTokens, usage.inputTokens));
  const uncached = BigInt(usage.inputTokens) - cached;
  const cachedPrice = price.cachedInputMicrosPerMillion ?? price.inputMicrosPerMillion;
  const scaled =
    uncached * price.inputMicrosPerMillion +
    cached * cachedPrice +
    BigInt(usage.outputTokens) * price.outputMicrosPerMillion;
  return (scaled + MILLION / 2n) / MILLION;
}
