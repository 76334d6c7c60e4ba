import type { HealthStore } from '@switchyard/db';
import type { Logger } from '../logger';
import { startPeriodicReport } from '../start-periodic-report';
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
  const { instanceId, health, store } = options;
  return startPeriodicReport(
    'health',
    () => {
      const now = Date.now();
      return store.report(instanceId, health.rows(now), now);
    },
    options.intervalMs,
    options.logger,
  );
}
