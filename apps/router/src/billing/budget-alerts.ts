import { END_OF_TIME, formatUsdMicros, periodWindow, type ThresholdCrossing } from '@switchyard/core';
import type { BudgetReportStore, ClaimedBudgetAlert } from '@switchyard/db';
import type { Logger } from '../logger';
import type { BudgetAlertSink } from './billing';
import { WakeSchedule } from './wake-schedule';
import {
  DEFAULT_WEBHOOK_MAX_ATTEMPTS,
  DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  webhookRetryDelay,
} from './webhook-retry-delay';

export interface BudgetAlertsOptions {
  repository: Pick<
    BudgetReportStore,
    'recordAlert' | 'claimDueAlerts' | 'markDelivered' | 'recordDeliveryFailure'
  >;
  logger: Logger;
  webhookTimeoutMs: number;
  /** Waits before each retry of a webhook that failed or answered non-2xx; the last repeats. */
  retryDelaysMs?: readonly number[];
  /** Attempts (across every router instance) before an alert is given up. */
  maxAttempts?: number;
  /** How often this instance looks for due alerts; its own retries and new alerts wake it sooner. Default 5 s. */
  pollIntervalMs?: number;
  /** Alerts claimed (and POSTed concurrently) per pass. Default 10. */
  batchSize?: number;
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

/** Longest wait, beyond the webhook timeout, for in-flight deliveries to be recorded at shutdown. */
const DRAIN_GRACE_MS = 5_000;
/** A claim outlives its POST (timeout) and the write of its outcome by this much before others may retry. */
const LEASE_MARGIN_MS = 30_000;
const MAX_ERROR_LENGTH = 500;
/**
 * Crossings held for a retry of their insert at most. Past it new ones are dropped (and logged): a router
 * re-derives every crossing from recorded spend when it next reads it, so they are alerted late, not lost.
 */
const MAX_UNRECORDED = 10_000;

/** A crossing whose alert row is not stored yet. */
interface UnrecordedCrossing {
  crossing: ThresholdCrossing;
  webhookUrl: string | null;
  /** An insert of it is running (from `emit` or a pass): no other is started meanwhile. */
  inserting: boolean;
}

/**
 * Budget alerts off the request path. Each crossing is inserted into `budget_alerts`, whose unique (budget,
 * period_start, threshold) makes exactly one router instance win it; with a webhook the row is due for
 * delivery at once. Delivery is durable: every instance claims due alerts from the table (at start-up, on an
 * interval, and right after it wins one), POSTs each with a timeout, and records `delivered_at` on a 2xx or the
 * error and the next due time otherwise, so an alert whose router stopped is delivered by whichever instance
 * runs next — at least once, always with the same `alertId`. A claim leases the row, so two instances never
 * POST the same alert at once. An insert that fails (the database is away) is kept and retried on every pass,
 * and crossings re-derived from recorded spend arrive here too, so an alert is stored once its database is back.
 * Nothing here is awaited by a request, and failures are logged, never thrown.
 */
export class BudgetAlerts implements BudgetAlertSink {
  private readonly options: BudgetAlertsOptions;
  private readonly now: () => number;
  private readonly recording = new Set<Promise<void>>();
  private running: Promise<void> | null = null;
  /** A pass was asked for while one ran (a new alert may have missed its claim): run another after it. */
  private again = false;
  /** Polls and this instance's own retries, each kept until served. */
  private readonly schedule: WakeSchedule;
  private closed = false;
  /** The last pass could not claim (the database is away): logged when it starts and when it ends. */
  private claimsFailing = false;
  /** Crossings whose insert failed (the database was away) or runs, by alert key: every pass retries them. */
  private readonly unrecorded = new Map<string, UnrecordedCrossing>();
  /** Alert keys known to be stored (by this or another instance), with their period's end, to skip repeats. */
  private readonly recorded = new Map<string, number>();
  private droppedUnrecorded = false;

  constructor(options: BudgetAlertsOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.schedule = new WakeSchedule(() => this.run(), this.now);
  }

  /** Delivers what is due now (alerts left by earlier runs or other instances), then keeps polling. */
  start(): void {
    this.run();
  }

  /**
   * Stores the alert of a crossing, once: a crossing already stored (or being stored) is skipped, and one whose
   * insert fails (the database is away) is kept and retried on every pass until the insert goes through. Called
   * for each settlement's crossings and for the thresholds recorded spend has reached at every spend read.
   */
  emit(crossing: ThresholdCrossing, webhookUrl: string | null): void {
    const key = alertKey(crossing);
    if (this.recorded.has(key) || this.unrecorded.has(key)) return;
    if (this.unrecorded.size >= MAX_UNRECORDED) {
      if (!this.droppedUnrecorded) {
        this.droppedUnrecorded = true;
        const max = MAX_UNRECORDED;
        this.options.logger.warn('budget alerts waiting for the database at the cap; later ones wait', {
          max,
        });
      }
      return;
    }
    const entry: UnrecordedCrossing = { crossing, webhookUrl, inserting: false };
    this.unrecorded.set(key, entry);
    const task = this.insert(key, entry).catch((error: unknown) =>
      this.options.logger.warn('budget alert could not be recorded; retrying', {
        budgetId: crossing.budgetId,
        threshold: crossing.threshold,
        error: errorMessage(error),
      }),
    );
    this.recording.add(task);
    void task.finally(() => this.recording.delete(task));
  }

  /**
   * Stops polling and waits, bounded, for alerts being recorded and POSTs in flight (each ends by its timeout).
   * An alert not delivered by then stays due in the table for the next instance that runs.
   */
  async drain(): Promise<void> {
    this.closed = true;
    this.schedule.close();
    let bound: NodeJS.Timeout | undefined;
    const settled = Promise.allSettled([...this.recording, this.running]).then(() => true);
    const timedOut = new Promise<boolean>((resolve) => {
      bound = setTimeout(() => resolve(false), this.options.webhookTimeoutMs + DRAIN_GRACE_MS);
    });
    const done = await Promise.race([settled, timedOut]);
    clearTimeout(bound);
    if (!done) this.options.logger.warn('budget alert deliveries still running at shutdown; left due');
  }

  /** Inserts an unrecorded crossing; on success it is known stored, on failure it stays for the next pass. */
  private async insert(key: string, entry: UnrecordedCrossing): Promise<void> {
    entry.inserting = true;
    try {
      await this.record(entry.crossing, entry.webhookUrl);
    } finally {
      entry.inserting = false;
    }
    this.unrecorded.delete(key);
    this.recorded.set(key, entry.crossing.periodEnd);
    if (this.unrecorded.size === 0) this.droppedUnrecorded = false;
  }

  /** Retries the inserts that failed; throws (ending the pass) while the database still refuses them. */
  private async insertUnrecorded(): Promise<void> {
    const now = this.now();
    for (const [key, periodEnd] of this.recorded) if (periodEnd <= now) this.recorded.delete(key);
    for (const [key, entry] of this.unrecorded) if (!entry.inserting) await this.insert(key, entry);
  }

  private async record(crossing: ThresholdCrossing, webhookUrl: string | null): Promise<void> {
    const { repository, logger } = this.options;
    const alertId = await repository.recordAlert(
      {
        budgetId: crossing.budgetId,
        periodStart: crossing.periodStart,
        threshold: crossing.threshold,
        spendMicros: crossing.spentMicros,
        limitMicros: crossing.limitMicros,
      },
      crossing.at,
    );
    if (alertId === null) return; // another router instance (or an earlier run) fired it
    logger.warn('budget threshold reached', {
      budgetId: crossing.budgetId,
      budget: crossing.budgetName,
      threshold: crossing.threshold,
      spentUsd: formatUsdMicros(crossing.spentMicros),
      limitUsd: formatUsdMicros(crossing.limitMicros),
    });
    if (webhookUrl !== null) this.run();
  }

  /** Starts a delivery pass now, or right after the one running. */
  private run(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.passes()
      .then(
        () => {
          if (!this.claimsFailing) return;
          this.claimsFailing = false;
          this.options.logger.info('budget alert deliveries can be claimed again');
        },
        (error: unknown) => {
          if (this.claimsFailing) return; // one line per outage, not one per poll
          this.claimsFailing = true;
          this.options.logger.warn('budget alert deliveries could not be claimed; retrying every poll', {
            error: errorMessage(error),
          });
        },
      )
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.run();
        } else {
          this.schedule.pollAt(this.now() + (this.options.pollIntervalMs ?? 5_000));
        }
      });
  }

  /** Claims and delivers batches until fewer than a full batch was due. */
  private async passes(): Promise<void> {
    const batchSize = this.options.batchSize ?? 10;
    const leaseMs = this.options.webhookTimeoutMs + LEASE_MARGIN_MS;
    await this.insertUnrecorded();
    while (!this.closed) {
      const claimed = await this.options.repository.claimDueAlerts(this.now(), leaseMs, batchSize);
      await Promise.all(claimed.map((alert) => this.deliver(alert)));
      if (claimed.length < batchSize) return;
    }
  }

  private async deliver(alert: ClaimedBudgetAlert): Promise<void> {
    const { repository, logger } = this.options;
    try {
      const failure = await this.post(alert.webhookUrl, budgetAlertPayload(alert));
      if (failure === null) {
        await repository.markDelivered(alert.id, this.now());
        return;
      }
      const delay = webhookRetryDelay(
        alert.attempt,
        this.options.retryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
        this.options.maxAttempts ?? DEFAULT_WEBHOOK_MAX_ATTEMPTS,
      );
      const nextAt = delay === null ? null : this.now() + delay;
      logger.warn(delay === null ? 'budget alert webhook failed; giving up' : 'budget alert webhook failed', {
        alertId: alert.id,
        attempt: alert.attempt,
        error: failure,
        retryInMs: delay,
      });
      await repository.recordDeliveryFailure(alert.id, failure.slice(0, MAX_ERROR_LENGTH), nextAt);
      if (nextAt !== null) this.schedule.wakeAt(nextAt);
    } catch (error) {
      // The lease runs out and the alert is due again: delivered at least once, maybe twice.
      logger.warn('budget alert delivery could not be recorded', {
        alertId: alert.id,
        error: errorMessage(error),
      });
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
      return errorMessage(error);
    }
  }
}

/**
 * The webhook JSON of a stored alert: the same on every attempt. `at` is when the settlement crossed the
 * threshold, and the period's end comes from the budget's period and time zone as the ledger computes it.
 */
export function budgetAlertPayload(alert: ClaimedBudgetAlert): BudgetAlertPayload {
  const periodEnd = periodWindow(alert.period, alert.periodStart, alert.timeZone).end;
  return {
    type: 'budget.threshold_reached',
    alertId: alert.id,
    budget: { id: alert.budgetId, name: alert.budgetName, mode: alert.mode },
    threshold: alert.threshold,
    spentUsd: formatUsdMicros(alert.spendMicros),
    limitUsd: formatUsdMicros(alert.limitMicros),
    spentMicros: alert.spendMicros.toString(),
    limitMicros: alert.limitMicros.toString(),
    periodStart: new Date(alert.periodStart).toISOString(),
    periodEnd: periodEnd >= END_OF_TIME ? null : new Date(periodEnd).toISOString(),
    at: new Date(alert.createdAt).toISOString(),
  };
}

/** What makes an alert one: the table's unique (budget, period start, threshold). */
function alertKey(crossing: ThresholdCrossing): string {
  return `${crossing.budgetId}:${crossing.periodStart}:${crossing.threshold}`;
}

/** The message, with its cause's (fetch's "fetch failed" says nothing without it). */
function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
