import type { ThresholdCrossing } from './budget-ledger';
import type { BudgetRecord } from './config-snapshot';
import { periodWindow } from './period-window';

/**
 * Every alert threshold a budget's recorded spend (from the database, for the period starting at `spentSince`)
 * has reached, as crossings dated `at`. A router derives them whenever it reads spend, so a crossing whose
 * alert row could not be stored — the database was away when it settled, and the router that saw it died
 * before the database came back — is still alerted; the alert table's unique (budget, period, threshold)
 * keeps each to one row, so deriving one already stored adds nothing.
 */
export function thresholdsReached(budget: BudgetRecord, at: number): ThresholdCrossing[] {
  const { definition: def, spentMicros, spentSince } = budget;
  const crossings: ThresholdCrossing[] = [];
  // Nothing spent reaches nothing, even of a zero limit (the ledger alerts only on settlements, too).
  if (spentMicros <= 0n) return crossings;
  for (const threshold of def.alertThresholds) {
    // spent ≥ threshold% of limit, in integers (as the ledger decides it).
    if (spentMicros * 100n < BigInt(threshold) * def.limitMicros) continue;
    crossings.push({
      budgetId: def.id,
      budgetName: def.name,
      mode: def.mode,
      threshold,
      spentMicros,
      limitMicros: def.limitMicros,
      periodStart: spentSince,
      periodEnd: periodWindow(def.period, spentSince, def.timeZone).end,
      at,
    });
  }
  return crossings;
}
