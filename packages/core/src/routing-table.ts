import type {
  ApiKeyRecord,
  ConfigSnapshot,
  ProviderRecord,
  RouteRecord,
  RouteTargetRecord,
  UpstreamAccountRecord,
} from './config-snapshot';
import { PriceBook } from './price-book';

/** A target with everything needed to call it. */
export interface ResolvedTarget {
  target: RouteTargetRecord;
  account: UpstreamAccountRecord;
  provider: ProviderRecord;
}

/**
 * A route with its usable targets in preference groups: by tier (lowest first), then inside a tier by account
 * priority (lowest number first). Targets of a group share traffic by weight (see planAttempts); a group gets
 * traffic only when every group before it has no usable target. Drained targets (weight 0 on the target or its
 * account) and disabled ones are not in it.
 */
export interface CompiledRoute {
  route: RouteRecord;
  tiers: ResolvedTarget[][];
}

/**
 * The in-memory index the router answers every request from. Built once per config snapshot, so lookups
 * are map reads: no database on the hot path.
 */
export class RoutingTable {
  readonly prices: PriceBook;
  readonly loadedAt: number;
  private readonly keysByDigest = new Map<string, ApiKeyRecord>();
  private readonly routesByModel = new Map<string, CompiledRoute>();
  private readonly targetsById = new Map<string, ResolvedTarget>();
  private readonly publicModels: string[] = [];

  constructor(snapshot: ConfigSnapshot) {
    this.loadedAt = snapshot.loadedAt;
    this.prices = new PriceBook(snapshot.prices);
    for (const key of snapshot.keys) this.keysByDigest.set(key.digest, key);

    const providers = new Map(snapshot.providers.map((p) => [p.id, p]));
    const accounts = new Map(snapshot.accounts.map((a) => [a.id, a]));
    for (const route of snapshot.routes) {
      if (!route.enabled) continue;
      const compiled: CompiledRoute = { route, tiers: compileTiers(route, accounts, providers) };
      for (const group of compiled.tiers) for (const t of group) this.targetsById.set(t.target.id, t);
      this.publicModels.push(route.publicModel);
      this.routesByModel.set(route.publicModel, compiled);
      for (const alias of route.aliases)
        if (!this.routesByModel.has(alias)) this.routesByModel.set(alias, compiled);
    }
    this.publicModels.sort();
  }

  keyByDigest(digest: string): ApiKeyRecord | undefined {
    return this.keysByDigest.get(digest);
  }

  /** Resolves a public model name or alias. */
  route(model: string): CompiledRoute | undefined {
    return this.routesByModel.get(model);
  }

  /**
   * A target of an enabled route as this snapshot has it, if it may take new traffic (it, its account and
   * its provider enabled, neither drained); undefined otherwise. A request planned on an older snapshot asks
   * this before every attempt, so a change made while it is in flight applies to its next attempt.
   */
  target(targetId: string): ResolvedTarget | undefined {
    return this.targetsById.get(targetId);
  }

  /** Public model names of enabled routes, sorted. */
  models(): readonly string[] {
    return this.publicModels;
  }
}

/**
 * Groups a route's usable targets by (tier, account priority), in that order. Weight 0 on a target or on its
 * account drains it: no new request is sent to it, not even as a last resort, so an operator can take an
 * account out of rotation while the requests it is serving finish.
 */
function compileTiers(
  route: RouteRecord,
  accounts: Map<string, UpstreamAccountRecord>,
  providers: Map<string, ProviderRecord>,
): ResolvedTarget[][] {
  const groups = new Map<string, { tier: number; priority: number; targets: ResolvedTarget[] }>();
  for (const target of route.targets) {
    if (!target.enabled || target.weight <= 0) continue;
    const account = accounts.get(target.accountId);
    if (!account?.enabled || account.weight <= 0) continue;
    const provider = providers.get(account.providerId);
    if (!provider?.enabled) continue;
    const key = `${target.tier}:${account.priority}`;
    const group = groups.get(key);
    const resolved = { target, account, provider };
    if (group) group.targets.push(resolved);
    else groups.set(key, { tier: target.tier, priority: account.priority, targets: [resolved] });
  }
  return [...groups.values()]
    .sort((a, b) => a.tier - b.tier || a.priority - b.priority)
    .map((group) => group.targets);
}
