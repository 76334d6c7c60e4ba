import { BudgetLedger, type BudgetRecord, type ThresholdCrossing } from '@switchyard/core';
import type { BudgetStore, BudgetUsageRow, ReserveResult } from './budget-store';

/**
 * Budgets held in this process by core's {@link BudgetLedger}: JavaScript runs each reserve to completion,
 * so concurrent requests can never overshoot a hard budget. With several router instances and no Redis,
 * each instance enforces against its own spend plus what the database recorded at its last snapshot load.
 */
export class MemoryBudgetStore implements BudgetStore {
  private readonly ledger: BudgetLedger;
  private ids: string[] = [];

  constructor(ledger = new BudgetLedger()) {
    this.ledger = ledger;
  }

  sync(budgets: readonly BudgetRecord[], now: number): void {
    this.ledger.setBudgets(
      budgets.map((b) => b.definition),
      now,
    );
    this.ids = budgets.map((b) => b.definition.id);
    for (const budget of budgets) {
      const status = this.ledger.status(budget.definition.id, now);
      // The database figure is for the period that was current at load; a newer period starts from zero.
      if (!status || status.window.start !== budget.spentSince) continue;
      // Never lower: settled spend still waiting in the usage queue is not in the rollups yet.
      if (budget.spentMicros > status.spentMicros) {
        this.ledger.loadSpent(budget.definition.id, budget.spentMicros, now);
      }
    }
  }

  reserve(budgetIds: readonly string[], amountMicros: bigint, leaseMs: number, now: number): ReserveResult {
    const result = this.ledger.reserve(budgetIds, amountMicros, leaseMs, now);
    if (result.ok) return { kind: 'reserved', reservationId: result.value.reservationId };
    return { kind: 'refused', budget: result.error.budget, remainingMicros: result.error.remainingMicros };
  }

  settle(reservationId: string, actualMicros: bigint, now: number): ThresholdCrossing[] {
    const result = this.ledger.settle(reservationId, actualMicros, now);
    return result.ok ? result.value.events : [];
  }

  release(reservationId: string): void {
    this.ledger.release(reservationId);
  }

  async usage(now: number): Promise<BudgetUsageRow[]> {
    this.ledger.expire(now);
    const rows: BudgetUsageRow[] = [];
    for (const id of this.ids) {
      const status = this.ledger.status(id, now);
      if (!status) continue;
      rows.push({
        budgetId: id,
        periodStart: status.window.start,
        spentMicros: status.spentMicros,
        reservedMicros: status.reservedMicros,
      });
    }
    return rows;
  }

  async close(): Promise<void> {}
}
