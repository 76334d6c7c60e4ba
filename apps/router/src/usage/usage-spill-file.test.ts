import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { UsageEventRecord } from '@switchyard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { BatchedUsageSink } from './batched-usage-sink';
import { UsageSpillFile } from './usage-spill-file';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'spill-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A database stand-in: down until `up` is set, then stores rows by request id (idempotent, like the real one). */
function database() {
  const rows = new Map<string, number>();
  const db = {
    up: true,
    writes: 0,
    rows,
    write: async (batch: readonly string[]) => {
      db.writes++;
      if (!db.up) throw new Error('connect ECONNREFUSED');
      for (const id of batch.map((row) => JSON.parse(row) as string)) rows.set(id, (rows.get(id) ?? 0) + 1);
    },
  };
  return db;
}

describe('UsageSpillFile', () => {
  it('replays appended events in batches and deletes the file only when all landed', async () => {
    const spill = new UsageSpillFile(dir, 1_000_000);
    await spill.open();
    await spill.append(['"a"', '"b"', '"c"']);
    await spill.append(['"d"']);
    expect(spill.events()).toBe(4);
    const db = database();
    db.up = false;
    await expect(spill.replay(db.write, 2)).rejects.toThrow(/ECONNREFUSED/);
    expect(spill.events()).toBe(4);
    db.up = true;
    expect(await spill.replay(db.write, 2)).toBe(4);
    expect([...db.rows.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(spill.events()).toBe(0);
    expect(await readdir(dir)).toEqual([]);
    await spill.close();
  });

  it('a new process finds what an earlier one spilled, and skips a line cut off by a crash', async () => {
    const first = new UsageSpillFile(dir, 1_000_000);
    await first.open();
    await first.append(['"x"', '"y"']);
    // What kill -9 in the middle of a write could leave behind: a partial last line.
    await appendFile(path.join(dir, 'usage-spill.ndjson'), '{"request_id":"par');
    const corrupt: string[] = [];
    const second = new UsageSpillFile(dir, 1_000_000, (file) => corrupt.push(file));
    await second.open();
    expect(second.events()).toBe(3);
    const db = database();
    expect(await second.replay(db.write, 10)).toBe(2);
    expect([...db.rows.keys()]).toEqual(['x', 'y']);
    expect(corrupt).toHaveLength(1);
    expect(second.events()).toBe(0);
    await second.close();
  });

  it('reports full at its byte cap', async () => {
    const spill = new UsageSpillFile(dir, 10);
    await spill.open();
    await spill.append(['"12345"']);
    expect(spill.isFull()).toBe(false);
    await spill.append(['"67890"']);
    expect(spill.isFull()).toBe(true);
    await spill.close();
  });
});

describe('BatchedUsageSink with a spill file', () => {
  const event = (requestId: string) => ({ requestId }) as UsageEventRecord;

  it('spills while the database is away and replays when it is back: each event stored exactly once', async () => {
    const spill = new UsageSpillFile(dir, 1_000_000);
    await spill.open();
    const db = database();
    const sink = new BatchedUsageSink({
      serialize: (e) => JSON.stringify(e.requestId),
      write: db.write,
      flushIntervalMs: 10,
      maxBatch: 4,
      logger: createLogger('error'),
      spill,
    });
    sink.record(event('r0'));
    await sink.flush(2_000);
    db.up = false;
    for (let i = 1; i <= 10; i++) sink.record(event(`r${i}`));
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.pending()).toBe(0);
    expect(sink.spilled()).toBe(10);
    expect(db.rows.size).toBe(1);
    db.up = true;
    for (let i = 11; i <= 12; i++) sink.record(event(`r${i}`));
    const deadline = Date.now() + 10_000;
    while ((db.rows.size < 13 || sink.spilled() > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await sink.close(2_000);
    expect(db.rows.size).toBe(13);
    expect([...db.rows.values()].every((count) => count === 1)).toBe(true);
    expect(sink.spilled()).toBe(0);
    await spill.close();
  });
});
