import type { Logger } from '../logger';
import type { UsageBatchWrite } from './usage-sink';
import type { UsageSpillFile } from './usage-spill-file';

/**
 * Stores what an earlier process spilled or journaled before this one loads budget spend: the first snapshot
 * reads spend from the database, and a hard budget admitted against a total that misses the spill could be
 * overrun (issue 12 D6). Retries with capped backoff until the replay lands; the snapshot needs the same
 * database, so a router that cannot replay could not serve anyway. Resolves with the events replayed.
 */
export async function replaySpillUntilStored(options: {
  spill: UsageSpillFile;
  write: UsageBatchWrite;
  maxBatch: number;
  logger: Logger;
  /** First wait after a failed replay; doubles up to 5 s. */
  initialDelayMs?: number;
}): Promise<number> {
  const { spill, write, maxBatch, logger } = options;
  let delay = options.initialDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await spill.replay(write, maxBatch);
    } catch (error) {
      logger.warn('usage left by an earlier run cannot be stored yet; budgets wait for it', {
        events: spill.events(),
        attempt,
        error: error instanceof Error ? error.message : String(error),
      });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}
