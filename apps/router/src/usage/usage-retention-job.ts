import { setTimeout as sleep } from 'node:timers/promises';
import { pruneUsageEvents } from '@switchyard/db';
import type { Logger } from '../logger';

const DAY_MS = 86_400_000;

export interface UsageRetentionJobOptions {
  databaseUrl: string;
  /** Raw events older than this are deleted; rollups stay. */
  retentionDays: number;
  /** Between runs; each run waits a random extra of up to a quarter of it so instances do not line up. */
  intervalMs: number;
  logger: Logger;
  now: () => number;
  random: () => number;
}

/**
 * Prunes raw usage events on an interval, off the request path. Every instance schedules it; the advisory
 * lock inside `pruneUsageEvents` lets one run at a time and the others skip. Deletes go 5,000 rows per
 * statement with a short pause between, so no statement holds locks for long.
 */
export function startUsageRetention(options: UsageRetentionJobOptions): { stop: () => Promise<void> } {
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
        const result = await pruneUsageEvents(options.databaseUrl, {
          olderThan: new Date(options.now() - options.retentionDays * DAY_MS),
          batchSize: 5_000,
          pause: () => sleep(200, undefined, { signal: abort.signal }).catch(() => {}),
          signal: abort.signal,
        });
        if (result.deleted > 0) {
          options.logger.info('usage retention: deleted raw events past the horizon', {
            deleted: result.deleted,
            batches: result.batches,
            retentionDays: options.retentionDays,
          });
        }
      } catch (error) {
        options.logger.warn('usage retention run failed; retrying next interval', {
          error: error instanceof Error ? error.message : String(error),
        });
      } finally {
        running = null;
        if (!abort.signal.aborted) schedule(options.intervalMs);
      }
    })();
  };
  // The first run soon after start (not in the start-up rush), then on the interval.
  schedule(60_000);
  return {
    stop: async () => {
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
