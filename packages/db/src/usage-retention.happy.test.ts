import type { UsageEventRecord } from '@switchyard/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from './client';
import { buildUsageEvent, createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';
import { insertUsageEvents } from './usage-repository';
import { pruneUsageEvents, USAGE_RETENTION_LOCK } from './usage-retention';

const DAY = 86_400_000;
const NOW = Date.parse('2030-06-30T12:00:00.000Z');
const HORIZON = new Date(NOW - 30 * DAY);

function event(requestId: string, createdAt: number): UsageEventRecord {
  return buildUsageEvent({
    requestId,
    requestedModel: 'm',
    servedModel: 'm-upstream',
    latencyMs: 10,
    inputTokens: 5,
    outputTokens: 6,
    costMicros: 100n,
    createdAt,
  });
}

describe('pruneUsageEvents', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
    const old = Array.from({ length: 12 }, (_, i) => event(`req_old_${i}`, NOW - 45 * DAY + i * 60_000));
    const edge = [
      event('req_edge_before', HORIZON.getTime() - 1),
      event('req_edge_at', HORIZON.getTime()),
      event('req_new_1', NOW - DAY),
      event('req_new_2', NOW),
    ];
    await insertUsageEvents(prisma, [...old, ...edge]);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it('skips the run while another instance holds the retention lock', async () => {
    const holder = new pg.Client({ connectionString: db.databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [USAGE_RETENTION_LOCK]);
      const result = await pruneUsageEvents(db.databaseUrl, { olderThan: HORIZON, batchSize: 5 });
      expect(result).toEqual({ ran: false, deleted: 0, batches: 0 });
      expect(await prisma.usageEvent.count()).toBe(16);
    } finally {
      await holder.end();
    }
  });

  it('deletes only events older than the horizon, in batches, and keeps the rollups', async () => {
    const rollupsBefore = await prisma.usageRollupDaily.aggregate({ _sum: { requests: true } });
    let pauses = 0;
    const result = await pruneUsageEvents(db.databaseUrl, {
      olderThan: HORIZON,
      batchSize: 5,
      pause: async () => {
        pauses++;
      },
    });
    // 13 old rows at 5 per statement: 5 + 5 + 3, pausing between full batches.
    expect(result).toEqual({ ran: true, deleted: 13, batches: 3 });
    expect(pauses).toBe(2);
    const left = await prisma.usageEvent.findMany({
      select: { requestId: true },
      orderBy: { requestId: 'asc' },
    });
    expect(left.map((r) => r.requestId)).toEqual(['req_edge_at', 'req_new_1', 'req_new_2']);
    const rollupsAfter = await prisma.usageRollupDaily.aggregate({ _sum: { requests: true } });
    expect(rollupsBefore._sum.requests).toBe(16);
    expect(rollupsAfter._sum.requests).toBe(16);

    // The lock was released: a second run proceeds and finds nothing left to delete.
    expect(await pruneUsageEvents(db.databaseUrl, { olderThan: HORIZON, batchSize: 5 })).toEqual({
      ran: true,
      deleted: 0,
      batches: 1,
    });
  });
});
