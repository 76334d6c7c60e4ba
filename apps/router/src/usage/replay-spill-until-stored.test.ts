import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../logger';
import { replaySpillUntilStored } from './replay-spill-until-stored';
import { UsageSpillFile } from './usage-spill-file';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'replay-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A logger that keeps what it was told, to check what an operator would see. */
function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const none = () => {};
  return { warnings, debug: none, info: none, error: none, warn: (message) => warnings.push(message) };
}

describe('replaySpillUntilStored', () => {
  it('keeps retrying while the database refuses, and resolves only once every event is stored', async () => {
    const spill = new UsageSpillFile(dir, 1_000_000);
    await spill.open();
    await spill.append(['"a"', '"b"', '"c"']);
    const stored = new Map<string, number>();
    let calls = 0;
    const write = async (rows: readonly string[]) => {
      calls++;
      if (calls <= 3) throw new Error('connect ECONNREFUSED');
      for (const id of rows.map((row) => JSON.parse(row) as string))
        stored.set(id, (stored.get(id) ?? 0) + 1);
    };
    const logger = recordingLogger();
    const replayed = await replaySpillUntilStored({ spill, write, maxBatch: 2, logger, initialDelayMs: 1 });
    expect(replayed).toBe(3);
    expect([...stored.entries()].sort()).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    expect(logger.warnings).toHaveLength(3);
    expect(spill.events()).toBe(0);
    expect(await readdir(dir)).toEqual([]);
    await spill.close();
  });
});
