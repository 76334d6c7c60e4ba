import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  createPrismaClient,
  type PrismaClient,
  positionalUsageRow,
  serializeUsageEvent,
  usageRowObject,
} from '@switchyard/db';
import { buildUsageEvent, createTestDatabase, type TestDatabase } from '@switchyard/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../src/logger';
import { UsageSpillFile } from '../src/usage/usage-spill-file';
import { startUsageWriterThread, type UsageWriterThread } from '../src/usage/usage-writer-thread';

// The usage writer (its real worker thread, on a real PostgreSQL) handed batches with rows the database refuses
// for their data. Such rows are crafted as JSON text here: the serializer would normalise them, and what is
// under test is the last line of defence, for rows that got past it (older spill files, a future column).

let db: TestDatabase;
let prisma: PrismaClient;
let writer: UsageWriterThread;
let spillDir: string;
/** What the writer reported as dead-lettered (the router's switchyard_usage_dead_letters_total). */
let deadLettered = 0;

beforeAll(async () => {
  db = await createTestDatabase(inject('pgServerUrl'));
  prisma = createPrismaClient(db.databaseUrl, { maxConnections: 2 });
  writer = startUsageWriterThread(db.databaseUrl, createLogger('error'), (events) => {
    deadLettered += events;
  });
  await writer.ready;
  spillDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-dead-letters-'));
});
afterAll(async () => {
  await writer?.close();
  await prisma?.$disconnect();
  await db?.drop();
  if (spillDir) await rm(spillDir, { recursive: true, force: true });
});

const createdAt = Date.parse('2030-01-15T10:30:00.000Z');

function goodRow(requestId: string): string {
  return serializeUsageEvent(buildUsageEvent({ requestId, createdAt }));
}

/** A serialized row with some columns replaced by values PostgreSQL refuses. */
function badRow(requestId: string, fields: Record<string, unknown>): string {
  const named = { ...usageRowObject(JSON.parse(goodRow(requestId))), ...fields };
  return positionalUsageRow(JSON.stringify(named), named);
}

/** Three ways a row's data is refused: NUL in text (22P05), int4 out of range (22003), index row too big (54000). */
function refusedRows(prefix: string): Map<string, string> {
  return new Map([
    [`${prefix}_nul`, badRow(`${prefix}_nul`, { requested_model: 'a\u0000b', served_model: null })],
    [`${prefix}_range`, badRow(`${prefix}_range`, { http_status: 4_294_967_296 })],
    [
      `${prefix}_huge`,
      badRow(`${prefix}_huge`, {
        requested_model: Array.from({ length: 6_000 }, (_, i) =>
          String.fromCodePoint(0x4e00 + ((i * 7919) % 20_000)),
        ).join(''),
        served_model: null,
      }),
    ],
  ]);
}

async function stored(prefix: string): Promise<{
  rows: string[];
  deadLetters: { requestId: string | null; event: string; sqlState: string | null; error: string }[];
}> {
  const rows = await prisma.usageEvent.findMany({
    where: { requestId: { startsWith: prefix } },
    select: { requestId: true },
    orderBy: { requestId: 'asc' },
  });
  const deadLetters = await prisma.usageDeadLetter.findMany({
    where: { requestId: { startsWith: prefix } },
    select: { requestId: true, event: true, sqlState: true, error: true },
    orderBy: { requestId: 'asc' },
  });
  return { rows: rows.map((row) => row.requestId), deadLetters };
}

describe('a batch PostgreSQL refuses for its data', () => {
  it('is bisected: every good row is written, each refused row is dead-lettered with its raw event and error', async () => {
    const bad = refusedRows('req_live');
    const good = Array.from({ length: 9 }, (_, i) => `req_live_ok${i}`);
    // Bad rows at the start, middle and end of the batch.
    const batch = [
      bad.get('req_live_nul') as string,
      ...good.slice(0, 4).map(goodRow),
      bad.get('req_live_range') as string,
      ...good.slice(4).map(goodRow),
      bad.get('req_live_huge') as string,
    ];
    await writer.write(batch);
    expect(deadLettered).toBe(3);

    const { rows, deadLetters } = await stored('req_live');
    expect(rows).toEqual([...good].sort());
    expect(deadLetters.map((letter) => [letter.requestId, letter.sqlState])).toEqual([
      ['req_live_huge', '54000'],
      ['req_live_nul', '22P05'],
      ['req_live_range', '22003'],
    ]);
    for (const letter of deadLetters) {
      // The raw event, as the writer held it, keyed by column so an operator can account for it by hand.
      expect(JSON.parse(letter.event)).toEqual(
        usageRowObject(JSON.parse(bad.get(letter.requestId ?? '') ?? '[]')),
      );
      expect(letter.error.length).toBeGreaterThan(0);
    }
    expect(deadLetters.find((letter) => letter.requestId === 'req_live_range')?.error).toMatch(
      /out of range/,
    );
    // The good rows reached the rollups too, exactly once.
    const hourly = await prisma.usageRollupHourly.aggregate({ _sum: { requests: true } });
    expect(hourly._sum.requests).toBe(9);

    // Written again (a retry after a lost reply): nothing doubles, in either table.
    await writer.write(batch);
    expect(await stored('req_live')).toEqual({ rows, deadLetters });
    expect((await prisma.usageRollupHourly.aggregate({ _sum: { requests: true } }))._sum.requests).toBe(9);
  });

  it('through spill replay too: the spill drains, the good rows land and the refused ones are dead-lettered', async () => {
    const spill = new UsageSpillFile(spillDir, 1_000_000);
    await spill.open();
    const bad = refusedRows('req_spill');
    const good = Array.from({ length: 7 }, (_, i) => `req_spill_ok${i}`);
    await spill.append([...good.slice(0, 3).map(goodRow), ...bad.values(), ...good.slice(3).map(goodRow)]);
    expect(spill.events()).toBe(10);

    const replayed = await spill.replay((rows) => writer.write(rows), 4);
    expect(replayed).toBe(10);
    expect(spill.events()).toBe(0);
    const { rows, deadLetters } = await stored('req_spill');
    expect(rows).toEqual([...good].sort());
    expect(deadLetters.map((letter) => letter.requestId)).toEqual([
      'req_spill_huge',
      'req_spill_nul',
      'req_spill_range',
    ]);
    await spill.close();
  });
});
