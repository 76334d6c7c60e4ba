import { computeCostTotal, type PriceBook, type ResolvedTarget, type TokenUsage } from '@switchyard/core';

/** The cost fields of a usage event. */
export interface PricedUsage {
  costMicros: bigint;
  /** No price was in force for the served model, or the sheet lacks a price for a part it used. */
  unpriced: boolean;
}

const FREE: PricedUsage = { costMicros: 0n, unpriced: false };

/**
 * Prices what a request used with the sheet in force for the served target at the request's arrival time
 * (core computeCostTotal: computeCost's exact total, rounded once, without its lines). Without a price the cost is 0 and the row is `unpriced`; a sheet
 * that prices only some of the parts used bills those and is flagged too.
 */
export function priceUsage(
  book: PriceBook,
  served: ResolvedTarget | null,
  usage: TokenUsage | null,
  at: number,
): PricedUsage {
  if (!served || !usage) return FREE;
  const price = book.resolve(served.provider, served.target.upstreamModel, at);
  if (!price) return { costMicros: 0n, unpriced: true };
  // TokenUsage is a BillableUsage: the same fields, an omitted part counting as 0. Settled usage is always
  // non-negative integers (core settleUsage), so computeCostTotal has nothing to refuse; should it ever, the row is
  // still written, unpriced, rather than the request left unsettled.
  try {
    const cost = computeCostTotal(price.sheet, usage);
    return { costMicros: cost.micros, unpriced: cost.incomplete };
  } catch {
    return { costMicros: 0n, unpriced: true };
  }
}
