import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { UsageEventRecord } from '@switchyard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { BatchedUsageSink } from './batched-usage-sink';
import { UsageJournal } from './usage-journal';
import { UsageSpillFile } from './usage-spill-file';

const logger = createLogger('error');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'journal-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The journal lines on disk, over every journal file, in file order. */
async function journaled(): Promise<string[]> {
  const lines: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.startsWith('usage-journal.')).sort()) {
    const text = await readFile(path.join(dir, name), 'utf8');
    lines.push(...text.split('\n').filter((line) => line.length > 0));
  }
  return lines;
}

async function journalBytes(): Promise<number> {
  let bytes = 0;
  for (const name of await readdir(dir)) {
    if (!name.startsWith('usage-journal.')) continue;
    // The journal may delete a segment between the listing and the stat.
    bytes += (await stat(path.join(dir, name)).catch(() => ({ size: 0 }))).size;
  }
  return bytes;
}

async function openJournal(
  segmentBytes = 1_000_000,
): Promise<{ journal: UsageJournal; spill: UsageSpillFile }> {
  const spill = new UsageSpillFile(dir, 1_000_000);
  await spill.open();
  const journal = new UsageJournal(dir, segmentBytes, logger);
  await journal.open(spill);
  return { journal, spill };
}

describe('UsageJournal', () => {
  it('writes appended events to disk without waiting for a flush, and empties itself once they are stored', async () => {
    const { journal } = await openJournal();
    journal.append('"a"');
    journal.append('"b"');
    await waitUntil(async () => (await journaled()).length === 2);
    expect(await journaled()).toEqual(['"a"', '"b"']);
    journal.append('"c"');
    journal.acknowledge(2);
    await waitUntil(async () => (await journaled()).length === 3);
    journal.acknowledge(1);
    await waitUntil(async () => (await journalBytes()) === 0);
    expect(journal.bytes()).toBe(0);
    await journal.close();
    expect(await readdir(dir)).toEqual([]);
  });

  it('stays bounded under steady traffic: full segments are deleted as soon as their events are stored', async () => {
    const { journal } = await openJournal(200);
    const line = JSON.stringify('x'.repeat(40)); // 42 bytes + newline
    let acked = 0;
    let peak = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 5; i++) journal.append(line);
      // The store always lags: everything but the newest round is acknowledged.
      if (round > 0) {
        journal.acknowledge(5);
        acked += 5;
      }
      await journal.idle();
      peak = Math.max(peak, await journalBytes());
    }
    expect(acked).toBe(245);
    // Never more than the unacknowledged events (one round) plus one segment (which closes on the write that
    // takes it past 200 bytes), whatever the total written (250 lines, 10,750 bytes).
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(5 * 43 + 200 + 5 * 43);
    journal.acknowledge(5);
    await waitUntil(async () => (await journalBytes()) === 0);
    await journal.close();
    expect(await readdir(dir)).toEqual([]);
  });

  it('what a dead process journaled is synced into the spill at the next start and replayed once', async () => {
    const first = await openJournal(100);
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) first.journal.append(JSON.stringify(id));
    first.journal.acknowledge(2); // a and b were stored; the rest only journaled when it "died"
    await waitUntil(async () => (await journaled()).length >= 4);
    // No close(): a SIGKILL leaves the files as they are.

    const spill = new UsageSpillFile(dir, 1_000_000);
    await spill.open();
    const journal = new UsageJournal(dir, 100, logger);
    const handed = await journal.open(spill);
    expect(handed).toBeGreaterThanOrEqual(4);
    expect(await journaled()).toEqual([]);
    const stored = new Map<string, number>();
    const replayed = await spill.replay(async (rows) => {
      for (const id of rows.map((row) => JSON.parse(row) as string))
        stored.set(id, (stored.get(id) ?? 0) + 1);
    }, 2);
    expect(replayed).toBe(handed);
    for (const id of ['c', 'd', 'e', 'f']) expect(stored.get(id)).toBe(1);
    expect(spill.events()).toBe(0);
    await journal.close();
    await spill.close();
  });

  it('with a sink: an event is in the journal until its batch is written, then gone', async () => {
    const { journal } = await openJournal();
    const written: string[] = [];
    let release: () => void = () => {};
    let writes = 0;
    const sink = new BatchedUsageSink({
      serialize: (e) => JSON.stringify(e.requestId),
      write: (rows) =>
        new Promise<void>((resolve) => {
          writes++;
          release = () => {
            written.push(...rows.map((row) => JSON.parse(row) as string));
            resolve();
          };
        }),
      flushIntervalMs: 1,
      maxBatch: 100,
      logger,
      journal,
    });
    sink.record({ requestId: 'req_1' } as UsageEventRecord);
    sink.record({ requestId: 'req_2' } as UsageEventRecord);
    // Journaled while the database write is still in flight: a crash now loses nothing.
    await waitUntil(async () => (await journaled()).length === 2);
    expect(await journaled()).toEqual(['"req_1"', '"req_2"']);
    await waitUntil(() => writes === 1);
    expect(sink.pending()).toBe(2);
    release();
    await sink.flush(1_000);
    expect(written).toEqual(['req_1', 'req_2']);
    await waitUntil(async () => (await journalBytes()) === 0);
    await sink.close(1_000);
    await journal.close();
    expect(await readdir(dir)).toEqual([]);
  });
});
