import type { PriceRecord } from './config-snapshot';

/** Looks up the price in force for (provider, model) at a point in time. History is kept, so past costs reproduce. */
export class PriceIndex {
  private readonly byKey = new Map<string, PriceRecord[]>();

  constructor(prices: readonly PriceRecord[]) {
    for (const price of prices) {
      const key = `${price.providerId}\u0000${price.model}`;
      const list = this.byKey.get(key);
      if (list) list.push(price);
      else this.byKey.set(key, [price]);
    }
    // Newest first, so the first entry not in the future wins.
    for (const list of this.byKey.values()) list.sort((a, b) => b.effectiveFrom - a.effectiveFrom);
  }

  /** The price effective at `at` (epoch ms), or undefined when the catalog has none. */
  find(providerId: string, model: string, at: number): PriceRecord | undefined {
    const list = this.byKey.get(`${providerId}\u0000${model}`);
    if (!list) return undefined;
    for (const price of list) if (price.effectiveFrom <= at) return price;
    return undefined;
  }
}
