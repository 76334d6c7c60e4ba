import type { AdminClient } from './admin-client';
import type {
  BudgetConfig,
  ConfigDocument,
  KeyConfig,
  PriceConfig,
  ProviderConfig,
  RouteConfig,
} from './config-document';

/** The parts of the admin API's views the config file holds (see apps/dashboard/src/server/*.ts). */
interface ProviderView {
  id: string;
  name: string;
  kind: string;
  baseUrl: string;
  enabled: boolean;
}
interface AccountView {
  id: string;
  providerId: string;
  name: string;
  weight: number;
  priority: number;
  enabled: boolean;
  healthCheck: { enabled: boolean | null; intervalMs: number | null };
}
interface TeamView {
  id: string;
  name: string;
  rpmLimit: number | null;
  tpmLimit: number | null;
}
interface KeyView {
  id: string;
  name: string;
  environment: KeyConfig['environment'];
  teamId: string | null;
  allowedModels: string[];
  tags: string[];
  defaultTrafficClass: string;
  allowedTrafficClasses: string[];
  rpmLimit: number | null;
  tpmLimit: number | null;
}
export interface RouteTargetView {
  id: string;
  accountId: string;
  upstreamModel: string;
  tier: number;
  weight: number;
  enabled: boolean;
}
interface RouteView extends Omit<RouteConfig, 'targets'> {
  id: string;
  targets: RouteTargetView[];
}
interface BudgetView extends Omit<BudgetConfig, 'scopeName'> {
  id: string;
  scopeId: string | null;
}

/** Ids of the live objects by their names in the file, for the writes `apply` makes. */
export interface LiveIds {
  providers: Map<string, string>;
  /** By `provider/account`. */
  accounts: Map<string, string>;
  teams: Map<string, string>;
  keys: Map<string, string>;
  routes: Map<string, { id: string; targets: RouteTargetView[] }>;
  budgets: Map<string, string>;
}

export interface LiveConfig {
  document: ConfigDocument;
  ids: LiveIds;
  /** Objects that cannot be written by name (duplicates, dangling references); export names them on stderr. */
  warnings: string[];
}

/** The environment variable an exported account's credential is read from when the file is applied. */
export function credentialEnvName(provider: string, account: string): string {
  const word = (text: string) =>
    text
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_|_$/g, '');
  return `SWITCHYARD_CREDENTIAL_${word(provider)}_${word(account)}`;
}

async function activeKeys(client: AdminClient): Promise<KeyView[]> {
  const keys: KeyView[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page: { items: KeyView[]; nextCursor: string | null } = await client.get(
      `/keys?status=active&limit=500${query}`,
    );
    keys.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return keys;
}

/** Keeps the first object of each name and warns about the rest: names are the identities of the file. */
function byName<T>(items: T[], name: (item: T) => string, what: string, warnings: string[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = name(item);
    if (seen.has(key)) {
      warnings.push(`${what} "${key}" exists more than once; only the first is managed by the file`);
      return false;
    }
    seen.add(key);
    return true;
  });
}

/** Reads every configured object through the admin API into the file's shape (names, not ids). */
export async function readLiveConfig(client: AdminClient): Promise<LiveConfig> {
  const [providers, accounts, teams, keys, routes, budgets, prices] = await Promise.all([
    client.get<{ items: ProviderView[] }>('/providers'),
    client.get<{ items: AccountView[] }>('/accounts'),
    client.get<{ items: TeamView[] }>('/teams'),
    activeKeys(client),
    client.get<{ items: RouteView[] }>('/routes'),
    client.get<{ items: BudgetView[] }>('/budgets'),
    client.get<PriceConfig[]>('/prices/export'),
  ]);
  const warnings: string[] = [];
  const providerNames = new Map(providers.items.map((p) => [p.id, p.name]));
  const accountNames = new Map(
    accounts.items.map((a) => [a.id, `${providerNames.get(a.providerId) ?? a.providerId}/${a.name}`]),
  );
  const uniqueTeams = byName(teams.items, (t) => t.name, 'team', warnings);
  const teamNames = new Map(teams.items.map((t) => [t.id, t.name]));
  const uniqueKeys = byName(keys, (k) => k.name, 'active key', warnings);
  const keyNames = new Map(keys.map((k) => [k.id, k.name]));
  const uniqueBudgets = byName(budgets.items, (b) => b.name, 'budget', warnings);

  const providerConfigs: ProviderConfig[] = providers.items.map((provider) => ({
    name: provider.name,
    kind: provider.kind,
    baseUrl: provider.baseUrl,
    enabled: provider.enabled,
    accounts: accounts.items
      .filter((account) => account.providerId === provider.id)
      .map((account) => ({
        name: account.name,
        credential: `\${${credentialEnvName(provider.name, account.name)}}`,
        weight: account.weight,
        priority: account.priority,
        enabled: account.enabled,
        healthCheck: { enabled: account.healthCheck.enabled, intervalMs: account.healthCheck.intervalMs },
      })),
  }));

  const budgetConfigs: BudgetConfig[] = [];
  for (const budget of uniqueBudgets) {
    const names = budget.scope === 'key' ? keyNames : teamNames;
    const scopeName = budget.scopeId === null ? null : (names.get(budget.scopeId) ?? null);
    if (budget.scope !== 'global' && scopeName === null) {
      warnings.push(`budget "${budget.name}" is scoped to a ${budget.scope} that is not active; left out`);
      continue;
    }
    budgetConfigs.push({
      name: budget.name,
      scope: budget.scope,
      scopeName,
      period: budget.period,
      mode: budget.mode,
      limitUsd: budget.limitUsd,
      alertThresholds: budget.alertThresholds,
      timeZone: budget.timeZone,
      webhookUrl: budget.webhookUrl,
      enabled: budget.enabled,
    });
  }

  const document: ConfigDocument = {
    version: 1,
    providers: providerConfigs,
    teams: uniqueTeams.map((team) => ({ name: team.name, rpmLimit: team.rpmLimit, tpmLimit: team.tpmLimit })),
    keys: uniqueKeys.map((key) => ({
      name: key.name,
      environment: key.environment,
      team: key.teamId === null ? null : (teamNames.get(key.teamId) ?? null),
      allowedModels: key.allowedModels,
      tags: key.tags,
      defaultTrafficClass: key.defaultTrafficClass,
      allowedTrafficClasses: key.allowedTrafficClasses,
      rpmLimit: key.rpmLimit,
      tpmLimit: key.tpmLimit,
    })),
    routes: routes.items.map((route) => ({
      publicModel: route.publicModel,
      aliases: route.aliases,
      description: route.description,
      enabled: route.enabled,
      backupModels: route.backupModels,
      contextFallbackModel: route.contextFallbackModel,
      missingPricePolicy: route.missingPricePolicy,
      allowCostlierFallback: route.allowCostlierFallback,
      policies: route.policies,
      breaker: route.breaker,
      targets: route.targets.map((target) => ({
        account: accountNames.get(target.accountId) ?? target.accountId,
        upstreamModel: target.upstreamModel,
        tier: target.tier,
        weight: target.weight,
        enabled: target.enabled,
      })),
    })),
    budgets: budgetConfigs,
    prices,
  };

  const ids: LiveIds = {
    providers: new Map(providers.items.map((p) => [p.name, p.id])),
    accounts: new Map([...accountNames].map(([id, name]) => [name, id])),
    teams: new Map(uniqueTeams.map((t) => [t.name, t.id])),
    keys: new Map(uniqueKeys.map((k) => [k.name, k.id])),
    routes: new Map(routes.items.map((r) => [r.publicModel, { id: r.id, targets: r.targets }])),
    budgets: new Map(uniqueBudgets.map((b) => [b.name, b.id])),
  };
  return { document, ids, warnings };
}
