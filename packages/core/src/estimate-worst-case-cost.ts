import { imageUnitPrice } from './compute-cost';
import type { PriceSheet, TokenPrices } from './price-sheet';
import { divideCeil } from './usd-micros';

const MILLION = 1_000_000n;

/**
 * The most a request can cost, in integer micro-USD, for the budget reservation made before forwarding.
 * Every prompt token is priced at the dearest prompt rate the sheet has (a cache write can cost more than
 * plain input; a cache read never costs more), every output token at the dearest completion rate (reasoning
 * may be priced above output), the long-context tier applies when the estimate crosses its threshold, and
 * the per-request fee is added. The result is rounded **up**: a reservation may over-hold a fraction of a
 * micro-USD but never under-hold, which is what keeps concurrent requests inside a hard budget.
 *
 * Images and video are not token-bounded; a caller reserving for them adds their price itself. A token price
 * the sheet lacks contributes nothing (the request is then `unpriced`, which route policy handles).
 *
 * A request asking for several choices (`n`) is billed the prompt once and each choice's output: the output
 * bound counts `choices` times.
 *
 * @param inputTokensEstimate an upper bound on the prompt tokens, see `promptTokenUpperBound`.
 * @param maxOutputTokens the output bound of one choice: see {@link resolveOutputTokenBound}.
 * @param choices how many choices the request asks for (its `n`, 1 when unset).
 */
export function estimateWorstCaseCost(
  price: PriceSheet,
  inputTokensEstimate: number,
  maxOutputTokens: number,
  choices: number,
): bigint {
  // Two calls, not a loop over [name, value] pairs: that built three arrays on every budgeted request.
  checkCount('inputTokensEstimate', inputTokensEstimate);
  checkCount('maxOutputTokens', maxOutputTokens);
  if (!Number.isSafeInteger(choices) || choices < 1) {
    throw new RangeError(`estimateWorstCaseCost: choices must be a positive integer; got ${choices}.`);
  }
  const tier = price.longContext;
  const prices: TokenPrices = tier !== null && inputTokensEstimate > tier.aboveInputTokens ? tier : price;
  const inputRate = max(prices.inputMicrosPerMillion, prices.cacheWriteMicrosPerMillion);
  const outputRate = max(prices.outputMicrosPerMillion, prices.reasoningMicrosPerMillion);
  const outputTokens = BigInt(maxOutputTokens) * BigInt(choices);
  const tokenPico = BigInt(inputTokensEstimate) * inputRate + outputTokens * outputRate;
  return divideCeil(tokenPico, MILLION) + (price.requestMicros ?? 0n);
}

/**
 * The output-token bound for a worst-case estimate: the request's `max_tokens` (or
 * `max_completion_tokens`/`max_output_tokens`) when set, capped by the model's own output limit when the
 * catalog knows it; without either, `fallback` (a configured default), because an unbounded reservation
 * would refuse every request and a zero one would let a hard budget be overrun.
 */
export function resolveOutputTokenBound(
  requestMaxTokens: number | null | undefined,
  modelOutputCap: number | null | undefined,
  fallback: number,
): number {
  const request = requestMaxTokens ?? null;
  const cap = modelOutputCap ?? null;
  if (request !== null && cap !== null) return Math.min(request, cap);
  return request ?? cap ?? fallback;
}

function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`estimateWorstCaseCost: ${name} must be a non-negative integer; got ${value}.`);
  }
}

function max(a: bigint | null, b: bigint | null): bigint {
  const x = a ?? 0n;
  const y = b ?? 0n;
  return x > y ? x : y;
}

/**
 * The most one generated image can cost, in micro-USD, for the budget reservation of an images request: the
 * sheet's price for exactly the asked size and quality when it has one (the upstream generates what was asked),
 * else the dearest image price the sheet has (a size or quality left to the upstream, `auto`, may resolve to
 * any of them), so a reservation never under-holds. 0 when the sheet prices no image (the request is then
 * `unpriced` or token-priced, which the token part of the estimate covers).
 */
export function worstCaseImagePrice(price: PriceSheet, size: string, quality: string): bigint {
  if (price.images.some((p) => p.size === size && p.quality === quality)) {
    return imageUnitPrice(price, size, quality) ?? 0n;
  }
  let worst = price.imageMicros ?? 0n;
  for (const image of price.images) if (image.microsPerImage > worst) worst = image.microsPerImage;
  return worst;
}
