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
    write: async (rowsJson: string) => {
      calls++;
      if (calls <= failures) throw new Error('database away');
      accepted.push(JSON.parse(rowsJson) as string[]);
    },
  };
}

describe('BatchedUsageSink', () => {
  it('writes batches of at most maxBatch, in order, each event once', async () => {
    const writer = flakyWriter(0);
    const sink = new BatchedUsageSink({
      serialize: (e) => JSON.stringify(e.requestId),
      write: writer.write,
      flushIntervalMs: 5,
      maxBatch: 3,
      logger,
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) sink.record(event(id));
    await sink.flush(2_000);
    expect(writer.accepted).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(sink.pending()).toBe(0);
  });

  it('keeps a failed batch and retries it until it lands: nothing lost, nothing written twice', async () => {
    const writer = flakyWriter(2);
    const sink = new BatchedUsageSink({
      serialize: (e) => JSON.stringify(e.requestId),
      write: writer.write,
      flushIntervalMs: 5,
      maxBatch: 10,
      logger,
    });
    sink.record(event('a'));
    sink.record(event('b'));
    await sink.flush(5_000);
    expect(writer.calls()).toBe(3);
    expect(writer.accepted).toEqual([['a', 'b']]);
    expect(sink.pending()).toBe(0);
  });

  it('close drains what is queued', async () => {
    const writer = flakyWriter(0);
    const sink = new BatchedUsageSink({
      serialize: (e) => JSON.stringify(e.requestId),
      write: writer.write,
      flushIntervalMs: 60_000,
      maxBatch: 100,
      logger,
    });
    sink.record(event('x'));
    expect(sink.pending()).toBe(1);
    await sink.close(2_000);
    expect(writer.accepted).toEqual([['x']]);
  });
});
