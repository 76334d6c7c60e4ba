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

/** The router's writes about budgets; never awaited on the request path. */
export interface BudgetReportStore {
  /**
   * Stores an alert unless this (budget, period, threshold) already fired — from this or any other router
   * instance. Returns the new alert's id, or null when it had fired already (so only one router sends it).
   */
  recordAlert(alert: BudgetAlertInput, at: number): Promise<string | null>;
  /** Marks an alert's webhook delivery (a 2xx answer). */
  markDelivered(alertId: string, at: number): Promise<void>;
  /** Upserts this instance's spend and reservations per budget (one statement). */
  reportUsage(instanceId: string, rows: readonly BudgetUsageReportRow[], now: number): Promise<void>;
  close(): Promise<void>;
}

const RECORD_ALERT_SQL = `
  INSERT INTO budget_alerts (id, budget_id, period_start, threshold, spend_micros, limit_micros, created_at)
  VALUES ($1, $2, to_timestamp($3::int8 / 1000.0), $4, $5::int8, $6::int8, to_timestamp($7::int8 / 1000.0))
  ON CONFLICT (budget_id, period_start, threshold) DO NOTHING
  RETURNING id`;

const MARK_DELIVERED_SQL = `UPDATE budget_alerts SET delivered_at = to_timestamp($2::int8 / 1000.0) WHERE id = $1`;

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
  const pool = createSmallPool(databaseUrl, options.onError);
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
    async markDelivered(alertId, at) {
      await pool.query(MARK_DELIVERED_SQL, [alertId, at]);
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
