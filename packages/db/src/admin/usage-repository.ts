import type {
  AttemptRecord,
  TrafficClass,
  UsageEventRecord,
  UsageStatus,
  WireProtocol,
} from '@switchyard/core';
import type { Prisma, PrismaClient } from '../client';
import type { Page } from './admin-records';
import { type PageCursor, toPage } from './page-cursor';

export interface UsageEventFilter {
  keyId?: string;
  /** Matches the model the caller asked for or the model that served it. */
  model?: string;
  status?: UsageStatus;
  /** The protocol the caller spoke (the router's inbound surface). */
  surface?: WireProtocol;
  limit: number;
  cursor: PageCursor | null;
}

/** The request explorer's filters: each an exact match, all of them ANDed. */
export interface RequestSearchFilter {
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  requestId?: string;
  keyId?: string;
  teamId?: string;
  requestedModel?: string;
  servedModel?: string;
  /** The provider that served the request. */
  providerId?: string;
  status?: UsageStatus;
  trafficClass?: TrafficClass;
  errorClass?: string;
  surface?: WireProtocol;
  limit: number;
  cursor: PageCursor | null;
}

export interface UsageRepository {
  /** Newest first. */
  listEvents(filter: UsageEventFilter): Promise<Page<UsageEventRecord>>;
  /**
   * Newest first, by (createdAt, requestId) descending; the cursor continues after the last row of the previous
   * page (keyset paging: a deep page costs what the first does, and rows written meanwhile do not shift pages).
   * `timed_out` when PostgreSQL gave up after the search budget: filters whose combination matches almost nothing
   * make it walk the newest-first index through the whole window (docs/benchmarks.md); a time range bounds that.
   */
  searchRequests(filter: RequestSearchFilter): Promise<Page<UsageEventRecord> | 'timed_out'>;
  /** One request by id, or null. */
  findEvent(requestId: string): Promise<UsageEventRecord | null>;
}

/**
 * Rows strictly after `cursor` in (createdAt desc, requestId desc) order. The redundant `createdAt <= at` is what
 * PostgreSQL can use as an index bound; the OR alone would be a filter applied to every newer row first.
 */
function afterCursor(cursor: PageCursor): Prisma.UsageEventWhereInput {
  const at = new Date(cursor.at);
  return {
    createdAt: { lte: at },
    OR: [{ createdAt: { lt: at } }, { createdAt: at, requestId: { lt: cursor.id } }],
  };
}

const newestFirst: Prisma.UsageEventOrderByWithRelationInput[] = [
  { createdAt: 'desc' },
  { requestId: 'desc' },
];

function toUsageEventRecord(row: Prisma.UsageEventModel): UsageEventRecord {
  return {
    requestId: row.requestId,
    keyId: row.keyId,
    teamId: row.teamId,
    environment: row.environment,
    requestedModel: row.requestedModel,
    routeId: row.routeId,
    servedProviderId: row.servedProviderId,
    servedAccountId: row.servedAccountId,
    servedModel: row.servedModel,
    status: row.status,
    errorClass: row.errorClass,
    httpStatus: row.httpStatus,
    latencyMs: row.latencyMs,
    ttftMs: row.ttftMs,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cachedInputTokens: row.cachedInputTokens,
    reasoningTokens: row.reasoningTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    costMicros: row.costMicros,
    costEstimated: row.costEstimated,
    unpriced: row.unpriced,
    ownerId: row.ownerId,
    tags: row.tags,
    endUser: row.endUser,
    // The router is the only writer and stores string pairs only.
    metadata: row.metadata as Record<string, string> | null,
    stream: row.stream,
    // The router is the only writer and stores WireProtocol values only.
    surface: row.surface as WireProtocol | null,
    upstreamProtocol: row.upstreamProtocol as WireProtocol | null,
    // The router is the only writer and stores TrafficClass values only.
    trafficClass: row.trafficClass as TrafficClass | null,
    // The router is the only writer and always stores this shape.
    attempts: row.attempts as unknown as AttemptRecord[],
    createdAt: row.createdAt.getTime(),
  };
}

const position = (row: Prisma.UsageEventModel): PageCursor => ({
  at: row.createdAt.getTime(),
  id: row.requestId,
});

export interface UsageRepositoryOptions {
  /** How long one explorer search may run before PostgreSQL cancels it (statement_timeout, ms). */
  searchTimeoutMs?: number;
}

/** A search that outlives this holds a database connection and a core for nothing an operator waits for. */
const DEFAULT_SEARCH_TIMEOUT_MS = 5_000;

/** PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout, as Prisma's driver adapter reports it. */
function isStatementTimeout(error: unknown): boolean {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)
    ?.meta;
  return meta?.driverAdapterError?.cause?.originalCode === '57014';
}

export function createUsageRepository(
  prisma: PrismaClient,
  { searchTimeoutMs = DEFAULT_SEARCH_TIMEOUT_MS }: UsageRepositoryOptions = {},
): UsageRepository {
  return {
    async listEvents({ keyId, model, status, surface, limit, cursor }) {
      const where: Prisma.UsageEventWhereInput[] = [];
      if (keyId !== undefined) where.push({ keyId });
      if (model !== undefined) where.push({ OR: [{ requestedModel: model }, { servedModel: model }] });
      if (status !== undefined) where.push({ status });
      if (surface !== undefined) where.push({ surface });
      if (cursor) where.push(afterCursor(cursor));
      const rows = await prisma.usageEvent.findMany({
        where: { AND: where },
        orderBy: newestFirst,
        take: limit + 1,
      });
      return toPage(rows, limit, position, toUsageEventRecord);
    },
    async searchRequests(filter) {
      const createdAt: Prisma.DateTimeFilter<'UsageEvent'> = {};
      if (filter.from !== undefined) createdAt.gte = new Date(filter.from);
      if (filter.to !== undefined) createdAt.lt = new Date(filter.to);
      const where: Prisma.UsageEventWhereInput[] = [
        {
          createdAt,
          requestId: filter.requestId,
          keyId: filter.keyId,
          teamId: filter.teamId,
          requestedModel: filter.requestedModel,
          servedModel: filter.servedModel,
          servedProviderId: filter.providerId,
          status: filter.status,
          trafficClass: filter.trafficClass,
          errorClass: filter.errorClass,
          surface: filter.surface,
        },
      ];
      if (filter.cursor) where.push(afterCursor(filter.cursor));
      const query = { where: { AND: where }, orderBy: newestFirst, take: filter.limit + 1 };
      try {
        const rows = await prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(
            `SET LOCAL statement_timeout = ${Math.max(1, Math.round(searchTimeoutMs))}`,
          );
          return tx.usageEvent.findMany(query);
        });
        return toPage(rows, filter.limit, position, toUsageEventRecord);
      } catch (error) {
        if (isStatementTimeout(error)) return 'timed_out';
        throw error;
      }
    },
    async findEvent(requestId) {
      const row = await prisma.usageEvent.findUnique({ where: { requestId } });
      return row === null ? null : toUsageEventRecord(row);
    },
  };
}
