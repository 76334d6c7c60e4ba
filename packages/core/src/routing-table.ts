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

/** A route with its usable targets grouped by tier, lowest tier first. */
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

  /** Public model names of enabled routes, sorted. */
  models(): readonly string[] {
    return this.publicModels;
  }
}

function compileTiers(
  route: RouteRecord,
  accounts: Map<string, UpstreamAccountRecord>,
  providers: Map<string, ProviderRecord>,
): ResolvedTarget[][] {
  const byTier = new Map<number, ResolvedTarget[]>();
  for (const target of route.targets) {
    if (!target.enabled || target.weight <= 0) continue;
    const account = accounts.get(target.accountId);
    if (!account?.enabled) continue;
    const provider = providers.get(account.providerId);
    if (!provider?.enabled) continue;
    const tier = byTier.get(target.tier);
    const resolved = { target, account, provider };
    if (tier) tier.push(resolved);
    else byTier.set(target.tier, [resolved]);
  }
  return [...byTier.entries()].sort(([a], [b]) => a - b).map(([, targets]) => targets);
}
