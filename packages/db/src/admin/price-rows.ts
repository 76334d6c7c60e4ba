import {
  type CatalogIssue,
  exportPriceCatalog,
  fail,
  type ImagePrice,
  type LongContextTier,
  ok,
  type PriceCatalogEntry,
  type PriceSheet,
  type Result,
  type TokenPrices,
} from '@switchyard/core';
import type { Prisma } from '../client';
import { newId } from '../ids';

/**
 * Key of the transaction-scoped advisory lock every price-history write takes, so two imports (or an import
 * and a single add) cannot both decide that the same (provider, model, effectiveFrom) row is missing: catalog
 * rows have a null provider id, which the table's unique index does not constrain.
 */
const PRICE_HISTORY_LOCK = 0x5357_5052; // "SWPR"

const TOKEN_COLUMNS = [
  ['input', 'inputMicrosPerMillion'],
  ['output', 'outputMicrosPerMillion'],
  ['cachedInput', 'cachedInputMicrosPerMillion'],
  ['cacheWrite', 'cacheWriteMicrosPerMillion'],
  ['reasoning', 'reasoningMicrosPerMillion'],
] as const satisfies readonly (readonly [string, keyof TokenPrices])[];

/** What a price row stores besides its identity, in the column shapes of `prices`. */
export function priceSheetColumns(prices: PriceSheet) {
  return {
    inputMicrosPerMillion: prices.inputMicrosPerMillion,
    outputMicrosPerMillion: prices.outputMicrosPerMillion,
    cachedInputMicrosPerMillion: prices.cachedInputMicrosPerMillion,
    cacheWriteMicrosPerMillion: prices.cacheWriteMicrosPerMillion,
    reasoningMicrosPerMillion: prices.reasoningMicrosPerMillion,
    // JSON columns hold micro-USD as strings (schema.prisma documents the shapes).
    longContext: prices.longContext === null ? undefined : longContextJson(prices.longContext),
    images: prices.images.map((image) => ({
      size: image.size,
      quality: image.quality,
      micros: image.microsPerImage.toString(),
    })),
    imageMicros: prices.imageMicros,
    videoMicrosPerSecond: prices.videoMicrosPerSecond,
    requestMicros: prices.requestMicros,
  } satisfies Partial<Prisma.PriceUncheckedCreateInput>;
}

function longContextJson(tier: LongContextTier): Prisma.InputJsonObject {
  const out: Record<string, string | number | null> = { aboveInputTokens: tier.aboveInputTokens };
  for (const [name, field] of TOKEN_COLUMNS) out[name] = tier[field]?.toString() ?? null;
  return out;
}

/** The columns of a stored price row that make its sheet. */
export type PriceSheetRow = Pick<
  Prisma.PriceModel,
  | 'inputMicrosPerMillion'
  | 'outputMicrosPerMillion'
  | 'cachedInputMicrosPerMillion'
  | 'cacheWriteMicrosPerMillion'
  | 'reasoningMicrosPerMillion'
  | 'longContext'
  | 'images'
  | 'imageMicros'
  | 'videoMicrosPerSecond'
  | 'requestMicros'
>;

/** A stored row's sheet. Rows are written through {@link priceSheetColumns}, so the JSON has its shapes. */
export function priceSheetFromRow(row: PriceSheetRow): PriceSheet {
  return {
    inputMicrosPerMillion: row.inputMicrosPerMillion,
    outputMicrosPerMillion: row.outputMicrosPerMillion,
    cachedInputMicrosPerMillion: row.cachedInputMicrosPerMillion,
    cacheWriteMicrosPerMillion: row.cacheWriteMicrosPerMillion,
    reasoningMicrosPerMillion: row.reasoningMicrosPerMillion,
    longContext: longContextFromJson(row.longContext),
    images: imagesFromJson(row.images),
    imageMicros: row.imageMicros,
    videoMicrosPerSecond: row.videoMicrosPerSecond,
    requestMicros: row.requestMicros,
  };
}

function micros(value: unknown): bigint | null {
  return typeof value === 'string' && /^\d+$/.test(value) ? BigInt(value) : null;
}

function longContextFromJson(json: Prisma.JsonValue): LongContextTier | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const above = json.aboveInputTokens;
  if (typeof above !== 'number') return null;
  const tier = { aboveInputTokens: above } as LongContextTier;
  for (const [name, field] of TOKEN_COLUMNS) tier[field] = micros(json[name]);
  return tier;
}

function imagesFromJson(json: Prisma.JsonValue): ImagePrice[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return [];
    const price = micros(item.micros);
    if (typeof item.size !== 'string' || typeof item.quality !== 'string' || price === null) return [];
    return [{ size: item.size, quality: item.quality, microsPerImage: price }];
  });
}

/** The catalog entry a row is, naming its provider by name (provider rows) or vendor (catalog rows). */
export function catalogEntryFromRow(
  row: Prisma.PriceModel,
  providerNames: ReadonlyMap<string, string>,
): PriceCatalogEntry {
  return {
    provider:
      row.providerId === null ? (row.vendor ?? '') : (providerNames.get(row.providerId) ?? row.providerId),
    model: row.model,
    effectiveFrom: row.effectiveFrom.getTime(),
    prices: priceSheetFromRow(row),
    maxOutputTokens: row.maxOutputTokens,
    notes: row.notes,
  };
}

/** Same amounts, caps and notes: what the interchange format would write for each, minus the identity. */
function samePriceContent(a: PriceCatalogEntry, b: PriceCatalogEntry): boolean {
  const body = (entry: PriceCatalogEntry) =>
    JSON.stringify(exportPriceCatalog([{ ...entry, provider: '', model: '', effectiveFrom: 0 }]));
  return body(a) === body(b);
}

export interface PriceImportCounts {
  /** Rows written. */
  created: number;
  /** Entries already stored with identical content (same provider, model, effectiveFrom and amounts). */
  skippedIdentical: number;
}

/**
 * Writes catalog entries as price rows inside the caller's transaction, all or nothing. An entry whose
 * `provider` is the name of a configured provider prices that provider's model; any other name is a vendor
 * and makes a catalog row. An entry already stored identically is skipped; one stored with different amounts
 * is an issue at its path, because a row in the history is never changed in place (a new row with a later
 * effectiveFrom supersedes it). With issues, nothing is written and the caller must roll back.
 */
export async function importPriceEntries(
  tx: Prisma.TransactionClient,
  entries: readonly PriceCatalogEntry[],
): Promise<Result<PriceImportCounts, CatalogIssue[]>> {
  await lockPriceHistory(tx);
  const providers = await tx.provider.findMany({ select: { id: true, name: true } });
  const idByName = new Map(providers.map((provider) => [provider.name, provider.id]));
  const nameById = new Map(providers.map((provider) => [provider.id, provider.name]));
  const models = [...new Set(entries.map((entry) => entry.model))];
  const existing = await tx.price.findMany({ where: { model: { in: models } } });
  const stored = new Map(
    existing.map((row) => [
      identity(row.providerId, row.vendor, row.model, row.effectiveFrom.getTime()),
      row,
    ]),
  );

  const issues: CatalogIssue[] = [];
  const toCreate: Prisma.PriceCreateManyInput[] = [];
  let skippedIdentical = 0;
  entries.forEach((entry, index) => {
    const providerId = idByName.get(entry.provider) ?? null;
    const vendor = providerId === null ? entry.provider : null;
    const row = stored.get(identity(providerId, vendor, entry.model, entry.effectiveFrom));
    if (row) {
      if (samePriceContent(catalogEntryFromRow(row, nameById), entry)) {
        skippedIdentical++;
      } else {
        issues.push({
          path: `[${index}]`,
          message: `${entry.provider}/${entry.model} already has a different price taking effect at ${new Date(entry.effectiveFrom).toISOString()}; history rows are never changed: use a later effectiveFrom`,
        });
      }
      return;
    }
    toCreate.push({
      id: newId('price'),
      providerId,
      vendor,
      model: entry.model,
      effectiveFrom: new Date(entry.effectiveFrom),
      maxOutputTokens: entry.maxOutputTokens,
      notes: entry.notes,
      ...priceSheetColumns(entry.prices),
    });
  });
  if (issues.length > 0) return fail(issues);
  if (toCreate.length > 0) await tx.price.createMany({ data: toCreate });
  return ok({ created: toCreate.length, skippedIdentical });
}

/** Locks the price history for the rest of the caller's transaction. */
export async function lockPriceHistory(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PRICE_HISTORY_LOCK}::bigint)`;
}

function identity(providerId: string | null, vendor: string | null, model: string, at: number): string {
  return `${providerId ?? ''}\u0000${providerId === null ? (vendor ?? '') : ''}\u0000${model}\u0000${at}`;
}
