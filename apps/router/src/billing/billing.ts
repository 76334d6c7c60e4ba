import {
  type ApiKeyRecord,
  type BudgetRecord,
  budgetExceededError,
  type ChatRequest,
  type CompiledRoute,
  type ConfigSnapshot,
  comparablePriceMicros,
  estimateWorstCaseCost,
  fail,
  type GatewayError,
  gatewayError,
  ok,
  type PriceBook,
  type PriceRecord,
  promptTokenUpperBound,
  type ResolvedTarget,
  type Result,
  type RoutePolicy,
  type RoutingTable,
  resolveOutputTokenBound,
  type ThresholdCrossing,
  thresholdsReached,
  worstCaseImagePrice,
} from '@switchyard/core';
import type { Logger } from '../logger';
import type { BudgetStore, ReserveResult } from './budget-store';

/**
 * Receives threshold crossings (stored once across routers, then sent to the budget's webhook). The same
 * crossing may arrive more than once (from a settlement and from recorded spend): it is stored once.
 */
export interface BudgetAlertSink {
  emit(crossing: ThresholdCrossing, webhookUrl: string | null): void;
}

/** What happens when the shared budget store (Redis) cannot be reached. */
export type LimitsFailurePolicy = 'open' | 'closed';

export interface BillingOptions {
  store: BudgetStore;
  alerts: BudgetAlertSink;
  /**
   * Reservation lease: a request that neither settles nor releases by then gives its hold back. Null: the
   * request's total deadline (its route policy for its traffic class) plus {@link LEASE_MARGIN_MS}.
   */
  leaseMs: number | null;
  /** Output bound for a worst-case estimate when neither the request nor the price sheet sets one. */
  defaultMaxOutputTokens: number;
  failurePolicy: LimitsFailurePolicy;
  logger: Logger;
}

/** One admitted request's side of billing: which targets it may use, and its reservation to close. */
export interface BillingTicket {
  /**
   * Drops the targets this request must not use from a planned attempt order: unpriced ones when the
   * route blocks them, and (when the requested route forbids costlier fallback) any priced above the
   * request's primary target, which is the first target of the first plan filtered.
   */
  filterPlan(plan: ResolvedTarget[], route: CompiledRoute): ResolvedTarget[];
  /** Settles the reservation to the request's recorded cost, or releases it when the cost is 0. Once. */
  finish(costMicros: bigint): void;
}

const NO_TICKET_RESERVATION = null;
const NO_BUDGETS: readonly string[] = Object.freeze([]);

/** Added to a request's total deadline for its reservation lease: settlement runs after the last byte. */
export const LEASE_MARGIN_MS = 30_000;

/**
 * Pricing policy and budgets on the request path (issue 4). Everything it reads per request is in memory
 * (the snapshot and the budget store); the only awaits are the budget store's, which are a resolved promise
 * in memory and one Lua round trip with Redis — never the database.
 */
export class Billing {
  private readonly options: BillingOptions;
  /** Budget ids by scope, from the latest snapshot: key id → ids, team id → ids, and the global ones. */
  private byKey = new Map<string, string[]>();
  private byTeam = new Map<string, string[]>();
  private global: string[] = [];
  private webhooks = new Map<string, string | null>();
  /**
   * {@link budgetsFor}'s list per key record, for the budgets of the last sync: the router hands the same record
   * for every request of a key, and the list was spread anew on each. Replaced on every sync.
   */
  private budgetsByKey = new WeakMap<ApiKeyRecord, readonly string[]>();
  private warnedOpen = false;
  /**
   * The targets each route can reach, per routing table: the fallback graph only changes with the snapshot,
   * so it is walked once per route and table, not on every budgeted request.
   */
  private readonly reachable = new WeakMap<RoutingTable, Map<CompiledRoute, readonly ResolvedTarget[]>>();

  constructor(options: BillingOptions) {
    this.options = options;
  }

  /** Applies a snapshot's budgets (called for every snapshot loaded, before the hot path sees it). */
  sync(snapshot: ConfigSnapshot): void {
    const byKey = new Map<string, string[]>();
    const byTeam = new Map<string, string[]>();
    const global: string[] = [];
    const webhooks = new Map<string, string | null>();
    for (const budget of snapshot.budgets) {
      const { id, scope, scopeId } = budget.definition;
      if (scope === 'global') global.push(id);
      else {
        const byScope = scope === 'key' ? byKey : byTeam;
        const list = byScope.get(scopeId ?? '');
        if (list) list.push(id);
        else byScope.set(scopeId ?? '', [id]);
      }
      webhooks.set(id, budget.webhookUrl);
    }
    this.byKey = byKey;
    this.byTeam = byTeam;
    this.global = global;
    this.webhooks = webhooks;
    this.budgetsByKey = new WeakMap();
    this.options.store.sync(snapshot.budgets, snapshot.loadedAt);
    this.alertReached(snapshot.budgets, snapshot.loadedAt);
  }

  /**
   * Raises held spend to what the database recorded, for the same budgets as the last sync: a periodic refresh
   * when no configuration changed.
   */
  syncSpend(budgets: readonly BudgetRecord[], at: number): void {
    this.options.store.sync(budgets, at);
    this.alertReached(budgets, at);
  }

  /**
   * Hands the alert sink every threshold the recorded spend has reached. A crossing is alerted from the
   * settlement that made it; this catches those whose alert could not be stored then (the database was away
   * and this router, or the one that settled it, stopped before it came back) and those that spend loaded from
   * the database (another instance's, a replayed spill) stepped over. The sink skips what is already stored.
   */
  private alertReached(budgets: readonly BudgetRecord[], at: number): void {
    for (const budget of budgets) {
      for (const crossing of thresholdsReached(budget, at))
        this.options.alerts.emit(crossing, budget.webhookUrl);
    }
  }

  /**
   * The enabled budgets a key's requests count against: its own, its team's, and the global ones. Worked out
   * once per key record and sync; a request reads it from a weak map.
   */
  budgetsFor(key: ApiKeyRecord): readonly string[] {
    let ids = this.budgetsByKey.get(key);
    if (ids === undefined) {
      const own = this.byKey.get(key.id);
      const team = key.teamId === null ? undefined : this.byTeam.get(key.teamId);
      ids =
        !own && !team && this.global.length === 0
          ? NO_BUDGETS
          : Object.freeze([...(own ?? []), ...(team ?? []), ...this.global]);
      this.budgetsByKey.set(key, ids);
    }
    return ids;
  }

  /**
   * Admits a request before anything is forwarded: refuses it when its route blocks unpriced models and
   * none of its targets has a price (`price_missing`), or when its worst-case cost does not fit a hard
   * budget (`budget_exceeded`); otherwise holds that worst case on every budget that applies.
   */
  admit(input: {
    key: ApiKeyRecord;
    table: RoutingTable;
    route: CompiledRoute;
    chat: ChatRequest;
    /** Byte length of the request body as received: what bounds its prompt tokens. */
    bodyBytes: number;
    /** The request's policy (its route's for its traffic class); its total deadline bounds the lease. */
    policy: RoutePolicy;
    at: number;
  }): Result<BillingTicket, GatewayError> | Promise<Result<BillingTicket, GatewayError>> {
    const { table, route, chat, at } = input;
    const prices = table.prices;

    if (route.route.missingPricePolicy === 'block') {
      const own = route.tiers.flat();
      if (own.length > 0 && !own.some((t) => priceOf(prices, t, at) !== undefined)) {
        const models = [...new Set(own.map((t) => t.target.upstreamModel))].join("', '");
        return fail(
          gatewayError(
            'price_missing',
            `The model '${chat.model}' cannot be served: no price is configured for its upstream model '${models}', and this route refuses to serve unpriced models.`,
            'model',
          ),
        );
      }
    }

    const budgetIds = this.budgetsFor(input.key);
    if (budgetIds.length === 0) return ok(new Ticket(this, route, NO_TICKET_RESERVATION, prices, at));
    const promptTokens = promptTokenUpperBound(input.bodyBytes, chat.body);
    let worst = 0n;
    for (const target of this.reachableTargets(table, route)) {
      const price = priceOf(prices, target, at);
      if (!price) continue;
      const bound = resolveOutputTokenBound(
        chat.maxTokens,
        price.maxOutputTokens,
        this.options.defaultMaxOutputTokens,
      );
      let cost = estimateWorstCaseCost(price.sheet, promptTokens, bound, chat.choices);
      // Images are not token-bounded: each asked-for image at the most the sheet can charge for it.
      const images = chat.unary?.images;
      if (images)
        cost += BigInt(images.count) * worstCaseImagePrice(price.sheet, images.size, images.quality);
      if (cost > worst) worst = cost;
    }
    const leaseMs = this.options.leaseMs ?? input.policy.timeouts.totalMs + LEASE_MARGIN_MS;
    const result = this.options.store.reserve(budgetIds, worst, leaseMs, at);
    // The in-memory store answers at once: the request goes on in this tick, with no promise to wait for.
    return result instanceof Promise
      ? result.then((reserved) => this.reserved(reserved, route, prices, at))
      : this.reserved(result, route, prices, at);
  }

  /** The admission a reservation's answer makes: a ticket holding it, or the refusal. */
  private reserved(
    result: ReserveResult,
    route: CompiledRoute,
    prices: PriceBook,
    at: number,
  ): Result<BillingTicket, GatewayError> {
    if (result.kind === 'refused') return fail(budgetExceededError(result.budget, result.remainingMicros));
    if (result.kind === 'reserved') {
      this.warnedOpen = false;
      return ok(new Ticket(this, route, result.reservationId, prices, at));
    }
    if (this.options.failurePolicy === 'closed') {
      return fail(
        gatewayError(
          'usage_unavailable',
          'Budgets cannot be checked right now (the shared limits store is unreachable); retry shortly.',
          null,
          1,
        ),
      );
    }
    if (!this.warnedOpen) {
      this.warnedOpen = true;
      this.options.logger.warn('budget store unreachable; serving without reservations (policy: open)', {
        reason: result.reason,
      });
    }
    return ok(new Ticket(this, route, NO_TICKET_RESERVATION, prices, at));
  }

  private reachableTargets(table: RoutingTable, route: CompiledRoute): readonly ResolvedTarget[] {
    let byRoute = this.reachable.get(table);
    if (!byRoute) {
      byRoute = new Map();
      this.reachable.set(table, byRoute);
    }
    let targets = byRoute.get(route);
    if (!targets) {
      targets = reachableTargets(table, route);
      byRoute.set(route, targets);
    }
    return targets;
  }

  /** A ticket's {@link BillingTicket.finish}: settles its reservation to its cost, or releases it at 0. */
  finishReservation(reservationId: string, costMicros: bigint): void {
    const { store } = this.options;
    // Settled in this tick when the store answers at once (in memory), else when its promise does.
    try {
      if (costMicros > 0n) {
        const crossings = store.settle(reservationId, costMicros, Date.now());
        if (crossings instanceof Promise)
          crossings.then(this.alert).catch((error) => this.settlementFailed(reservationId, error));
        else this.alert(crossings);
      } else {
        const released = store.release(reservationId);
        if (released instanceof Promise)
          released.catch((error) => this.settlementFailed(reservationId, error));
      }
    } catch (error) {
      this.settlementFailed(reservationId, error);
    }
  }

  private settlementFailed(reservationId: string, error: unknown): void {
    this.options.logger.warn('budget settlement failed; the reservation lease returns its hold', {
      reservationId,
      error: error instanceof Error ? error.message : String(error),
    });
  }

  /** Sends a settlement's threshold crossings to the alert sink, each with its budget's webhook. */
  private readonly alert = (crossings: readonly ThresholdCrossing[]): void => {
    for (const crossing of crossings) {
      this.options.alerts.emit(crossing, this.webhooks.get(crossing.budgetId) ?? null);
    }
  };
}

/**
 * A class rather than an object of two closures: one allocation per admitted request instead of three and their
 * shared context.
 */
class Ticket implements BillingTicket {
  /** The requested route's primary target's comparable price; undefined: not chosen yet; null: unpriced. */
  private primary: bigint | null | undefined = undefined;
  private finished = false;

  constructor(
    private readonly billing: Billing,
    private readonly requested: CompiledRoute,
    private readonly reservationId: string | null,
    private readonly prices: PriceBook,
    private readonly at: number,
  ) {}

  filterPlan(plan: ResolvedTarget[], route: CompiledRoute): ResolvedTarget[] {
    const { prices, at } = this;
    let out = plan;
    if (route.route.missingPricePolicy === 'block')
      out = out.filter((t) => priceOf(prices, t, at) !== undefined);
    if (this.requested.route.allowCostlierFallback) return out;
    if (this.primary === undefined) {
      const first = out[0];
      const price = first ? priceOf(prices, first, at) : undefined;
      this.primary = price ? comparablePriceMicros(price) : null;
    }
    const cap = this.primary;
    if (cap !== null) {
      // An unpriced target is not known to cost more; the missing-price policy decides about it.
      out = out.filter((t) => {
        const price = priceOf(prices, t, at);
        return !price || comparablePriceMicros(price) <= cap;
      });
    }
    return out;
  }

  finish(costMicros: bigint): void {
    if (this.finished || this.reservationId === null) return;
    this.finished = true;
    this.billing.finishReservation(this.reservationId, costMicros);
  }
}

/** The price in force for a target at a request's arrival time. */
function priceOf(prices: PriceBook, target: ResolvedTarget, at: number): PriceRecord | undefined {
  return prices.resolve(target.provider, target.target.upstreamModel, at);
}

/**
 * Every target a request to `route` might end up on: its own, and those of the backup and context-fallback
 * routes reachable from it (the ladder can walk them), each once.
 */
function reachableTargets(table: RoutingTable, route: CompiledRoute): ResolvedTarget[] {
  const targets: ResolvedTarget[] = [];
  const seen = new Set<string>();
  const queue: CompiledRoute[] = [route];
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (seen.has(next.route.id)) continue;
    seen.add(next.route.id);
    for (const tier of next.tiers) targets.push(...tier);
    const fallbacks = [...next.route.backupModels];
    if (next.route.contextFallbackModel !== null) fallbacks.push(next.route.contextFallbackModel);
    for (const model of fallbacks) {
      const compiled = table.route(model);
      if (compiled) queue.push(compiled);
    }
  }
  return targets;
}
