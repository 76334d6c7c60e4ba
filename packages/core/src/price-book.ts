import type { PriceRecord, ProviderKind } from './config-snapshot';

/**
 * The catalog vendor whose rows a provider of each kind prefers when several vendors price the same model
 * id. `openai_compatible` serves anyone's models, so it has no preference.
 */
export const CATALOG_VENDOR_OF_KIND: Readonly<Partial<Record<ProviderKind, string>>> = Object.freeze({
  openai: 'openai',
  // Azure OpenAI serves OpenAI's models (a target's upstream model is the deployment name).
  azure_openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
});

/** The provider a price is looked up for. */
export interface PricedProvider {
  id: string;
  kind: ProviderKind;
}

/**
 * Finds the price sheet in force for a provider's upstream model at a point in time, from the snapshot's
 * price history. Resolution, first match wins:
 * 1. the provider's own row for (provider id, model) with the latest `effectiveFrom` ≤ `at`;
 * 2. a catalog row (`providerId` null) for the model id in force at `at`: when several vendors price it,
 *    the vendor matching the provider's kind ({@link CATALOG_VENDOR_OF_KIND}), else the first by vendor
 *    name.
 * A provider row that only takes effect later does not hide a catalog row in force now. History is kept,
 * so re-pricing a past request with its own time gives the price it was billed at.
 */
export class PriceBook {
  /** provider id → model → rows, newest first (nested, so a lookup builds no composite key). */
  private readonly own = new Map<string, Map<string, PriceRecord[]>>();
  /** model → vendor → rows, newest first; vendors sorted by name. */
  private readonly catalog = new Map<string, Map<string, PriceRecord[]>>();

  constructor(prices: readonly PriceRecord[]) {
    for (const price of prices) {
      if (price.providerId !== null) {
        let models = this.own.get(price.providerId);
        if (!models) {
          models = new Map();
          this.own.set(price.providerId, models);
        }
        push(models, price.model, price);
        continue;
      }
      let vendors = this.catalog.get(price.model);
      if (!vendors) {
        vendors = new Map();
        this.catalog.set(price.model, vendors);
      }
      push(vendors, price.vendor ?? '', price);
    }
    for (const models of this.own.values()) for (const list of models.values()) list.sort(newestFirst);
    for (const [model, vendors] of this.catalog) {
      for (const list of vendors.values()) list.sort(newestFirst);
      this.catalog.set(model, new Map([...vendors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
    }
  }

  /** The row in force for `model` at `provider` at `at` (epoch ms), or undefined when nothing prices it. */
  resolve(provider: PricedProvider, model: string, at: number): PriceRecord | undefined {
    const own = inForce(this.own.get(provider.id)?.get(model), at);
    if (own) return own;
    const vendors = this.catalog.get(model);
    if (!vendors) return undefined;
    const preferred = CATALOG_VENDOR_OF_KIND[provider.kind];
    if (preferred !== undefined) {
      const row = inForce(vendors.get(preferred), at);
      if (row) return row;
    }
    for (const list of vendors.values()) {
      const row = inForce(list, at);
      if (row) return row;
    }
    return undefined;
  }
}

/**
 * What failover compares to decide whether a target is costlier than the primary: its per-million input
 * plus output price (a token type it does not sell counts as 0).
 */
export function comparablePriceMicros(price: PriceRecord): bigint {
  return (price.sheet.inputMicrosPerMillion ?? 0n) + (price.sheet.outputMicrosPerMillion ?? 0n);
}

function inForce(list: readonly PriceRecord[] | undefined, at: number): PriceRecord | undefined {
  if (!list) return undefined;
  for (const price of list) if (price.effectiveFrom <= at) return price;
  return undefined;
}

function push<K>(map: Map<K, PriceRecord[]>, key: K, price: PriceRecord): void {
  const list = map.get(key);
  if (list) list.push(price);
  else map.set(key, [price]);
}

function newestFirst(a: PriceRecord, b: PriceRecord): number {
  return b.effectiveFrom - a.effectiveFrom;
}
