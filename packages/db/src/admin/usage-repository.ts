import type { AttemptRecord, UsageEventRecord, UsageStatus, WireProtocol } from '@switchyard/core';
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

export interface UsageRepository {
  /** Newest first. */
  listEvents(filter: UsageEventFilter): Promise<Page<UsageEventRecord>>;
}

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
    // The router is the only writer and always stores this shape.
    attempts: row.attempts as unknown as AttemptRecord[],
    createdAt: row.createdAt.getTime(),
  };
}

export function createUsageRepository(prisma: PrismaClient): UsageRepository {
  return {
    async listEvents({ keyId, model, status, surface, limit, cursor }) {
      const where: Prisma.UsageEventWhereInput[] = [];
      if (keyId !== undefined) where.push({ keyId });
      if (model !== undefined) where.push({ OR: [{ requestedModel: model }, { servedModel: model }] });
      if (status !== undefined) where.push({ status });
      if (surface !== undefined) where.push({ surface });
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
  };
}
