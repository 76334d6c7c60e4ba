import type { BudgetDefinition, BudgetMode } from './budget-definition';
import { fail, ok, type Result } from './gateway-error';
import { type PeriodWindow, periodWindow } from './period-window';

/** Why a reservation was refused: the first hard budget (in the order given) that it would overrun. */
export interface BudgetRefusal {
  reason: 'budget_exceeded';
  budget: BudgetDefinition;
  limitMicros: bigint;
  spentMicros: bigint;
  reservedMicros: bigint;
  requestedMicros: bigint;
  /** limit − spent − reserved, floored at 0: what this budget could still admit. */
  remainingMicros: bigint;
  /** Every hard budget the request would overrun, first one included. */
  exceededBudgetIds: string[];
}

/**
 * A threshold the projected spend (spent + reserved, this request included) reaches but actual spend has not
 * yet: informational, repeated on every reservation until spend catches up. Soft budgets use it to warn.
 */
export interface BudgetWarning {
  budgetId: string;
  mode: BudgetMode;
  threshold: number;
  projectedMicros: bigint;
  limitMicros: bigint;
}

/** An alert: actual spend reached `threshold`% of a budget's limit. Fires once per budget, threshold and period. */
export interface ThresholdCrossing {
  budgetId: string;
  budgetName: string;
  mode: BudgetMode;
  threshold: number;
  spentMicros: bigint;
  limitMicros: bigint;
  periodStart: number;
  periodEnd: number;
  /** Epoch ms of the settlement that crossed it. */
  at: number;
}

/** An admitted reservation. */
export interface ReserveOk {
  reservationId: string;
  expiresAt: number;
  warnings: BudgetWarning[];
  /** Budget ids that were asked for but are not configured (deleted since the caller looked them up). */
  unknownBudgetIds: string[];
}

/** The outcome of settling a reservation. */
export interface SettleOk {
  events: ThresholdCrossing[];
  /** True when the reservation's lease had already expired: spend is still recorded. */
  late: boolean;
}

/** What a budget stands at, for the console. */
export interface BudgetStatus {
  budget: BudgetDefinition;
  window: PeriodWindow;
  spentMicros: bigint;
  reservedMicros: bigint;
  /** limit − spent − reserved, floored at 0. */
  remainingMicros: bigint;
  /** Live reservations counted in `reservedMicros`. */
  reservations: number;
}

/** Tuning for a {@link BudgetLedger}. */
export interface BudgetLedgerOptions {
  /** Reservation ids; default `rsv_1`, `rsv_2`, … (unique within the process, which is their whole scope). */
  newId?: () => string;
  /** How long an expired reservation can still be settled, so a request that outlived its lease still pays. Default 1 h. */
  lateSettleMs?: number;
}

/** One of a budget's alert thresholds with the level it compares spend against (see {@link reaches}). */
interface Alert {
  /** Percent of the limit. */
  threshold: number;
  /** threshold × limit, worked out once per definition rather than on every reserve and settle. */
  level: bigint;
}

interface BudgetState {
  def: BudgetDefinition;
  /** `def.alertThresholds`, in order, with their levels. */
  alerts: Alert[];
  window: PeriodWindow;
  spent: bigint;
  reserved: bigint;
  live: number;
  fired: Set<number>;
  /** Changes whenever the period restarts, so a hold from an earlier period is never released into a later one. */
  generation: number;
}

interface Reservation {
  id: string;
  amount: bigint;
  expiresAt: number;
  /** Each budget with the period (generation) the amount was reserved in. */
  legs: { budgetId: string; generation: number }[];
}

/**
 * Budget accounting for one router process, in memory, with atomic reserve → settle | release semantics.
 * JavaScript runs each call to completion, so a reserve checks and takes in one step and no interleaving of
 * concurrent requests can overshoot.
 *
 * Guarantee, per hard budget and period: a reservation is admitted only if spent + reserved + amount ≤
 * limit, so admitted reservations never hold more than the limit. Spend can pass the limit only when a
 * request's actual cost exceeds its reservation (settle records the actual; the overshoot is at most the sum
 * of those differences, which a worst-case estimate keeps at zero) or through {@link charge}. Once over,
 * every further request is refused until the period rolls over.
 *
 * Periods: each budget's window comes from {@link periodWindow}; when `now` passes its end the budget rolls
 * over: spent and reserved restart at zero and alerts re-arm. A reservation is charged to the period it was
 * made in: settling it after a rollover adds nothing to the new period (the usage row still lands in the old
 * one, by request time, which is what the database totals). Clocks that go backwards never roll a budget back.
 *
 * Leases: a reservation not settled or released by `expiresAt` is dropped by {@link expire} (also run lazily
 * by reserve), returning its hold to the budget, so a lost request cannot leak budget; it can still be
 * settled for `lateSettleMs` afterwards so a slow request's spend is not lost.
 */
export class BudgetLedger {
  private readonly budgets = new Map<string, BudgetState>();
  private readonly live = new Map<string, Reservation>();
  private readonly expired = new Map<string, { reservation: Reservation; forgetAt: number }>();
  private readonly newId: () => string;
  private readonly lateSettleMs: number;
  private earliestExpiry = Number.POSITIVE_INFINITY;
  private generations = 0;

  constructor(budgets: readonly BudgetDefinition[] = [], options: BudgetLedgerOptions = {}) {
    let seq = 0;
    this.newId = options.newId ?? (() => `rsv_${++seq}`);
    this.lateSettleMs = options.lateSettleMs ?? 3_600_000;
    this.setBudgets(budgets, 0);
  }

  /**
   * Replaces the configured budgets (a config reload). Budgets that stay keep their spend, reservations and
   * fired alerts; a budget whose period or time zone changed restarts its window from zero (load its spend
   * again with {@link loadSpent}); removed budgets are forgotten and no longer enforced.
   */
  setBudgets(budgets: readonly BudgetDefinition[], now: number): void {
    const next = new Map<string, BudgetState>();
    for (const def of budgets) {
      const old = this.budgets.get(def.id);
      if (old && old.def.period === def.period && old.def.timeZone === def.timeZone) {
        old.def = def;
        old.alerts = alerts(def);
        next.set(def.id, old);
      } else {
        next.set(def.id, this.freshState(def, now));
      }
    }
    this.budgets.clear();
    for (const [id, state] of next) this.budgets.set(id, state);
  }

  /**
   * Holds `amountMicros` (a worst-case cost) against every budget in `budgetIds` for `leaseMs`, or refuses
   * without holding anything if a hard budget would be overrun. Soft budgets never refuse; thresholds the
   * projected spend reaches come back as warnings. Unknown ids are skipped and listed.
   */
  reserve(
    budgetIds: readonly string[],
    amountMicros: bigint,
    leaseMs: number,
    now: number,
  ): Result<ReserveOk, BudgetRefusal> {
    if (amountMicros < 0n)
      throw new RangeError(`BudgetLedger.reserve: amount must be ≥ 0; got ${amountMicros}.`);
    if (!Number.isFinite(leaseMs) || leaseMs <= 0) {
      throw new RangeError(`BudgetLedger.reserve: leaseMs must be > 0; got ${leaseMs}.`);
    }
    if (now >= this.earliestExpiry) this.expire(now);

    // Sized for every id, then cut to those held: an empty array's first push reserves 17 slots (152 bytes).
    const states = new Array<BudgetState>(budgetIds.length);
    let held = 0;
    const unknownBudgetIds: string[] = [];
    for (let i = 0; i < budgetIds.length; i++) {
      const id = budgetIds[i] as string;
      if (listedBefore(budgetIds, i)) continue;
      const state = this.budgets.get(id);
      if (!state) unknownBudgetIds.push(id);
      else states[held++] = this.roll(state, now);
    }
    // Cut only when an id was unknown or repeated: a length store is a runtime call.
    if (held < states.length) states.length = held;

    let first: BudgetState | undefined;
    for (const s of states) {
      if (exceeds(s, amountMicros)) {
        first = s;
        break;
      }
    }
    if (first) {
      const exceeded = states.filter((s) => exceeds(s, amountMicros));
      return fail({
        reason: 'budget_exceeded',
        budget: first.def,
        limitMicros: first.def.limitMicros,
        spentMicros: first.spent,
        reservedMicros: first.reserved,
        requestedMicros: amountMicros,
        remainingMicros: remaining(first),
        exceededBudgetIds: exceeded.map((s) => s.def.id),
      });
    }

    const reservation: Reservation = {
      id: this.newId(),
      amount: amountMicros,
      expiresAt: now + leaseMs,
      legs: states.map((s) => ({ budgetId: s.def.id, generation: s.generation })),
    };
    const warnings: BudgetWarning[] = [];
    for (const s of states) {
      s.reserved += amountMicros;
      s.live++;
      const projected = s.spent + s.reserved;
      for (const { threshold, level } of s.alerts) {
        if (!s.fired.has(threshold) && reaches(projected, level)) {
          warnings.push({
            budgetId: s.def.id,
            mode: s.def.mode,
            threshold,
            projectedMicros: projected,
            limitMicros: s.def.limitMicros,
          });
        }
      }
    }
    this.live.set(reservation.id, reservation);
    this.earliestExpiry = Math.min(this.earliestExpiry, reservation.expiresAt);
    return ok({
      reservationId: reservation.id,
      expiresAt: reservation.expiresAt,
      warnings,
      unknownBudgetIds,
    });
  }

  /**
   * Replaces a reservation's hold with its actual cost: spent += actual (which may exceed the reservation),
   * the hold is released, and thresholds the new spend reaches fire once per period. Works for a reservation
   * that expired less than `lateSettleMs` ago. Unknown or already finished ids are refused.
   */
  settle(
    reservationId: string,
    actualMicros: bigint,
    now: number,
  ): Result<SettleOk, { reason: 'unknown_reservation'; reservationId: string }> {
    if (actualMicros < 0n)
      throw new RangeError(`BudgetLedger.settle: actual must be ≥ 0; got ${actualMicros}.`);
    const found = this.take(reservationId);
    if (!found) return fail({ reason: 'unknown_reservation', reservationId });
    const events: ThresholdCrossing[] = [];
    for (const leg of found.reservation.legs) {
      const state = this.budgets.get(leg.budgetId);
      if (!state) continue;
      this.roll(state, now);
      if (state.generation !== leg.generation) continue;
      if (!found.late) this.unhold(state, found.reservation.amount);
      state.spent += actualMicros;
      this.crossings(state, now, events);
    }
    return ok({ events, late: found.late });
  }

  /** Drops a reservation without spending (the request failed before costing anything). False if unknown. */
  release(reservationId: string): boolean {
    const found = this.take(reservationId);
    if (!found) return false;
    if (!found.late) {
      for (const leg of found.reservation.legs) {
        const state = this.budgets.get(leg.budgetId);
        if (state && state.generation === leg.generation) this.unhold(state, found.reservation.amount);
      }
    }
    return true;
  }

  /** Extends a live reservation's lease to `now + leaseMs` (a long stream still running). False if not live. */
  renew(reservationId: string, leaseMs: number, now: number): boolean {
    const reservation = this.live.get(reservationId);
    if (!reservation || reservation.expiresAt <= now) return false;
    reservation.expiresAt = Math.max(reservation.expiresAt, now + leaseMs);
    return true;
  }

  /**
   * Releases every live reservation whose lease ended at or before `now` (keeping it settleable for
   * `lateSettleMs`) and forgets late ones past that. Returns the ids that expired now.
   */
  expire(now: number): string[] {
    const expiredNow: string[] = [];
    let earliest = Number.POSITIVE_INFINITY;
    for (const reservation of this.live.values()) {
      if (reservation.expiresAt > now) {
        earliest = Math.min(earliest, reservation.expiresAt);
        continue;
      }
      this.live.delete(reservation.id);
      for (const leg of reservation.legs) {
        const state = this.budgets.get(leg.budgetId);
        if (state && state.generation === leg.generation) this.unhold(state, reservation.amount);
      }
      this.expired.set(reservation.id, { reservation, forgetAt: now + this.lateSettleMs });
      expiredNow.push(reservation.id);
    }
    for (const [id, entry] of this.expired) if (entry.forgetAt <= now) this.expired.delete(id);
    this.earliestExpiry = earliest;
    return expiredNow;
  }

  /**
   * Records spend that had no reservation (a settlement whose reservation is long gone, or usage recorded by
   * another path). It is never refused, so it can take a hard budget past its limit.
   */
  charge(budgetIds: readonly string[], amountMicros: bigint, now: number): ThresholdCrossing[] {
    if (amountMicros < 0n)
      throw new RangeError(`BudgetLedger.charge: amount must be ≥ 0; got ${amountMicros}.`);
    const events: ThresholdCrossing[] = [];
    for (const id of new Set(budgetIds)) {
      const state = this.budgets.get(id);
      if (!state) continue;
      this.roll(state, now).spent += amountMicros;
      this.crossings(state, now, events);
    }
    return events;
  }

  /**
   * Sets a budget's spend in the current period from the durable record (at start-up, or to re-sync).
   * Thresholds already reached are marked as fired without events: the spend that reached them is recorded, and
   * alerts for recorded spend come from `thresholdsReached` (so one whose insert was lost is still stored).
   */
  loadSpent(budgetId: string, spentMicros: bigint, now: number): void {
    const state = this.budgets.get(budgetId);
    if (!state) return;
    this.roll(state, now).spent = spentMicros;
    for (const { threshold, level } of state.alerts) {
      if (reaches(spentMicros, level)) state.fired.add(threshold);
    }
  }

  /** Spend in the budget's current period (rolled to `now` when given); 0 for an unknown budget. */
  spent(budgetId: string, now?: number): bigint {
    return this.state(budgetId, now)?.spent ?? 0n;
  }

  /** Amount held by live reservations in the current period; 0 for an unknown budget. */
  reserved(budgetId: string, now?: number): bigint {
    return this.state(budgetId, now)?.reserved ?? 0n;
  }

  /** Where a budget stands at `now`, or undefined when it is not configured. */
  status(budgetId: string, now: number): BudgetStatus | undefined {
    const state = this.state(budgetId, now);
    if (!state) return undefined;
    return {
      budget: state.def,
      window: state.window,
      spentMicros: state.spent,
      reservedMicros: state.reserved,
      remainingMicros: remaining(state),
      reservations: state.live,
    };
  }

  private state(budgetId: string, now: number | undefined): BudgetState | undefined {
    const state = this.budgets.get(budgetId);
    return state && now !== undefined ? this.roll(state, now) : state;
  }

  private freshState(def: BudgetDefinition, now: number): BudgetState {
    return {
      def,
      alerts: alerts(def),
      window: periodWindow(def.period, now, def.timeZone),
      spent: 0n,
      reserved: 0n,
      live: 0,
      fired: new Set(),
      generation: ++this.generations,
    };
  }

  /** Moves a budget into the period containing `now` if that period is later than its current one. */
  private roll(state: BudgetState, now: number): BudgetState {
    if (now < state.window.end) return state;
    state.window = periodWindow(state.def.period, now, state.def.timeZone);
    state.spent = 0n;
    state.reserved = 0n;
    state.live = 0;
    state.fired.clear();
    state.generation = ++this.generations;
    return state;
  }

  private unhold(state: BudgetState, amount: bigint): void {
    state.reserved -= amount;
    state.live--;
  }

  private take(id: string): { reservation: Reservation; late: boolean } | undefined {
    const reservation = this.live.get(id);
    if (reservation) {
      this.live.delete(id);
      return { reservation, late: false };
    }
    const late = this.expired.get(id);
    if (late) {
      this.expired.delete(id);
      return { reservation: late.reservation, late: true };
    }
    return undefined;
  }

  /** Appends to `events` the thresholds `state`'s spend reaches for the first time this period. */
  private crossings(state: BudgetState, now: number, events: ThresholdCrossing[]): void {
    for (const { threshold, level } of state.alerts) {
      if (state.fired.has(threshold) || !reaches(state.spent, level)) continue;
      state.fired.add(threshold);
      events.push({
        budgetId: state.def.id,
        budgetName: state.def.name,
        mode: state.def.mode,
        threshold,
        spentMicros: state.spent,
        limitMicros: state.def.limitMicros,
        periodStart: state.window.start,
        periodEnd: state.window.end,
        at: now,
      });
    }
  }
}

/** A hard budget that `amount` more would take past its limit. */
function exceeds(state: BudgetState, amount: bigint): boolean {
  return state.def.mode === 'hard' && state.spent + state.reserved + amount > state.def.limitMicros;
}

/**
 * True when `ids[i]` also appears earlier: a budget listed twice is held once. A request names a handful of
 * budgets, so a pairwise scan is cheaper than the Set it replaced (one per reserve).
 */
function listedBefore(ids: readonly string[], i: number): boolean {
  for (let j = 0; j < i; j++) if (ids[j] === ids[i]) return true;
  return false;
}

/** amount ≥ threshold% of limit, in integers; `level` is threshold × limit. */
function reaches(amount: bigint, level: bigint): boolean {
  return amount * 100n >= level;
}

function alerts(def: BudgetDefinition): Alert[] {
  return def.alertThresholds.map((threshold) => ({ threshold, level: BigInt(threshold) * def.limitMicros }));
}

function remaining(state: BudgetState): bigint {
  const left = state.def.limitMicros - state.spent - state.reserved;
  return left > 0n ? left : 0n;
}
