import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPrismaClient, type PrismaClient, serializeUsageEvent } from '@switchyard/db';
import { buildUsageEvent, createTestDatabase, type TestDatabase } from '@switchyard/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../src/logger';
import { UsageJournal } from '../src/usage/usage-journal';
import { UsageSpillFile } from '../src/usage/usage-spill-file';
import { startUsageWriterThread, type UsageWriterThread } from '../src/usage/usage-writer-thread';

// An upgrade with usage still on disk: the previous version journaled and spilled rows as JSON objects keyed by
// column (__fixtures__/usage-rows-keyed.ndjson: the first line as its serializer wrote it, the second the shape of
// routers from before surface, upstream protocol, traffic class and payloads were recorded). The new router
// replays both through its writer thread into real PostgreSQL.

let db: TestDatabase;
let prisma: PrismaClient;
let writer: UsageWriterThread;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase(inject('pgServerUrl'));
  prisma = createPrismaClient(db.databaseUrl, { maxConnections: 2 });
  writer = startUsageWriterThread(db.databaseUrl, createLogger('error'), () => {});
  await writer.ready;
  dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-legacy-rows-'));
});
afterAll(async () => {
  await writer?.close();
  await prisma?.$disconnect();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The events the fixture's lines record. */
const recorded = [
  buildUsageEvent({
    requestId: 'req_legacy_1',
    createdAt: 1_765_000_000_123,
    keyId: 'key_legacy',
    teamId: 'team_1',
    routeId: 'rt_1',
    ttftMs: 35,
    inputTokens: 12,
    outputTokens: 34,
    costMicros: 9_007_199_254_740_993n,
    stream: true,
    tags: ['prod', 'a"b'],
    metadata: { feature: 'chat', é: 'ü' },
    ownerId: 'usr_1',
    endUser: 'alice',
    trafficClass: 'interactive',
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
    payload: {
      request: '{"model":"demo-chat"}',
      requestTruncated: false,
      response: '{"id":"x"}',
      responseTruncated: true,
    },
  }),
  buildUsageEvent({
    requestId: 'req_legacy_2',
    createdAt: 1_765_000_000_456,
    servedProviderId: null,
    servedAccountId: null,
    servedModel: null,
    status: 'rejected',
    errorClass: 'budget_exceeded',
    httpStatus: 429,
    latencyMs: 3,
    surface: null,
    upstreamProtocol: null,
  }),
];

describe('usage rows the previous version left on disk', () => {
  it('a journal and a spill of keyed rows replay into the rows the new serializer writes, stored once', async () => {
    const [journaled, spilled] = (
      await readFile(path.join(import.meta.dirname, '__fixtures__/usage-rows-keyed.ndjson'), 'utf8')
    )
      .split('\n')
      .filter((line) => line.length > 0);
    expect(journaled?.startsWith('{"request_id":"req_legacy_1"')).toBe(true);
    await writeFile(path.join(dir, 'usage-journal.oldrun-0.ndjson'), `${journaled}\n`);
    await writeFile(path.join(dir, 'usage-spill.ndjson'), `${spilled}\n`);

    const spill = new UsageSpillFile(dir, 1_000_000);
    await spill.open();
    const journal = new UsageJournal(dir, 1_000_000, createLogger('error'));
    expect(await journal.open(spill)).toBe(1);
    expect(spill.events()).toBe(2);
    const handed: string[] = [];
    const write = async (rows: readonly string[]) => {
      handed.push(...rows);
      await writer.write(rows);
    };
    expect(await spill.replay(write, 10)).toBe(2);
    expect(spill.events()).toBe(0);

    // Exactly the positional rows a new router writes for the same events...
    expect(handed.sort()).toEqual(recorded.map(serializeUsageEvent).sort());
    // ...stored with every value the keyed rows held.
    const rows = await prisma.usageEvent.findMany({ orderBy: { requestId: 'asc' } });
    expect(
      rows.map((r) => [
        r.requestId,
        r.keyId,
        r.status,
        r.httpStatus,
        r.costMicros,
        r.tags,
        r.metadata,
        r.reasoningTokens,
        r.surface,
        r.trafficClass,
        r.createdAt.getTime(),
      ]),
    ).toEqual([
      [
        'req_legacy_1',
        'key_legacy',
        'success',
        200,
        9_007_199_254_740_993n,
        ['prod', 'a"b'],
        { feature: 'chat', é: 'ü' },
        0,
        'openai-chat',
        'interactive',
        1_765_000_000_123,
      ],
      ['req_legacy_2', null, 'rejected', 429, 0n, [], null, 0, null, null, 1_765_000_000_456],
    ]);
    expect(rows[0]?.attempts).toEqual(recorded[0]?.attempts);
    const payloads = await prisma.requestPayload.findMany();
    expect(payloads.map((p) => [p.requestId, p.requestBody, p.responseBody, p.responseTruncated])).toEqual([
      ['req_legacy_1', '{"model":"demo-chat"}', '{"id":"x"}', true],
    ]);
    const hourly = await prisma.usageRollupHourly.aggregate({ _sum: { requests: true, costMicros: true } });
    expect(hourly._sum).toEqual({ requests: 2, costMicros: 9_007_199_254_740_993n });

    // Replayed again (a restart before the files were deleted): nothing twice.
    await writer.write(handed);
    expect(await prisma.usageEvent.count()).toBe(2);
    await journal.close();
    await spill.close();
  });
});
