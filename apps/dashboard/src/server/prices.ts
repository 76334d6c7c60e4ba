import {
  type CatalogIssue,
  exportPriceCatalog,
  type PriceCatalogJsonEntry,
  parsePriceCatalog,
} from '@switchyard/core';
import type { AdminPrice } from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor, requireWriter } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso } from './iso-time';

export const listPricesQuery = z.object({
  providerId: z.string().min(1).optional(),
  vendor: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  /** `true`: every row, past and scheduled; default: only the row in force now for each model. */
  history: z.enum(['true', 'false']).default('false'),
});

/**
 * A new price row: the interchange format's fields (decimal USD strings, per million tokens) for one entry,
 * with `providerId` (a configured provider's own price) or `vendor` (a catalog row) instead of `provider`.
 * The amounts are validated by core's catalog parser, so the API and imports accept exactly the same sheets.
 */
export const createPriceInput = z
  .object({
    providerId: z.string().min(1).nullable().default(null),
    vendor: z.string().trim().min(1).max(200).nullable().default(null),
  })
  .catchall(z.unknown())
  .superRefine((value, ctx) => {
    if ((value.providerId === null) === (value.vendor === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['providerId'],
        message: 'set exactly one of providerId (a provider’s own price) and vendor (a catalog row)',
      });
    }
  });

export type ListPricesQuery = z.infer<typeof listPricesQuery>;
export type CreatePriceInput = z.infer<typeof createPriceInput>;

/** Where a row stands at read time: the one used now, an older one it replaced, or one not yet in force. */
export type PriceStatus = 'in_force' | 'superseded' | 'scheduled';

/**
 * One price row as the API shows it: the interchange format's fields (amounts as decimal USD strings, token
 * prices per million) plus its identity and status. `provider` is the provider's name or the vendor.
 */
export type PriceView = PriceCatalogJsonEntry & {
  id: string;
  providerId: string | null;
  providerName: string | null;
  vendor: string | null;
  status: PriceStatus;
  createdAt: string;
};

function toPriceView(price: AdminPrice, status: PriceStatus): PriceView {
  const [json] = exportPriceCatalog([
    {
      provider: price.providerName ?? price.vendor ?? price.providerId ?? '',
      model: price.model,
      effectiveFrom: price.effectiveFrom,
      prices: price.prices,
      maxOutputTokens: price.maxOutputTokens,
      notes: price.notes,
    },
  ]);
  return {
    id: price.id,
    providerId: price.providerId,
    providerName: price.providerName,
    vendor: price.vendor,
    status,
    createdAt: iso(price.createdAt),
    ...(json as PriceCatalogJsonEntry),
  };
}

function seriesOf(price: AdminPrice): string {
  return `${price.providerId ?? ''}\u0000${price.vendor ?? ''}\u0000${price.model}`;
}

/** Statuses of a set of rows; the repository lists each series newest first. */
function withStatuses(prices: AdminPrice[], now: number): PriceView[] {
  const inForce = new Set<string>();
  return prices.map((price) => {
    if (price.effectiveFrom > now) return toPriceView(price, 'scheduled');
    const series = seriesOf(price);
    if (inForce.has(series)) return toPriceView(price, 'superseded');
    inForce.add(series);
    return toPriceView(price, 'in_force');
  });
}

export async function listPrices(
  ctx: AdminContext,
  _actor: Actor,
  query: ListPricesQuery,
): Promise<{ items: PriceView[] }> {
  const now = ctx.now().getTime();
  const filter = { providerId: query.providerId, vendor: query.vendor, model: query.model };
  if (query.history === 'true') {
    return { items: withStatuses(await ctx.repos.prices.list(filter), now) };
  }
  const current = await ctx.repos.prices.list({ ...filter, inForceAt: now });
  return { items: current.map((price) => toPriceView(price, 'in_force')) };
}

/** Turns catalog issues into the admin error: the first names the field, all are listed. */
function catalogError(issues: readonly CatalogIssue[], stripIndex: boolean): AdminError {
  const shown = stripIndex
    ? issues.map((issue) => ({ path: issue.path.replace(/^\[0\]\.?/, '') || 'body', message: issue.message }))
    : issues;
  const first = shown[0] ?? { path: 'body', message: 'is invalid' };
  const more = shown.length > 1 ? ` (and ${shown.length - 1} more)` : '';
  return new AdminError('invalid_request', `${first.path}: ${first.message}${more}`, first.path, shown);
}

/**
 * Adds a row to the history. Nothing is ever updated in place: a row with a later effectiveFrom supersedes
 * the one before it from that instant, so costs already computed stay reproducible.
 */
export async function createPrice(
  ctx: AdminContext,
  actor: Actor,
  input: CreatePriceInput,
): Promise<PriceView> {
  requireWriter(actor);
  const { providerId, vendor, ...entry } = input;
  let providerName: string | null = null;
  if (providerId !== null) {
    const provider = await ctx.repos.providers.findById(providerId);
    if (!provider)
      throw new AdminError('invalid_request', 'providerId: no provider with this id', 'providerId');
    providerName = provider.name;
  }
  const parsed = parsePriceCatalog([{ ...entry, provider: providerName ?? vendor }]);
  if (!parsed.ok) throw catalogError(parsed.error, true);
  const [sheet] = parsed.value;
  if (!sheet) throw new AdminError('invalid_request', 'body: is empty', 'body');
  const price = await ctx.repos.prices.create(
    {
      providerId,
      vendor,
      model: sheet.model,
      effectiveFrom: sheet.effectiveFrom,
      prices: sheet.prices,
      maxOutputTokens: sheet.maxOutputTokens,
      notes: sheet.notes,
    },
    auditActor(actor),
  );
  return toPriceView(price, price.effectiveFrom > ctx.now().getTime() ? 'scheduled' : 'in_force');
}

/** Only a row that has not taken effect yet may be deleted: past rows priced real requests. */
export async function deletePrice(ctx: AdminContext, actor: Actor, id: string): Promise<void> {
  requireWriter(actor);
  const outcome = await ctx.repos.prices.deleteFuture(id, ctx.now().getTime(), auditActor(actor));
  if (outcome === 'not_found') throw new AdminError('not_found', `No price with id ${id}.`);
  if (outcome === 'already_effective') {
    throw new AdminError(
      'conflict',
      'effectiveFrom: this price is already in force or superseded; only a future-dated price can be deleted. Add a new row to change the price from now on.',
      'effectiveFrom',
    );
  }
}

/** The whole history in the interchange format (core's export): what `importPrices` reads back. */
export async function exportPrices(ctx: AdminContext, _actor: Actor): Promise<PriceCatalogJsonEntry[]> {
  return exportPriceCatalog(await ctx.repos.prices.catalog());
}

/**
 * Imports a catalog file, all or nothing: core's parser checks every entry, then entries already stored
 * identically are skipped and the rest written in one transaction. Any issue (a malformed entry, or one
 * that would change a stored row) answers 400 with every issue and its JSON path, and writes nothing.
 */
export async function importPrices(
  ctx: AdminContext,
  actor: Actor,
  body: unknown,
): Promise<{ created: number; skippedIdentical: number }> {
  requireWriter(actor);
  const parsed = parsePriceCatalog(body);
  if (!parsed.ok) throw catalogError(parsed.error, false);
  const result = await ctx.repos.prices.import(parsed.value, auditActor(actor));
  if (!result.ok) throw catalogError(result.error, false);
  return result.value;
}
