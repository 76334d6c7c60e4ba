import { setTimeout as sleep } from 'node:timers/promises';
import { pruneOlderThan, type RetainedTable } from '@switchyard/db';
import type { Logger } from '../logger';

const DAY_MS = 86_400_000;

export interface UsageRetentionJobOptions {
  databaseUrl: string;
  /** What is pruned: raw usage events (rollups stay) or captured payloads. Default: usage_events. */
  table?: RetainedTable;
  /** Rows older than this are deleted. */
  retentionDays: number;
  /** Between runs; each run waits a random extra of up to a quarter of it so instances do not line up. */
  intervalMs: number;
  /** Before the first run; default one minute (not in the start-up rush). */
  firstRunMs?: number;
  logger: Logger;
  now: () => number;
  random: () => number;
}

/**
 * Prunes a table by age on an interval, off the request path. Every instance schedules it; the advisory lock
 * inside `pruneOlderThan` lets one run at a time and the others skip. Deletes go 5,000 rows per statement with a
 * short pause between, so no statement holds locks for long.
 */
export function startUsageRetention(options: UsageRetentionJobOptions): { stop: () => Promise<void> } {
  const table = options.table ?? 'usage_events';
  const abort = new AbortController();
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (baseMs: number) => {
    timer = setTimeout(run, baseMs + Math.floor(options.random() * (options.intervalMs / 4)));
    timer.unref();
  };
  const run = () => {
    running = (async () => {
      try {
        const result = await pruneOlderThan(options.databaseUrl, table, {
          olderThan: new Date(options.now() - options.retentionDays * DAY_MS),
          batchSize: 5_000,
          pause: () => sleep(200, undefined, { signal: abort.signal }).catch(() => {}),
          signal: abort.signal,
        });
        if (result.deleted > 0) {
          options.logger.info('retention: deleted rows past the horizon', {
            table,
            deleted: result.deleted,
            batches: result.batches,
            retentionDays: options.retentionDays,
          });
        }
      } catch (error) {
        options.logger.warn('retention run failed; retrying next interval', {
          table,
          error: error instanceof Error ? error.message : String(error),
        });
      } finally {
        running = null;
        if (!abort.signal.aborted) schedule(options.intervalMs);
      }
    })();
  };
  schedule(options.firstRunMs ?? 60_000);
  return {
    stop: async () => {
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
