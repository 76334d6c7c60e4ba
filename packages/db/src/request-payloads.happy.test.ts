import type { CapturedPayload, UsageEventRecord } from '@switchyard/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminRepositories } from './admin';
import { createPrismaClient, type PrismaClient } from './client';
import { buildUsageEvent, createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';
import { insertUsageEvents } from './usage-repository';
import { PAYLOAD_RETENTION_LOCK, pruneRequestPayloads } from './usage-retention';

const DAY = 86_400_000;
const NOW = Date.parse('2030-06-30T12:00:00.000Z');

function event(requestId: string, createdAt: number, payload: CapturedPayload | null): UsageEventRecord {
  return {
    ...buildUsageEvent({ requestId, requestedModel: 'm', servedModel: 'm', latencyMs: 5, createdAt }),
    payload,
  };
}

const body = (text: string): CapturedPayload => ({
  request: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: text }] }),
  requestTruncated: false,
  response: `{"choices":[{"message":{"content":"re: ${text}"}}]}`,
  responseTruncated: true,
});

describe('request payloads', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it('are stored with their usage row, only for events that carry one, once per request id', async () => {
    const captured = event('req_cap', NOW, body('hello'));
    await insertUsageEvents(prisma, [captured, event('req_plain', NOW, null)]);
    // A replayed batch (spill, retry) stores nothing twice and is not refused.
    await insertUsageEvents(prisma, [event('req_cap', NOW, body('changed on replay'))]);
    expect(await prisma.usageEvent.count({ where: { requestId: { in: ['req_cap', 'req_plain'] } } })).toBe(2);
    expect(await prisma.requestPayload.findMany()).toEqual([
      {
        requestId: 'req_cap',
        requestBody: body('hello').request,
        requestTruncated: false,
        responseBody: body('hello').response,
        responseTruncated: true,
        createdAt: new Date(NOW),
      },
    ]);
    const repos = createAdminRepositories(prisma, { now: () => new Date(NOW) });
    expect(await repos.usage.findPayload('req_cap')).toEqual({ ...body('hello'), createdAt: NOW });
    expect(await repos.usage.findPayload('req_plain')).toBeNull();
  });

  it('stores a body holding text jsonb refuses (NUL, a lone surrogate) cleaned, not dead-lettered', async () => {
    const hostile: CapturedPayload = {
      request: 'a\u0000b',
      requestTruncated: false,
      response: 'x\ud800y',
      responseTruncated: false,
    };
    await insertUsageEvents(prisma, [event('req_hostile', NOW, hostile)]);
    const row = await prisma.requestPayload.findUnique({ where: { requestId: 'req_hostile' } });
    expect([row?.requestBody, row?.responseBody]).toEqual(['ab', 'x\ufffdy']);
  });

  it('are pruned past the horizon, oldest first, leaving newer payloads and every usage row', async () => {
    const old = Array.from({ length: 7 }, (_, i) =>
      event(`req_old_${i}`, NOW - 10 * DAY + i, body(`old ${i}`)),
    );
    await insertUsageEvents(prisma, [...old, event('req_recent', NOW - DAY, body('recent'))]);
    const horizon = new Date(NOW - 7 * DAY);

    const holder = new pg.Client({ connectionString: db.databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [PAYLOAD_RETENTION_LOCK]);
      expect(await pruneRequestPayloads(db.databaseUrl, { olderThan: horizon, batchSize: 3 })).toEqual({
        ran: false,
        deleted: 0,
        batches: 0,
      });
    } finally {
      await holder.end();
    }

    expect(await pruneRequestPayloads(db.databaseUrl, { olderThan: horizon, batchSize: 3 })).toEqual({
      ran: true,
      deleted: 7,
      batches: 3,
    });
    const left = await prisma.requestPayload.findMany({
      select: { requestId: true },
      orderBy: { requestId: 'asc' },
    });
    expect(left.map((row) => row.requestId)).toEqual(['req_cap', 'req_hostile', 'req_recent']);
    // Usage rows are the other job's: all still there.
    expect(await prisma.usageEvent.count({ where: { requestId: { startsWith: 'req_old_' } } })).toBe(7);
  });
});
