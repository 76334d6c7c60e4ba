import { END_OF_TIME, formatUsdMicros, type ThresholdCrossing } from '@switchyard/core';
import type { BudgetReportStore } from '@switchyard/db';
import type { Logger } from '../logger';
import type { BudgetAlertSink } from './billing';

export interface BudgetAlertsOptions {
  repository: Pick<BudgetReportStore, 'recordAlert' | 'markDelivered'>;
  logger: Logger;
  webhookTimeoutMs: number;
  /** Waits before each retry of a webhook that failed or answered non-2xx. Default 1 s, 5 s, 30 s, 2 min. */
  retryDelaysMs?: readonly number[];
  now?: () => number;
}

const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000];

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
 * the budget's webhook (fire-and-forget, bounded by a timeout) and records `delivered_at` on a 2xx, retrying
 * a failed delivery with backoff until shutdown. An alert that was never delivered stays in the console with
 * no `delivered_at`. Nothing here is awaited by a request, and failures are logged, never thrown.
 */
export class BudgetAlerts implements BudgetAlertSink {
  private readonly options: BudgetAlertsOptions;
  private readonly pending = new Set<Promise<void>>();
  /** Aborted at shutdown: retries still waiting give up (their alerts stay undelivered in the console). */
  private readonly closing = new AbortController();

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

  /** Waits for alerts in flight and cancels pending retries (shutdown). */
  async drain(): Promise<void> {
    this.closing.abort();
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
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      const failure = await this.post(webhookUrl, payload);
      if (failure === null) {
        await repository.markDelivered(alertId, now());
        return;
      }
      const delay = delays[attempt];
      logger.warn('budget alert webhook failed', {
        alertId,
        attempt: attempt + 1,
        error: failure,
        retryInMs: delay === undefined || this.closing.signal.aborted ? null : delay,
      });
      if (delay === undefined || !(await this.sleep(delay))) return;
    }
  }

  /** POSTs the alert; null on a 2xx, otherwise what went wrong. */
  private async post(webhookUrl: string, payload: BudgetAlertPayload): Promise<string | null> {
    try {
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'switchyard-router' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.webhookTimeoutMs),
      });
      await res.body?.cancel();
      return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** Resolves true after `ms`, or false at once when shutdown starts first. */
  private sleep(ms: number): Promise<boolean> {
    const signal = this.closing.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      timer.unref();
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
