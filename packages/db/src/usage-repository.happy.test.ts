import type { AttemptErrorClass, UsageEventRecord } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from './client';
import { buildUsageEvent, createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';
import {
  createUsageBatchWriter,
  encodeUsageBatch,
  insertUsageEvents,
  positionalUsageRow,
  serializeUsageEvent,
  USAGE_WRITER_APPLICATION_NAME,
  usageRowObject,
} from './usage-repository';

function event(
  overrides: Partial<UsageEventRecord> & Pick<UsageEventRecord, 'requestId' | 'createdAt'>,
): UsageEventRecord {
  return buildUsageEvent({
    keyId: 'key_a',
    routeId: 'rt_1',
    ttftMs: 35,
    inputTokens: 12,
    outputTokens: 34,
    costMicros: 22n,
    stream: true,
    attempts: [
      {
        targetId: 'tgt_1',
        accountId: 'acc_1',
        providerId: 'prv_1',
        model: 'mock-gpt-4o-mini',
        status: 200,
        errorClass: null,
        latencyMs: 118,
        ttftMs: 35,
        reason: 'primary',
      },
    ],
    ...overrides,
  });
}

describe('insertUsageEvents', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
    await prisma.apiKey.createMany({
      data: [
        { id: 'key_a', name: 'a', digest: 'da', prefix: 'sk-sy-aaaa' },
        {
          id: 'key_b',
          name: 'b',
          digest: 'db',
          prefix: 'sk-sy-bbbb',
          lastUsedAt: new Date('2030-01-01T00:00:00.000Z'),
        },
      ],
    });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  const batch: UsageEventRecord[] = [
    event({ requestId: 'req_1', createdAt: Date.parse('2025-05-01T10:00:00.001Z') }),
    event({
      requestId: 'req_2',
      createdAt: Date.parse('2025-05-01T10:00:02.500Z'),
      costMicros: 9_007_199_254_740_993n,
    }),
    event({
      requestId: 'req_3',
      keyId: 'key_b',
      createdAt: Date.parse('2025-05-01T10:00:01.000Z'),
      status: 'error',
      errorClass: 'upstream_5xx',
      httpStatus: 502,
      ttftMs: null,
      servedAccountId: null,
      surface: 'anthropic-messages',
      upstreamProtocol: 'openai-chat',
      attempts: [
        {
          targetId: 'tgt_1',
          accountId: 'acc_1',
          providerId: 'prv_1',
          model: 'm',
          status: 503,
          // No router writes this class (the type is closed); the store must still take what a spill file holds.
          errorClass: 'server "error" ; \'quoted\'' as AttemptErrorClass,
          latencyMs: 5,
          ttftMs: null,
          reason: 'primary',
        },
        {
          targetId: 'tgt_2',
          accountId: 'acc_2',
          providerId: 'prv_1',
          model: 'm',
          status: null,
          errorClass: 'timeout',
          latencyMs: 30_000,
          ttftMs: null,
          reason: 'primary',
        },
      ],
    }),
    event({
      requestId: 'req_4',
      keyId: null,
      status: 'rejected',
      httpStatus: 401,
      createdAt: Date.parse('2025-05-01T10:00:03.000Z'),
      attempts: [],
    }),
  ];

  it('inserts a batch once: replaying the same batch leaves the count unchanged', async () => {
    expect(await insertUsageEvents(prisma, batch)).toEqual({ inserted: 4 });
    expect(await prisma.usageEvent.count()).toBe(4);
    expect(await insertUsageEvents(prisma, batch)).toEqual({ inserted: 0 });
    expect(await prisma.usageEvent.count()).toBe(4);

    const partlyNew = [
      ...batch.slice(0, 2),
      event({ requestId: 'req_5', createdAt: Date.parse('2025-05-01T09:00:00.000Z') }),
    ];
    expect(await insertUsageEvents(prisma, partlyNew)).toEqual({ inserted: 1 });
    expect(await prisma.usageEvent.count()).toBe(5);
  });

  it('stores every field as given', async () => {
    const stored = await prisma.usageEvent.findUniqueOrThrow({ where: { requestId: 'req_3' } });
    expect(stored).toMatchObject({
      keyId: 'key_b',
      status: 'error',
      errorClass: 'upstream_5xx',
      httpStatus: 502,
      ttftMs: null,
      servedAccountId: null,
      stream: true,
      createdAt: new Date('2025-05-01T10:00:01.000Z'),
      attempts: batch[2]?.attempts,
      surface: 'anthropic-messages',
      upstreamProtocol: 'openai-chat',
    });
    const expensive = await prisma.usageEvent.findUniqueOrThrow({ where: { requestId: 'req_2' } });
    expect(expensive.costMicros).toBe(9_007_199_254_740_993n);
    expect(expensive.createdAt.toISOString()).toBe('2025-05-01T10:00:02.500Z');
  });

  it("moves each key's last_used_at forward to its newest event, never backwards", async () => {
    const keys = await prisma.apiKey.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, lastUsedAt: true },
    });
    expect(keys).toEqual([
      { id: 'key_a', lastUsedAt: new Date('2025-05-01T10:00:02.500Z') },
      { id: 'key_b', lastUsedAt: new Date('2030-01-01T00:00:00.000Z') },
    ]);
  });

  it('accepts an empty batch', async () => {
    expect(await insertUsageEvents(prisma, [])).toEqual({ inserted: 0 });
  });
});

describe('createUsageBatchWriter', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
    await prisma.apiKey.create({ data: { id: 'key_a', name: 'a', digest: 'da', prefix: 'sk-sy-aaaa' } });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it('writes a serialized batch over plain pg, idempotent by request id', async () => {
    const writer = createUsageBatchWriter(db.databaseUrl);
    try {
      const rows = [
        event({ requestId: 'req_w1', createdAt: 1_750_000_000_000, inputTokens: 11, costMicros: 123n }),
        event({ requestId: 'req_w2', createdAt: 1_750_000_000_000, status: 'error', httpStatus: 502 }),
      ];
      const json = encodeUsageBatch(rows.map(serializeUsageEvent));
      expect(await writer.write(json)).toEqual({ inserted: 2, deadLettered: 0 });
      expect(await writer.write(json)).toEqual({ inserted: 0, deadLettered: 0 });
      const stored = await prisma.usageEvent.findMany({ orderBy: { requestId: 'asc' } });
      expect(stored.map((r) => [r.requestId, r.status, r.httpStatus, r.inputTokens, r.costMicros])).toEqual([
        ['req_w1', 'success', 200, 11, 123n],
        ['req_w2', 'error', 502, rows[1]?.inputTokens, rows[1]?.costMicros],
      ]);
    } finally {
      await writer.close();
    }
  });

  it('replays a row spilled before surface and upstream protocol were recorded, storing both as null', async () => {
    const writer = createUsageBatchWriter(db.databaseUrl);
    try {
      const current = usageRowObject(
        JSON.parse(serializeUsageEvent(event({ requestId: 'req_old_spill', createdAt: 1_750_000_000_000 }))),
      );
      expect(current).toMatchObject({ surface: 'openai-chat', upstream_protocol: 'openai-chat' });
      // An object row without those keys, as spill replay hands it on after an upgrade.
      const { surface: _surface, upstream_protocol: _upstream, ...old } = current;
      const legacy = JSON.stringify(old);
      expect(await writer.write(encodeUsageBatch([positionalUsageRow(legacy, JSON.parse(legacy))]))).toEqual({
        inserted: 1,
        deadLettered: 0,
      });
      const stored = await prisma.usageEvent.findUniqueOrThrow({ where: { requestId: 'req_old_spill' } });
      expect([stored.surface, stored.upstreamProtocol, stored.status]).toEqual([null, null, 'success']);
    } finally {
      await writer.close();
    }
  });

  it('stores an event whatever its strings hold: NUL stripped, unpaired surrogates replaced, lengths capped', async () => {
    const writer = createUsageBatchWriter(db.databaseUrl);
    const hostile = (n: number) => `a\u0000b\ud800c\udc00${'é'.repeat(n)}`;
    try {
      const clean = event({ requestId: 'req_clean', createdAt: 1_750_000_000_000 });
      const dirty = event({
        requestId: 'req_dirty',
        createdAt: 1_750_000_000_000,
        // What the router's ingress validation refuses from clients, arriving from elsewhere: key tags from older
        // data, an upstream model name, an error class, metadata, a model name of 6,000 characters.
        requestedModel: hostile(6_000),
        servedModel: hostile(6_000),
        environment: hostile(10),
        errorClass: hostile(500),
        endUser: hostile(300),
        tags: [hostile(5), ...Array.from({ length: 40 }, (_, i) => `t${i}`)],
        metadata: { [hostile(1)]: hostile(3_000) },
        attempts: [
          {
            targetId: 'tgt_1',
            accountId: 'acc_1',
            providerId: 'prv_1',
            model: hostile(6_000),
            status: 500,
            errorClass: hostile(1) as AttemptErrorClass,
            latencyMs: 5,
            ttftMs: null,
            reason: 'primary',
          },
        ],
      });
      // A clean event serializes exactly as before: the normalising path is only for events that need it.
      expect(usageRowObject(JSON.parse(serializeUsageEvent(clean))).requested_model).toBe(
        clean.requestedModel,
      );
      const json = encodeUsageBatch([clean, dirty].map(serializeUsageEvent));
      expect(await writer.write(json)).toEqual({ inserted: 2, deadLettered: 0 });
      const row = await prisma.usageEvent.findUniqueOrThrow({ where: { requestId: 'req_dirty' } });
      expect(row.requestedModel).toBe(`ab\ufffdc\ufffd${'é'.repeat(251)}`);
      expect(row.servedModel).toBe(row.requestedModel);
      expect(row.environment).toBe(`ab\ufffdc\ufffd${'é'.repeat(10)}`);
      expect(row.errorClass).toHaveLength(128);
      expect(row.endUser).toHaveLength(256);
      expect(row.tags).toHaveLength(32);
      expect(row.tags[0]).toBe(`ab\ufffdc\ufffd${'é'.repeat(5)}`);
      expect(row.metadata).toEqual({ 'ab\ufffdc\ufffdé': `ab\ufffdc\ufffd${'é'.repeat(2_043)}` });
      const [attempt] = row.attempts as { model: string; errorClass: string }[];
      expect(attempt?.model).toBe(row.requestedModel);
      expect(attempt?.errorClass).toBe('ab\ufffdc\ufffdé');
    } finally {
      await writer.close();
    }
  });

  /** Backend pids of the writer's connections to this test's database, as PostgreSQL lists them. */
  const writerBackends = async (): Promise<number[]> => {
    const rows = await prisma.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = ${USAGE_WRITER_APPLICATION_NAME} ORDER BY pid`;
    return rows.map((r) => r.pid);
  };

  it('keeps its one connection through a quiet spell longer than the 30 s after which it used to close it', async () => {
    const writer = createUsageBatchWriter(db.databaseUrl);
    try {
      const batch = (requestId: string) =>
        encodeUsageBatch([serializeUsageEvent(event({ requestId, createdAt: 1_750_000_000_000 }))]);
      expect(await writer.write(batch('req_before_quiet'))).toEqual({ inserted: 1, deadLettered: 0 });
      const [pid, ...others] = await writerBackends();
      expect(others).toEqual([]);
      // The scenario itself, not a synchronisation: no traffic for longer than the old idle timeout. The first row
      // after it then had to wait for a new connection (issue 14: seconds on a loaded machine).
      await new Promise((resolve) => setTimeout(resolve, 32_000));
      expect(await writerBackends()).toEqual([pid]);
      expect(await writer.write(batch('req_after_quiet'))).toEqual({ inserted: 1, deadLettered: 0 });
      expect(await writerBackends()).toEqual([pid]);
    } finally {
      await writer.close();
    }
  }, 60_000);

  it('opens its connection before the first batch when warmed, and writes that batch over it', async () => {
    const writer = createUsageBatchWriter(db.databaseUrl);
    try {
      expect(await writerBackends()).toEqual([]);
      await writer.warm();
      const warmed = await writerBackends();
      expect(warmed).toHaveLength(1);
      const json = encodeUsageBatch([
        serializeUsageEvent(event({ requestId: 'req_after_warm', createdAt: 1_750_000_000_000 })),
      ]);
      expect(await writer.write(json)).toEqual({ inserted: 1, deadLettered: 0 });
      expect(await writerBackends()).toEqual(warmed);
    } finally {
      await writer.close();
    }
  });

  it('rejects the write when the database is unreachable, so the sink keeps the batch', async () => {
    const writer = createUsageBatchWriter('postgresql://nobody@127.0.0.1:1/none');
    try {
      // Warming never rejects: the router starts, and the first write reports the database as away.
      await expect(writer.warm()).resolves.toBeUndefined();
      await expect(writer.write(encodeUsageBatch([]))).rejects.toThrow(/ECONNREFUSED|connect/);
    } finally {
      await writer.close();
    }
  });
});
