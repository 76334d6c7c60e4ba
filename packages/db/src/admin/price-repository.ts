import type { CatalogIssue, PriceCatalogEntry, PriceSheet, Result } from '@switchyard/core';
import type { Prisma, PrismaClient } from '../client';
import { newId } from '../ids';
import type { AuditActor } from './admin-records';
import { AdminRepositoryError } from './admin-repository-error';
import { appendAuditLog } from './append-audit-log';
import {
  catalogEntryFromRow,
  importPriceEntries,
  lockPriceHistory,
  type PriceImportCounts,
  priceSheetColumns,
  priceSheetFromRow,
} from './price-rows';

/** One row of price history. Times are epoch ms. */
export interface AdminPrice {
  id: string;
  /** Set on a provider's own price; null on a catalog row. */
  providerId: string | null;
  /** The provider's name at read time (provider rows). */
  providerName: string | null;
  /** Catalog rows: the vendor the model id belongs to ("openai", "anthropic", …). */
  vendor: string | null;
  model: string;
  effectiveFrom: number;
  prices: PriceSheet;
  maxOutputTokens: number | null;
  notes: string | null;
  createdAt: number;
}

/** Exactly one of `providerId` and `vendor` is set. */
export interface NewPrice {
  providerId: string | null;
  vendor: string | null;
  model: string;
  effectiveFrom: number;
  prices: PriceSheet;
  maxOutputTokens: number | null;
  notes: string | null;
}

export interface PriceListFilter {
  providerId?: string;
  vendor?: string;
  model?: string;
  /** Only the row in force at this instant for each (provider or vendor, model); all history when absent. */
  inForceAt?: number;
}

export type DeletePriceOutcome = 'deleted' | 'not_found' | 'already_effective';

export interface PriceRepository {
  /** Ordered by provider or vendor, model, then newest effectiveFrom first. */
  list(filter: PriceListFilter): Promise<AdminPrice[]>;
  findById(id: string): Promise<AdminPrice | null>;
  /** Refused (conflict on `effectiveFrom`) when the same provider or vendor and model already has a row then. */
  create(input: NewPrice, actor: AuditActor): Promise<AdminPrice>;
  /** Only a row that has not taken effect by `now` may go: past rows are what past costs were computed with. */
  deleteFuture(id: string, now: number, actor: AuditActor): Promise<DeletePriceOutcome>;
  /** Every row as a catalog entry (provider rows named by provider name). */
  catalog(): Promise<PriceCatalogEntry[]>;
  /** All or nothing; see {@link importPriceEntries}. */
  import(entries: PriceCatalogEntry[], actor: AuditActor): Promise<Result<PriceImportCounts, CatalogIssue[]>>;
}

const withProvider = { provider: { select: { name: true } } } satisfies Prisma.PriceInclude;
type PriceRow = Prisma.PriceModel & { provider: { name: string } | null };

function toAdminPrice(row: PriceRow): AdminPrice {
  return {
    id: row.id,
    providerId: row.providerId,
    providerName: row.provider?.name ?? null,
    vendor: row.vendor,
    model: row.model,
    effectiveFrom: row.effectiveFrom.getTime(),
    prices: priceSheetFromRow(row),
    maxOutputTokens: row.maxOutputTokens,
    notes: row.notes,
    createdAt: row.createdAt.getTime(),
  };
}

/** Sentinel thrown inside an import transaction so that its issues roll the writes back. */
class ImportRejected extends Error {
  constructor(readonly issues: CatalogIssue[]) {
    super('price import rejected');
  }
}

export function createPriceRepository(prisma: PrismaClient): PriceRepository {
  return {
    async list({ providerId, vendor, model, inForceAt }) {
      const rows = await prisma.price.findMany({
        where: {
          ...(providerId === undefined ? {} : { providerId }),
          ...(vendor === undefined ? {} : { vendor }),
          ...(model === undefined ? {} : { model }),
          ...(inForceAt === undefined ? {} : { effectiveFrom: { lte: new Date(inForceAt) } }),
        },
        include: withProvider,
        orderBy: [{ vendor: 'asc' }, { providerId: 'asc' }, { model: 'asc' }, { effectiveFrom: 'desc' }],
      });
      if (inForceAt === undefined) return rows.map(toAdminPrice);
      // Newest first within each series, so the first row seen of a series is the one in force.
      const seen = new Set<string>();
      return rows.flatMap((row) => {
        const series = `${row.providerId ?? ''}\u0000${row.vendor ?? ''}\u0000${row.model}`;
        if (seen.has(series)) return [];
        seen.add(series);
        return [toAdminPrice(row)];
      });
    },

    async findById(id) {
      const row = await prisma.price.findUnique({ where: { id }, include: withProvider });
      return row ? toAdminPrice(row) : null;
    },

    async create(input, actor) {
      const id = newId('price');
      const row = await prisma.$transaction(async (tx) => {
        await lockPriceHistory(tx);
        if (input.providerId !== null) {
          const provider = await tx.provider.findUnique({ where: { id: input.providerId } });
          if (!provider) {
            throw new AdminRepositoryError('invalid_reference', 'providerId', 'No provider with this id.');
          }
        }
        const clash = await tx.price.findFirst({
          where: {
            providerId: input.providerId,
            vendor: input.providerId === null ? input.vendor : undefined,
            model: input.model,
            effectiveFrom: new Date(input.effectiveFrom),
          },
        });
        if (clash) {
          throw new AdminRepositoryError(
            'conflict',
            'effectiveFrom',
            'This model already has a price taking effect at this instant; pick another effectiveFrom.',
          );
        }
        const created = await tx.price.create({
          data: {
            id,
            providerId: input.providerId,
            vendor: input.providerId === null ? input.vendor : null,
            model: input.model,
            effectiveFrom: new Date(input.effectiveFrom),
            maxOutputTokens: input.maxOutputTokens,
            notes: input.notes,
            ...priceSheetColumns(input.prices),
          },
          include: withProvider,
        });
        await appendAuditLog(tx, actor, {
          action: 'price.create',
          targetType: 'price',
          targetId: id,
          details: {
            providerId: input.providerId,
            vendor: input.vendor,
            model: input.model,
            effectiveFrom: new Date(input.effectiveFrom).toISOString(),
          },
        });
        return created;
      });
      return toAdminPrice(row);
    },

    async deleteFuture(id, now, actor) {
      return prisma.$transaction(async (tx) => {
        await lockPriceHistory(tx);
        const row = await tx.price.findUnique({ where: { id } });
        if (!row) return 'not_found';
        if (row.effectiveFrom.getTime() <= now) return 'already_effective';
        await tx.price.delete({ where: { id } });
        await appendAuditLog(tx, actor, {
          action: 'price.delete',
          targetType: 'price',
          targetId: id,
          details: { model: row.model, effectiveFrom: row.effectiveFrom.toISOString() },
        });
        return 'deleted';
      });
    },

    async catalog() {
      const [rows, providers] = await Promise.all([
        prisma.price.findMany(),
        prisma.provider.findMany({ select: { id: true, name: true } }),
      ]);
      const names = new Map(providers.map((provider) => [provider.id, provider.name]));
      return rows.map((row) => catalogEntryFromRow(row, names));
    },

    async import(entries, actor) {
      try {
        return await prisma.$transaction(
          async (tx) => {
            const result = await importPriceEntries(tx, entries);
            if (!result.ok) throw new ImportRejected(result.error);
            await appendAuditLog(tx, actor, {
              action: 'price.import',
              targetType: 'price',
              targetId: null,
              details: { entries: entries.length, ...result.value },
            });
            return result;
          },
          { timeout: 60_000 },
        );
      } catch (error) {
        if (error instanceof ImportRejected) return { ok: false, error: error.issues };
        throw error;
      }
    },
  };
}
