import type { AttemptRecord, UsageEventRecord, UsageStatus } from '@switchyard/core';
import type { Prisma, PrismaClient } from '../client';
import type { HourlyUsageBucket, Page } from './admin-records';
import { type PageCursor, toPage } from './page-cursor';

export interface UsageEventFilter {
  keyId?: string;
  /** Matches the model the caller asked for or the model that served it. */
  model?: string;
  status?: UsageStatus;
  limit: number;
  cursor: PageCursor | null;
}

export interface UsageRepository {
  /** Newest first. */
  listEvents(filter: UsageEventFilter): Promise<Page<UsageEventRecord>>;
  /** One bucket per UTC hour for the last `hours` hours including the current one, oldest first, gaps as zeros. */
  hourlySeries(hours: number): Promise<HourlyUsageBucket[]>;
}

const HOUR_MS = 3_600_000;

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
    costMicros: row.costMicros,
    stream: row.stream,
    // The router is the only writer and always stores this shape.
    attempts: row.attempts as unknown as AttemptRecord[],
    createdAt: row.createdAt.getTime(),
  };
}

export function createUsageRepository(prisma: PrismaClient, now: () => Date): UsageRepository {
  return {
    async listEvents({ keyId, model, status, limit, cursor }) {
      const where: Prisma.UsageEventWhereInput[] = [];
      if (keyId !== undefined) where.push({ keyId });
      if (model !== undefined) where.push({ OR: [{ requestedModel: model }, { servedModel: model }] });
      if (status !== undefined) where.push({ status });
      if (cursor) {
        const at = new Date(cursor.at);
        where.push({ OR: [{ createdAt: { lt: at } }, { createdAt: at, requestId: { lt: cursor.id } }] });
      }
      const rows = await prisma.usageEvent.findMany({
        where: { AND: where },
        orderBy: [{ createdAt: 'desc' }, { requestId: 'desc' }],
        take: limit + 1,
      });
      return toPage(
        rows,
        limit,
        (row) => ({ at: row.createdAt.getTime(), id: row.requestId }),
        toUsageEventRecord,
      );
    },

    async hourlySeries(hours) {
      const currentHour = Math.floor(now().getTime() / HOUR_MS) * HOUR_MS;
      const from = new Date(currentHour - (hours - 1) * HOUR_MS);
      const to = new Date(currentHour);
      // Aggregates with date_trunc in UTC, then joins a generated series so empty hours read as zero.
      const rows = await prisma.$queryRaw<
        { hour: Date; requests: number; errors: number; cost_micros: bigint }[]
      >`
        WITH buckets AS (
          SELECT generate_series(${from}::timestamptz, ${to}::timestamptz, interval '1 hour') AS hour
        ), totals AS (
          SELECT date_trunc('hour', created_at, 'UTC') AS hour,
                 count(*) AS requests,
                 count(*) FILTER (WHERE status <> 'success') AS errors,
                 sum(cost_micros) AS cost_micros
          FROM usage_events
          WHERE created_at >= ${from}::timestamptz
          GROUP BY 1
        )
        SELECT b.hour,
               coalesce(t.requests, 0)::int AS requests,
               coalesce(t.errors, 0)::int AS errors,
               coalesce(t.cost_micros, 0)::bigint AS cost_micros
        FROM buckets b
        LEFT JOIN totals t ON t.hour = b.hour
        ORDER BY b.hour`;
      return rows.map((row) => ({
        hourStart: row.hour.getTime(),
        requests: row.requests,
        errors: row.errors,
        costMicros: BigInt(row.cost_micros),
      }));
    },
  };
}
