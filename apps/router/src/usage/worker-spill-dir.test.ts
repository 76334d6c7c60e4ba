import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageSpillFile } from './usage-spill-file';
import { adoptRetiredWorkerSpills, workerSpillDir } from './worker-spill-dir';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'worker-spill-test-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('workerSpillDir', () => {
  it('gives slot 0 the root (as one process uses) and every other slot a directory of its own', () => {
    expect(workerSpillDir('/data/spill', 0)).toBe('/data/spill');
    expect(workerSpillDir('/data/spill', 1)).toBe(path.join('/data/spill', 'worker-1'));
    expect(workerSpillDir('/data/spill', 7)).toBe(path.join('/data/spill', 'worker-7'));
  });
});

describe('adoptRetiredWorkerSpills', () => {
  it('replays, once, what workers beyond the current count left, and leaves live slots alone', async () => {
    // A run with four workers left a spill in slot 2 and journals in slot 3; slot 1 is live in a 2-worker run.
    const slot = (n: number) => workerSpillDir(root, n);
    for (const n of [1, 2, 3]) await mkdir(slot(n), { recursive: true });
    await writeFile(path.join(slot(1), 'usage-journal.live-1.ndjson'), '"live"\n');
    await writeFile(path.join(slot(2), 'usage-spill.ndjson'), '"s1"\n"s2"\n');
    await writeFile(path.join(slot(2), 'usage-spill.1700000000000.replaying.ndjson'), '"s3"\n');
    await writeFile(path.join(slot(3), 'usage-journal.abc-1.ndjson'), '"j1"\n"j2"\n');
    await writeFile(path.join(slot(3), 'usage-journal.abc-2.ndjson'), '');
    await writeFile(path.join(slot(3), 'notes.txt'), 'not usage');

    const spill = new UsageSpillFile(slot(0), 1_000_000);
    await spill.open();
    expect(await adoptRetiredWorkerSpills(spill, root, 2)).toBe(5);
    expect(spill.events()).toBe(5);

    const stored: string[] = [];
    const replayed = await spill.replay(async (rows) => {
      stored.push(...rows.map((row) => JSON.parse(row) as string));
    }, 2);
    expect(replayed).toBe(5);
    expect(stored.sort()).toEqual(['j1', 'j2', 's1', 's2', 's3']);
    expect(spill.events()).toBe(0);
    // Slot 2 emptied and removed; slot 3 kept for the file that is not usage; slot 1 untouched.
    expect((await readdir(root)).sort()).toEqual(['worker-1', 'worker-3']);
    expect(await readdir(slot(3))).toEqual(['notes.txt']);
    expect(await readdir(slot(1))).toEqual(['usage-journal.live-1.ndjson']);
  });

  it('adopts nothing when every slot is live', async () => {
    await mkdir(workerSpillDir(root, 1), { recursive: true });
    await writeFile(path.join(workerSpillDir(root, 1), 'usage-spill.ndjson'), '"x"\n');
    const spill = new UsageSpillFile(root, 1_000_000);
    await spill.open();
    expect(await adoptRetiredWorkerSpills(spill, root, 2)).toBe(0);
    expect(spill.events()).toBe(0);
  });
});
