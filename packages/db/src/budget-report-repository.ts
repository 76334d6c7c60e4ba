import type { BudgetMode, BudgetPeriod } from '@switchyard/core';
import { newId } from './ids';
import { createSmallPool } from './small-pool';

/** One threshold crossing to store; times are epoch ms, money integer micro-USD. */
export interface BudgetAlertInput {
  budgetId: string;
  periodStart: number;
  threshold: number;
  spendMicros: bigint;
  limitMicros: bigint;
}

/** What one router instance holds against one budget in its current period. */
export interface BudgetUsageReportRow {
  budgetId: string;
  periodStart: number;
  spentMicros: bigint;
  reservedMicros: bigint;
}

/**
 * An undelivered alert one router instance has claimed for one webhook attempt, with everything its payload
 * is built from. Times are epoch ms, money integer micro-USD; budget fields are the budget's current ones.
 */
export interface ClaimedBudgetAlert {
  id: string;
  budgetId: string;
  budgetName: string;
  mode: BudgetMode;
  period: BudgetPeriod;
  timeZone: string;
  threshold: number;
  spendMicros: bigint;
  limitMicros: bigint;
  periodStart: number;
  /** When the alert was recorded: the settlement that crossed the threshold. */
  createdAt: number;
  webhookUrl: string;
  /** This attempt's number, counting from 1 (claims by earlier or crashed instances included). */
  attempt: number;
}

/** The router's writes about budgets; never awaited on the request path. */
export interface BudgetReportStore {
  /**
   * Stores an alert unless this (budget, period, threshold) already fired — from this or any other router
   * instance. Returns the new alert's id, or null when it had fired already (so only one router sends it).
   * When the budget has a webhook the alert is due for delivery at `at`.
   */
  recordAlert(alert: BudgetAlertInput, at: number): Promise<string | null>;
  /**
   * Claims up to `limit` undelivered alerts whose delivery is due at `now` and whose budget has a webhook, in
   * one statement: each one's next delivery moves `leaseMs` ahead and its attempt count goes up, so no other
   * instance claims it while this one POSTs (and one that dies mid-POST leaves it due again after the lease).
   */
  claimDueAlerts(now: number, leaseMs: number, limit: number): Promise<ClaimedBudgetAlert[]>;
  /** Marks an alert's webhook delivery (a 2xx answer); nothing is due for it any more. */
  markDelivered(alertId: string, at: number): Promise<void>;
  /** Records a failed attempt and when the next is due; `nextAt` null gives up (it stays undelivered). */
  recordDeliveryFailure(alertId: string, error: string, nextAt: number | null): Promise<void>;
  /** Upserts this instance's spend and reservations per budget (one statement). */
  reportUsage(instanceId: string, rows: readonly BudgetUsageReportRow[], now: number): Promise<void>;
  close(): Promise<void>;
}

// The webhook is read from the budget row, not the caller's snapshot, so claims and inserts agree on it.
const RECORD_ALERT_SQL = `
  INSERT INTO budget_alerts (id, budget_id, period_start, threshold, spend_micros, limit_micros, created_at,
    next_delivery_at)
  SELECT $1, $2, to_timestamp($3::int8 / 1000.0), $4, $5::int8, $6::int8, to_timestamp($7::int8 / 1000.0),
    CASE WHEN b.webhook_url IS NULL THEN NULL ELSE to_timestamp($7::int8 / 1000.0) END
  FROM budgets b WHERE b.id = $2
  ON CONFLICT (budget_id, period_start, threshold) DO NOTHING
  RETURNING id`;

// SKIP LOCKED lets concurrent claimers pass over each other's rows; a row another claimer committed since this
// statement's snapshot is re-checked against the new next_delivery_at (read committed), so it is not due.
const CLAIM_DUE_ALERTS_SQL = `
  UPDATE budget_alerts a
  SET delivery_attempts = a.delivery_attempts + 1,
    next_delivery_at = to_timestamp(($1::int8 + $2::int8) / 1000.0)
  FROM budgets b
  WHERE b.id = a.budget_id AND a.id IN (
    SELECT due.id FROM budget_alerts due JOIN budgets db ON db.id = due.budget_id
    WHERE due.delivered_at IS NULL AND due.next_delivery_at <= to_timestamp($1::int8 / 1000.0)
      AND db.webhook_url IS NOT NULL
    ORDER BY due.next_delivery_at
    LIMIT $3
    FOR UPDATE OF due SKIP LOCKED)
  RETURNING a.id, a.budget_id, b.name, b.mode::text AS mode, b.period::text AS period, b.time_zone,
    a.threshold, a.spend_micros::text AS spend_micros, a.limit_micros::text AS limit_micros, a.period_start,
    a.created_at, b.webhook_url, a.delivery_attempts`;

const MARK_DELIVERED_SQL = `
  UPDATE budget_alerts SET delivered_at = COALESCE(delivered_at, to_timestamp($2::int8 / 1000.0)),
    next_delivery_at = NULL
  WHERE id = $1`;

// An instance whose lease ran out may answer after another delivered the alert: that must not reschedule it.
const RECORD_DELIVERY_FAILURE_SQL = `
  UPDATE budget_alerts SET last_delivery_error = $2,
    next_delivery_at = CASE WHEN $3::int8 IS NULL THEN NULL ELSE to_timestamp($3::int8 / 1000.0) END
  WHERE id = $1 AND delivered_at IS NULL`;

interface ClaimedAlertRow {
  id: string;
  budget_id: string;
  name: string;
  mode: BudgetMode;
  period: BudgetPeriod;
  time_zone: string;
  threshold: number;
  spend_micros: string;
  limit_micros: string;
  period_start: Date;
  created_at: Date;
  webhook_url: string;
  delivery_attempts: number;
}

// Budgets deleted since the report was taken are skipped (budget_usage has no foreign key to re-check).
const REPORT_USAGE_SQL = `
  INSERT INTO budget_usage (instance_id, budget_id, period_start, spent_micros, reserved_micros, updated_at)
  SELECT $1, u.budget_id, to_timestamp(u.period_start / 1000.0), u.spent::int8, u.reserved::int8,
    to_timestamp($2::int8 / 1000.0)
  FROM jsonb_to_recordset($3::jsonb) AS u(budget_id text, period_start int8, spent text, reserved text)
  WHERE EXISTS (SELECT 1 FROM budgets b WHERE b.id = u.budget_id)
  ON CONFLICT (instance_id, budget_id) DO UPDATE SET period_start = excluded.period_start,
    spent_micros = excluded.spent_micros, reserved_micros = excluded.reserved_micros,
    updated_at = excluded.updated_at`;

/** A budget repository over one plain `pg` connection. */
export function createBudgetReportStore(
  databaseUrl: string,
  options: { onError?: (error: Error) => void } = {},
): BudgetReportStore {
  const pool = createSmallPool(databaseUrl, { onError: options.onError });
  return {
    async recordAlert(alert, at) {
      const id = newId('alrt');
      const result = await pool.query<{ id: string }>(RECORD_ALERT_SQL, [
        id,
        alert.budgetId,
        alert.periodStart,
        alert.threshold,
        alert.spendMicros.toString(),
        alert.limitMicros.toString(),
        at,
      ]);
      return result.rows[0]?.id ?? null;
    },
    async claimDueAlerts(now, leaseMs, limit) {
      const result = await pool.query<ClaimedAlertRow>(CLAIM_DUE_ALERTS_SQL, [now, leaseMs, limit]);
      return result.rows.map((row) => ({
        id: row.id,
        budgetId: row.budget_id,
        budgetName: row.name,
        mode: row.mode,
        period: row.period,
        timeZone: row.time_zone,
        threshold: row.threshold,
        spendMicros: BigInt(row.spend_micros),
        limitMicros: BigInt(row.limit_micros),
        periodStart: row.period_start.getTime(),
        createdAt: row.created_at.getTime(),
        webhookUrl: row.webhook_url,
        attempt: row.delivery_attempts,
      }));
    },
    async markDelivered(alertId, at) {
      await pool.query(MARK_DELIVERED_SQL, [alertId, at]);
    },
    async recordDeliveryFailure(alertId, error, nextAt) {
      await pool.query(RECORD_DELIVERY_FAILURE_SQL, [alertId, error, nextAt]);
    },
    async reportUsage(instanceId, rows, now) {
      if (rows.length === 0) return;
      const json = JSON.stringify(
        rows.map((r) => ({
          budget_id: r.budgetId,
          period_start: r.periodStart,
          spent: r.spentMicros.toString(),
          reserved: r.reservedMicros.toString(),
        })),
      );
      await pool.query(REPORT_USAGE_SQL, [instanceId, now, json]);
    },
    close: () => pool.end(),
  };
}
