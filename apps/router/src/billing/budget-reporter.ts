import type { BudgetReportStore } from '@switchyard/db';
import type { Logger } from '../logger';
import { startPeriodicReport } from '../start-periodic-report';
import type { BudgetStore } from './budget-store';

export interface BudgetReporterOptions {
  instanceId: string;
  store: BudgetStore;
  reports: Pick<BudgetReportStore, 'reportUsage'>;
  intervalMs: number;
  logger: Logger;
}

/**
 * Publishes what this instance holds against each budget (spend and live reservations) to `budget_usage`
 * on an interval, so the console can show reservations. Off the request path; reports never overlap.
 */
export function startBudgetReporter(options: BudgetReporterOptions): { stop(): Promise<void> } {
  const { instanceId, store, reports } = options;
  return startPeriodicReport(
    'budget usage',
    async () => {
      const now = Date.now();
      await reports.reportUsage(instanceId, await store.usage(now), now);
    },
    options.intervalMs,
    options.logger,
  );
}
