import { rollupEvents, type UsageEventRecord, type UsageStatus } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from './client';
import { createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';
import {
  createUsageBatchWriter,
  encodeUsageBatch,
  serializeUsageEvent,
  type UsageBatchWriter,
} from './usage-repository';

const T0 = Date.parse('2030-03-10T22:40:00.000Z');
const MINUTE = 60_000;

/** A deterministic spread of events: several keys/teams/models/statuses, across an hour and a day boundary. */
function makeEvent(i: number): UsageEventRecord {
  const statuses: UsageStatus[] = ['success', 'success', 'error', 'rejected', 'interrupted'];
  const status = statuses[i % statuses.length] ?? 'success';
  const served = status === 'success' || status === 'interrupted';
  return {
    requestId: `req_${String(i).padStart(4, '0')}`,
    keyId: i % 7 === 0 ? null : `key_${i % 3}`,
    teamId: i % 2 === 0 ? 'team_a' : null,
    environment: i % 5 === 1 ? null : 'production',
    requestedModel: i % 4 === 0 ? 'smart' : 'fast',
    routeId: 'rt_1',
    servedProviderId: served ? `prv_${i % 2}` : null,
    servedAccountId: served ? 'acc_1' : null,
    servedModel: served ? (i % 4 === 0 ? 'gpt-4o' : 'gpt-4o-mini') : null,
    status,
    errorClass: status === 'error' ? 'upstream_5xx' : null,
    httpStatus: status === 'error' ? 502 : status === 'rejected' ? 429 : 200,
    latencyMs: 50 + ((i * 37) % 900),
    ttftMs: i % 3 === 0 ? null : 10 + (i % 50),
    inputTokens: 100 + i,
    outputTokens: 7 * (i % 11),
    cachedInputTokens: i % 4 === 0 ? 20 : 0,
    reasoningTokens: i % 6,
    cacheWriteTokens: i % 8 === 0 ? 32 : 0,
    costMicros: BigInt(1_000 + i * 13) + (i === 3 ? 9_007_199_254_740_993n : 0n),
    costEstimated: i % 9 === 0,
    unpriced: false,
    ownerId: i % 2 === 0 ? 'usr_owner' : null,
    tags: i % 2 === 0 ? ['batch', 'nightly'] : [],
    endUser: i % 3 === 0 ? `user-${i}` : null,
    metadata: i % 3 === 0 ? { run: String(i), 'trace-id': `t"${i}` } : null,
    stream: i % 2 === 1,
    attempts: [],
    surface: 'openai-chat',
    upstreamProtocol: served ? 'openai-chat' : null,
    // 4-minute steps from 22:40 cross 23:00 and midnight UTC.
    createdAt: T0 + i * 4 * MINUTE + (i % 1000),
  };
}

const json = (events: readonly UsageEventRecord[]) => encodeUsageBatch(events.map(serializeUsageEvent));

type Granularity = 'hour' | 'day';

/** The rollup rows as stored, in core's `rollupKeyString` form, with totals as plain values. */
async function storedRollups(prisma: PrismaClient, granularity: Granularity) {
  const rows =
    granularity === 'hour'
      ? await prisma.usageRollupHourly.findMany()
      : await prisma.usageRollupDaily.findMany();
  const out = new Map<string, unknown>();
  for (const r of rows) {
    const key = JSON.stringify([
      granularity,
      r.bucketStart.getTime(),
      r.keyId || null,
      r.teamId || null,
      r.model,
      r.providerId || null,
      r.status,
      r.environment || null,
    ]);
    out.set(key, {
      requests: r.requests,
      streamRequests: r.streamRequests,
      inputTokens: Number(r.inputTokens),
      outputTokens: Number(r.outputTokens),
      cachedInputTokens: Number(r.cachedInputTokens),
      costMicros: r.costMicros,
      latencyMsSum: Number(r.latencyMsSum),
      latencyMsMax: r.latencyMsMax,
      ttftMsSum: Number(r.ttftMsSum),
      ttftCount: r.ttftCount,
    });
  }
  return out;
}

/** What core says the rollups of `events` are, for one granularity. */
function expectedRollups(events: readonly UsageEventRecord[], granularity: Granularity) {
  const out = new Map<string, unknown>();
  for (const [id, row] of rollupEvents(events)) {
    if (row.key.granularity === granularity) out.set(id, row.totals);
  }
  return out;
}

describe('usage rollups written with the usage batch', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let writer: UsageBatchWriter;
  let other: UsageBatchWriter;
  const events = Array.from({ length: 120 }, (_, i) => makeEvent(i));

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
    writer = createUsageBatchWriter(db.databaseUrl);
    other = createUsageBatchWriter(db.databaseUrl);
  });
  afterAll(async () => {
    await writer.close();
    await other.close();
    await prisma.$disconnect();
    await db.drop();
  });

  it('equal the sum of the raw events after several batches, a replayed batch and a partly new batch', async () => {
    expect(await writer.write(json(events.slice(0, 40)))).toEqual({ inserted: 40, deadLettered: 0 });
    expect(await writer.write(json(events.slice(40, 70)))).toEqual({ inserted: 30, deadLettered: 0 });
    // The spill file replays a batch that had already been written: nothing is added twice.
    expect(await writer.write(json(events.slice(0, 40)))).toEqual({ inserted: 0, deadLettered: 0 });
    // A retried batch that overlaps what is stored: only its new rows count.
    expect(await writer.write(json(events.slice(60, 90)))).toEqual({ inserted: 20, deadLettered: 0 });

    const stored = events.slice(0, 90);
    expect(await prisma.usageEvent.count()).toBe(90);
    for (const g of ['hour', 'day'] as const) {
      const actual = await storedRollups(prisma, g);
      const expected = expectedRollups(stored, g);
      expect(actual.size).toBe(expected.size);
      expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    }
    // The spread really crosses bucket boundaries, so the grouping is exercised.
    const hours = await prisma.usageRollupHourly.groupBy({ by: ['bucketStart'] });
    const days = await prisma.usageRollupDaily.groupBy({ by: ['bucketStart'] });
    expect(hours.length).toBe(7);
    expect(days.map((d) => d.bucketStart.toISOString()).sort()).toEqual([
      '2030-03-10T00:00:00.000Z',
      '2030-03-11T00:00:00.000Z',
    ]);
    const total = await prisma.usageRollupDaily.aggregate({ _sum: { requests: true, costMicros: true } });
    expect(total._sum.requests).toBe(90);
    expect(total._sum.costMicros).toBe(stored.reduce((sum, e) => sum + e.costMicros, 0n));
  });

  it('stays exact when two writers (two routers) flush overlapping batches at the same time', async () => {
    const rest = events.slice(90);
    // Interleaved halves hit the same rollup rows from both connections, in opposite event order.
    const a = rest.filter((_, i) => i % 2 === 0);
    const b = rest.filter((_, i) => i % 2 === 1).reverse();
    const results = await Promise.all([writer.write(json(a)), other.write(json([...b, ...a.slice(0, 5)]))]);
    expect(results[0].inserted + results[1].inserted).toBe(30);
    for (const g of ['hour', 'day'] as const) {
      expect(Object.fromEntries(await storedRollups(prisma, g))).toEqual(
        Object.fromEntries(expectedRollups(events, g)),
      );
    }
  });

  it('stores the attribution and billing fields of each event', async () => {
    const stored = await prisma.usageEvent.findUniqueOrThrow({ where: { requestId: 'req_0003' } });
    expect(stored).toMatchObject({
      ownerId: null,
      tags: [],
      endUser: 'user-3',
      metadata: { run: '3', 'trace-id': 't"3' },
      reasoningTokens: 3,
      cacheWriteTokens: 0,
      costEstimated: false,
      unpriced: false,
      costMicros: 9_007_199_254_740_993n + 1_039n,
    });
    const tagged = await prisma.usageEvent.findUniqueOrThrow({ where: { requestId: 'req_0000' } });
    expect(tagged).toMatchObject({
      ownerId: 'usr_owner',
      tags: ['batch', 'nightly'],
      cacheWriteTokens: 32,
      costEstimated: true,
      metadata: { run: '0', 'trace-id': 't"0' },
    });
    const plain = await prisma.usageEvent.findUniqueOrThrow({ where: { requestId: 'req_0001' } });
    expect(plain.metadata).toBeNull();
    expect(plain.endUser).toBeNull();
  });
});
