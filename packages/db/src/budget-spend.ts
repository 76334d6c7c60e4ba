import { type BudgetScope, firstWholeHourFrom } from '@switchyard/core';

/** One budget's period to sum: epoch ms, end exclusive. */
export interface BudgetSpendPeriod {
  id: string;
  scope: BudgetScope;
  scopeId: string | null;
  start: number;
  end: number;
}

/**
 * Runs one parameterised statement and resolves with its rows: `pg`'s `pool.query(...).rows`, or Prisma's
 * `$queryRawUnsafe` where a Prisma client is at hand (the console). The router reads without Prisma.
 */
export type QueryRows = <Row>(sql: string, values: unknown[]) => Promise<Row[]>;

/**
 * Settled spend per budget period, in one statement for all of them: whole UTC hours from the hourly rollups
 * and, when a period starts mid-hour (a time zone with a :30 or :45 offset), its first part-hour from the raw
 * `usage_events`, since that rollup bucket also holds the end of the previous period. What the router loads
 * and enforces and what the console shows both come from here. Budgets without spend map to 0.
 */
export async function sumBudgetSpend(
  queryRows: QueryRows,
  periods: readonly BudgetSpendPeriod[],
): Promise<Map<string, bigint>> {
  if (periods.length === 0) return new Map();
  const rows = await queryRows<{ id: string; spent: string }>(
    `SELECT b.id,
       (COALESCE((SELECT SUM(r.cost_micros) FROM usage_rollups_hourly r
          WHERE r.bucket_start >= to_timestamp(b.whole_hours_from / 1000.0)
            AND r.bucket_start < to_timestamp(b.period_end / 1000.0)
            AND (b.scope = 'global' OR (b.scope = 'key' AND r.key_id = b.scope_id)
              OR (b.scope = 'team' AND r.team_id = b.scope_id))), 0)
        + COALESCE((SELECT SUM(e.cost_micros) FROM usage_events e
          WHERE b.period_start < b.whole_hours_from
            AND e.created_at >= to_timestamp(b.period_start / 1000.0)
            AND e.created_at < to_timestamp(LEAST(b.whole_hours_from, b.period_end) / 1000.0)
            AND (b.scope = 'global' OR (b.scope = 'key' AND e.key_id = b.scope_id)
              OR (b.scope = 'team' AND e.team_id = b.scope_id))), 0))::text AS spent
     FROM jsonb_to_recordset($1::jsonb)
       AS b(id text, scope text, scope_id text, period_start int8, period_end int8, whole_hours_from int8)`,
    [
      JSON.stringify(
        periods.map((p) => ({
          id: p.id,
          scope: p.scope,
          scope_id: p.scopeId ?? '',
          period_start: p.start,
          period_end: p.end,
          whole_hours_from: firstWholeHourFrom(p.start),
        })),
      ),
    ],
  );
  return new Map(rows.map((row) => [row.id, BigInt(row.spent)]));
}
