import type { RouterSettings } from '@switchyard/core';
import type { HealthStore } from '@switchyard/db';
import type { Logger } from '../logger';
import { startPeriodicReport } from '../start-periodic-report';
import type { UpstreamHealth } from './upstream-health';

export interface HealthReporterOptions {
  instanceId: string;
  health: UpstreamHealth;
  store: HealthStore;
  intervalMs: number;
  /** What this instance applies where configuration is silent or capped, published with every report. */
  settings: RouterSettings;
  logger: Logger;
}

/**
 * Publishes this instance's upstream health and its settings to the database on an interval, for the console's
 * health page and readback (a route's effective attempts and breaker thresholds, an account's checks).
 * Off the request path: a slow or absent database delays the page, never a request; reports never overlap.
 */
export function startHealthReporter(options: HealthReporterOptions): { stop(): Promise<void> } {
  const { instanceId, health, store } = options;
  return startPeriodicReport(
    'health',
    () => {
      const now = Date.now();
      return store.report(instanceId, health.rows(now), now, options.settings);
    },
    options.intervalMs,
    options.logger,
  );
}
