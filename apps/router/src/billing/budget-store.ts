import type { BudgetDefinition, BudgetRecord, ThresholdCrossing } from '@switchyard/core';

/** Outcome of a reservation attempt. */
export type ReserveResult =
  | { kind: 'reserved'; reservationId: string }
  /** A hard budget would be overrun: the first one, with what it could still admit. */
  | { kind: 'refused'; budget: BudgetDefinition; remainingMicros: bigint }
  /** The shared store cannot be reached; the caller applies its failure policy. */
  | { kind: 'unavailable'; reason: string };

/** What this instance holds against one budget, for the console's budget page. */
export interface BudgetUsageRow {
  budgetId: string;
  periodStart: number;
  spentMicros: bigint;
  reservedMicros: bigint;
}

/**
 * Where budget spend and reservations live: in this process ({@link MemoryBudgetStore}) or shared by every
 * router instance in Redis. Reserve is atomic: it checks every hard budget and holds the amount on all of
 * them, or on none.
 */
export interface BudgetStore {
  /** Applies a snapshot's budgets; spend recorded in the database raises (never lowers) what is held here. */
  sync(budgets: readonly BudgetRecord[], now: number): void;
  /**
   * Holds the amount on every budget, or on none. Reserve, settle and release answer directly when nothing needs
   * awaiting (the in-memory store: no promise per request on the hot path), with a promise when they do (Redis).
   */
  reserve(
    budgetIds: readonly string[],
    amountMicros: bigint,
    leaseMs: number,
    now: number,
  ): ReserveResult | Promise<ReserveResult>;
  /** Replaces the hold with the actual cost; returns the alert thresholds this spend crossed. */
  settle(
    reservationId: string,
    actualMicros: bigint,
    now: number,
  ): ThresholdCrossing[] | Promise<ThresholdCrossing[]>;
  /** Drops the hold without spending (the request failed or cost nothing). */
  release(reservationId: string): void | Promise<void>;
  /** Spend and live reservations per budget, current period. */
  usage(now: number): Promise<BudgetUsageRow[]>;
  close(): Promise<void>;
}
