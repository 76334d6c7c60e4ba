import { END_OF_TIME, formatUsdMicros, type ThresholdCrossing } from '@switchyard/core';
import type { BudgetReportStore } from '@switchyard/db';
import type { Logger } from '../logger';
import type { BudgetAlertSink } from './billing';

export interface BudgetAlertsOptions {
  repository: Pick<BudgetReportStore, 'recordAlert' | 'markDelivered'>;
  logger: Logger;
  webhookTimeoutMs: number;
  now?: () => number;
}

/** The JSON a budget's webhook receives. Money as decimal USD strings and integer micro-USD. */
export interface BudgetAlertPayload {
  type: 'budget.threshold_reached';
  alertId: string;
  budget: { id: string; name: string; mode: 'hard' | 'soft' };
  threshold: number;
  spentUsd: string;
  limitUsd: string;
  spentMicros: string;
  limitMicros: string;
  periodStart: string;
  periodEnd: string | null;
  at: string;
}

/**
 * Budget alerts off the request path: each crossing is inserted into `budget_alerts`, whose unique
 * (budget, period_start, threshold) makes exactly one router instance win it; the winner POSTs the JSON to
 * the budget's webhook (fire-and-forget, bounded by a timeout) and records `delivered_at` on a 2xx. Nothing
 * here is awaited by a request, and failures are logged, never thrown.
 */
export class BudgetAlerts implements BudgetAlertSink {
  private readonly options: BudgetAlertsOptions;
  private readonly pending = new Set<Promise<void>>();

  constructor(options: BudgetAlertsOptions) {
    this.options = options;
  }

  emit(crossing: ThresholdCrossing, webhookUrl: string | null): void {
    const task = this.deliver(crossing, webhookUrl).catch((error: unknown) =>
      this.options.logger.warn('budget alert could not be recorded', {
        budgetId: crossing.budgetId,
        threshold: crossing.threshold,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /** Waits for alerts in flight (shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async deliver(crossing: ThresholdCrossing, webhookUrl: string | null): Promise<void> {
    const { repository, logger } = this.options;
    const now = this.options.now ?? Date.now;
    const alertId = await repository.recordAlert(
      {
        budgetId: crossing.budgetId,
        periodStart: crossing.periodStart,
        threshold: crossing.threshold,
        spendMicros: crossing.spentMicros,
        limitMicros: crossing.limitMicros,
      },
      now(),
    );
    if (alertId === null) return; // another router instance (or an earlier run) fired it
    logger.warn('budget threshold reached', {
      budgetId: crossing.budgetId,
      budget: crossing.budgetName,
      threshold: crossing.threshold,
      spentUsd: formatUsdMicros(crossing.spentMicros),
      limitUsd: formatUsdMicros(crossing.limitMicros),
    });
    if (webhookUrl === null) return;
    const payload: BudgetAlertPayload = {
      type: 'budget.threshold_reached',
      alertId,
      budget: { id: crossing.budgetId, name: crossing.budgetName, mode: crossing.mode },
      threshold: crossing.threshold,
      spentUsd: formatUsdMicros(crossing.spentMicros),
      limitUsd: formatUsdMicros(crossing.limitMicros),
      spentMicros: crossing.spentMicros.toString(),
      limitMicros: crossing.limitMicros.toString(),
      periodStart: new Date(crossing.periodStart).toISOString(),
      periodEnd: crossing.periodEnd >= END_OF_TIME ? null : new Date(crossing.periodEnd).toISOString(),
      at: new Date(crossing.at).toISOString(),
    };
    try {
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'switchyard-router' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.webhookTimeoutMs),
      });
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) await repository.markDelivered(alertId, now());
      else logger.warn('budget alert webhook refused the alert', { alertId, status: res.status });
    } catch (error) {
      logger.warn('budget alert webhook failed', {
        alertId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
