import { readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { UsageSpillFile } from './usage-spill-file';

const WORKER_DIR = /^worker-(\d+)$/;
/** What a spill directory holds for replay: the spill, files set aside to replay, journal segments. */
const USAGE_FILE = /^usage-(spill|journal)\.(.+\.)?ndjson$/;

/**
 * The spill directory of one router worker. Each worker has its own, because the journal and the spill assume a
 * single writer: a second process would adopt (and replay) a live journal as if it were a crashed run's. Slot 0
 * uses the root itself, as a single router process does, so changing ROUTER_WORKERS keeps what slot 0 left.
 */
export function workerSpillDir(root: string, slot: number): string {
  return slot === 0 ? root : path.join(root, `worker-${slot}`);
}

/**
 * Takes over what workers of an earlier run with more workers left behind (the directories of slots ≥ `workers`,
 * which nobody writes now) into `spill`, which replays it; slot 0 calls this after `spill.open()`, before its
 * replay. Returns the events adopted. The directories are removed once empty.
 */
export async function adoptRetiredWorkerSpills(
  spill: UsageSpillFile,
  root: string,
  workers: number,
): Promise<number> {
  let events = 0;
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const slot = WORKER_DIR.exec(entry.name)?.[1];
    if (!entry.isDirectory() || slot === undefined || Number(slot) < workers) continue;
    const dir = path.join(root, entry.name);
    for (const name of (await readdir(dir)).sort()) {
      if (USAGE_FILE.test(name)) events += await spill.adopt(path.join(dir, name));
    }
    await rmdir(dir).catch(() => undefined);
  }
  return events;
}
