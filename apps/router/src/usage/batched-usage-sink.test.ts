import type { UsageEventRecord } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { BatchedUsageSink } from './batched-usage-sink';

const event = (requestId: string) => ({ requestId }) as UsageEventRecord;
const logger = createLogger('error');

/** A writer that fails its first `failures` calls and records the batches it accepted. */
function flakyWriter(failures: number) {
  const accepted: string[][] = [];
  let calls = 0;
  return {
    accepted,
    calls: () => calls,
    write: async (rows: readonly string[]) => {
      calls++;
      if (calls <= failures) throw new Error('database away');
      accepted.push(rows.map((row) => JSON.parse(row) as string));
    },
  };
}

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A sink whose events serialize to their request id, so batches read as lists of ids. */
function newSink(
  write: (rows: readonly string[]) => Promise<void>,
  flushIntervalMs: number,
  maxBatch: number,
) {
  return new BatchedUsageSink({
    serialize: (e) => JSON.stringify(e.requestId),
    write,
    flushIntervalMs,
    maxBatch,
    logger,
  });
}

describe('BatchedUsageSink', () => {
  it('writes batches of at most maxBatch, in order, each event once', async () => {
    const writer = flakyWriter(0);
    const sink = newSink(writer.write, 5, 3);
    for (const id of ['a', 'b', 'c', 'd', 'e']) sink.record(event(id));
    await sink.flush(2_000);
    expect(writer.accepted).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(sink.pending()).toBe(0);
  });

  it('holds events that arrive during a write until the next interval, so they go out as one batch', async () => {
    const batches: string[][] = [];
    let finishWrite: () => void = () => {};
    const sink = newSink(
      (rows) => {
        batches.push(rows.map((row) => JSON.parse(row) as string));
        return new Promise<void>((resolve) => {
          finishWrite = resolve;
        });
      },
      100,
      100,
    );
    sink.record(event('a'));
    await waitUntil(() => batches.length === 1);
    for (const id of ['b', 'c', 'd']) sink.record(event(id));
    finishWrite();
    // Not drained the moment the write ends: under steady load that chained tiny batches back to back.
    await new Promise((r) => setTimeout(r, 30));
    expect(batches).toEqual([['a']]);
    await waitUntil(() => batches.length === 2);
    expect(batches[1]).toEqual(['b', 'c', 'd']);
    finishWrite();
    await sink.close(2_000);
    expect(batches).toHaveLength(2);
  });

  it('writes a backlog of full batches back to back, without waiting an interval between them', async () => {
    const writer = flakyWriter(0);
    const sink = newSink(writer.write, 60_000, 2);
    for (const id of ['a', 'b', 'c', 'd', 'e']) sink.record(event(id));
    await waitUntil(() => writer.accepted.length === 2);
    expect(writer.accepted).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    // The remainder is not a full batch: it waits for the interval (or close).
    expect(sink.pending()).toBe(1);
    await sink.close(2_000);
    expect(writer.accepted[2]).toEqual(['e']);
  });

  it('keeps a failed batch and retries it until it lands: nothing lost, nothing written twice', async () => {
    const writer = flakyWriter(2);
    const sink = newSink(writer.write, 5, 10);
    sink.record(event('a'));
    sink.record(event('b'));
    await sink.flush(5_000);
    expect(writer.calls()).toBe(3);
    expect(writer.accepted).toEqual([['a', 'b']]);
    expect(sink.pending()).toBe(0);
  });

  it('close drains what is queued', async () => {
    const writer = flakyWriter(0);
    const sink = newSink(writer.write, 60_000, 100);
    sink.record(event('x'));
    expect(sink.pending()).toBe(1);
    await sink.close(2_000);
    expect(writer.accepted).toEqual([['x']]);
  });
});
