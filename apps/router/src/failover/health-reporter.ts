import type { HealthStore } from '@switchyard/db';
import type { Logger } from '../logger';
import type { UpstreamHealth } from './upstream-health';

export interface HealthReporterOptions {
  instanceId: string;
  health: UpstreamHealth;
  store: HealthStore;
  intervalMs: number;
  logger: Logger;
}

/**
 * Publishes this instance's upstream health to the database on an interval, for the console's health page.
 * Off the request path: a slow or absent database delays the page, never a request; reports never overlap.
 */
export function startHealthReporter(options: HealthReporterOptions): { stop(): Promise<void> } {
  const { instanceId, health, store, logger } = options;
  let running: Promise<void> | null = null;
  let failing = false;
  const report = (): Promise<void> => {
    const now = Date.now();
    return store.report(instanceId, health.rows(now), now).then(
      () => {
        if (failing) logger.info('health reporting recovered');
        failing = false;
      },
      (error: unknown) => {
        if (!failing) {
          logger.warn('health report failed; will keep trying', {
            error: error instanceof Error ? error.message : String(error),
          });
        }
        failing = true;
      },
    );
  };
  const timer = setInterval(() => {
    if (running) return;
    running = report().finally(() => {
      running = null;
    });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await report();
    },
  };
}
