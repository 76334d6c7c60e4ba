import { formatUsdMicros, parseUsdMicros } from '@switchyard/core';
import {
  type BudgetConfig,
  type ConfigDocument,
  type KeyConfig,
  type PriceConfig,
  priceIdentity,
  type RouteConfig,
} from './config-document';

export type ResourceKind = 'provider' | 'account' | 'team' | 'key' | 'route' | 'budget' | 'price';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** One write `apply` makes: a new object, or the fields of an existing one that differ from the file. */
export interface ConfigChange {
  action: 'create' | 'update';
  kind: ResourceKind;
  /** The object's identity in the file (`provider/account` for accounts). */
  name: string;
  fields: FieldChange[];
}

export interface ConfigPlan {
  changes: ConfigChange[];
  /** Differences the admin API cannot make; `apply` refuses to write anything while there is one. */
  problems: string[];
}

/** JSON with object keys sorted, so two values compare equal whatever order their keys came in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function diffFields(desired: Record<string, unknown>, live: Record<string, unknown>): FieldChange[] {
  return Object.keys(desired).flatMap((field) =>
    canonicalJson(desired[field]) === canonicalJson(live[field])
      ? []
      : [{ field, from: live[field], to: desired[field] }],
  );
}

/** "250" and "250.00" are the same limit: compared as micro-USD, shown as the API formats it. */
function usd(text: string): string {
  const parsed = parseUsdMicros(text);
  return parsed.ok ? formatUsdMicros(parsed.value) : text;
}

const providerFields = (p: ConfigDocument['providers'][number]) => ({
  kind: p.kind,
  baseUrl: p.baseUrl.replace(/\/+$/, ''),
  enabled: p.enabled,
});
const accountFields = (a: ConfigDocument['providers'][number]['accounts'][number]) => ({
  weight: a.weight,
  priority: a.priority,
  enabled: a.enabled,
  healthCheck: a.healthCheck,
});
const teamFields = (t: ConfigDocument['teams'][number]) => ({ rpmLimit: t.rpmLimit, tpmLimit: t.tpmLimit });
function keyFields(k: KeyConfig, compareDefaultClass: boolean): Record<string, unknown> {
  return {
    team: k.team,
    allowedModels: k.allowedModels,
    tags: k.tags,
    ...(compareDefaultClass ? { defaultTrafficClass: k.defaultTrafficClass } : {}),
    allowedTrafficClasses: k.allowedTrafficClasses,
    rpmLimit: k.rpmLimit,
    tpmLimit: k.tpmLimit,
  };
}
function routeFields(r: RouteConfig): Record<string, unknown> {
  const { publicModel: _identity, targets, ...rest } = r;
  const sorted = [...targets].sort((a, b) =>
    canonicalJson([a.account, a.upstreamModel, a.tier]) < canonicalJson([b.account, b.upstreamModel, b.tier])
      ? -1
      : 1,
  );
  return { ...rest, targets: sorted };
}
function budgetFields(b: BudgetConfig): Record<string, unknown> {
  return {
    period: b.period,
    mode: b.mode,
    limitUsd: usd(b.limitUsd),
    alertThresholds: b.alertThresholds,
    timeZone: b.timeZone,
    webhookUrl: b.webhookUrl,
    enabled: b.enabled,
  };
}

/** Creates and updates of one kind of object, matched by name. Objects only in the gateway are left alone. */
function planKind<T>(
  kind: ResourceKind,
  desired: readonly T[],
  live: readonly T[],
  name: (item: T) => string,
  fields: (item: T, existing: T | undefined) => Record<string, unknown>,
): ConfigChange[] {
  const liveByName = new Map(live.map((item) => [name(item), item]));
  return desired.flatMap((item): ConfigChange[] => {
    const existing = liveByName.get(name(item));
    const wanted = fields(item, existing);
    if (!existing) {
      const shown = Object.entries(wanted).map(([field, to]) => ({ field, from: undefined, to }));
      return [{ action: 'create', kind, name: name(item), fields: shown }];
    }
    const changed = diffFields(wanted, fields(existing, item));
    return changed.length === 0 ? [] : [{ action: 'update', kind, name: name(item), fields: changed }];
  });
}

function accountsOf(document: ConfigDocument) {
  return document.providers.flatMap((provider) =>
    provider.accounts.map((account) => ({ ...account, name: `${provider.name}/${account.name}` })),
  );
}

/**
 * What `apply` would change to make the gateway match the file. Pure: both sides are in the file's shape (the
 * live side read through the admin API). Credentials are never compared (the API never returns them): they are
 * sent when an account is created.
 */
export function planConfigChanges(desired: ConfigDocument, live: ConfigDocument): ConfigPlan {
  const problems: string[] = [];
  for (const provider of [...desired.providers, ...live.providers]) {
    if (provider.name.includes('/')) {
      problems.push(
        `provider ${provider.name}: a name with "/" cannot be told apart in provider/account references; rename it`,
      );
    }
  }
  const liveKeys = new Map(live.keys.map((key) => [key.name, key]));
  for (const key of desired.keys) {
    const existing = liveKeys.get(key.name);
    if (existing && existing.environment !== key.environment) {
      problems.push(
        `key ${key.name}: environment cannot change (${existing.environment} → ${key.environment}); revoke the key and create a new one`,
      );
    }
  }
  const liveBudgets = new Map(live.budgets.map((budget) => [budget.name, budget]));
  for (const budget of desired.budgets) {
    const existing = liveBudgets.get(budget.name);
    if (existing && (existing.scope !== budget.scope || existing.scopeName !== budget.scopeName)) {
      problems.push(
        `budget ${budget.name}: scope cannot change (${existing.scope} ${existing.scopeName ?? ''} → ${budget.scope} ${budget.scopeName ?? ''}); delete the budget and create it again`,
      );
    }
    if (budget.scope !== 'global' && budget.scopeName === null) {
      problems.push(`budget ${budget.name}: scopeName must name the ${budget.scope}`);
    }
  }
  const knownAccounts = new Set([...accountsOf(desired), ...accountsOf(live)].map((account) => account.name));
  for (const route of desired.routes) {
    for (const target of route.targets) {
      if (!knownAccounts.has(target.account)) {
        problems.push(
          `route ${route.publicModel}: target account ${target.account} is neither in the file nor configured`,
        );
      }
    }
  }
  const knownTeams = new Set([...desired.teams, ...live.teams].map((team) => team.name));
  for (const key of desired.keys) {
    if (key.team !== null && !knownTeams.has(key.team))
      problems.push(`key ${key.name}: no team named ${key.team}`);
  }
  const livePrices = new Map(live.prices.map((price) => [priceIdentity(price), price]));
  const newPrices: PriceConfig[] = [];
  for (const price of desired.prices) {
    const existing = livePrices.get(priceIdentity(price));
    if (!existing) newPrices.push(price);
    else if (canonicalJson(existing) !== canonicalJson(price)) {
      problems.push(
        `price ${priceIdentity(price)}: a stored price row never changes; add a row with a later effectiveFrom`,
      );
    }
  }

  const changes = [
    ...planKind('provider', desired.providers, live.providers, (p) => p.name, providerFields),
    ...planKind('account', accountsOf(desired), accountsOf(live), (a) => a.name, accountFields),
    ...planKind('team', desired.teams, live.teams, (t) => t.name, teamFields),
    ...planKind(
      'key',
      desired.keys,
      live.keys,
      (k) => k.name,
      (key, other) =>
        keyFields(key, key.defaultTrafficClass !== undefined && other?.defaultTrafficClass !== undefined),
    ),
    ...planKind('route', desired.routes, live.routes, (r) => r.publicModel, routeFields),
    ...planKind('budget', desired.budgets, live.budgets, (b) => b.name, budgetFields),
    ...newPrices.map(
      (price): ConfigChange => ({
        action: 'create',
        kind: 'price',
        name: priceIdentity(price),
        fields: Object.entries(price)
          .filter(([field]) => !['provider', 'model', 'effectiveFrom'].includes(field))
          .map(([field, to]) => ({ field, from: undefined, to })),
      }),
    ),
  ];
  return { changes, problems };
}

const show = (value: unknown) => (value === undefined ? '(unset)' : canonicalJson(value));

/** The dry-run diff: `+` for a new object with its fields, `~` for a change with each field's old and new value. */
export function renderPlan(plan: ConfigPlan): string {
  const lines: string[] = [];
  for (const change of plan.changes) {
    lines.push(`${change.action === 'create' ? '+' : '~'} ${change.kind} ${change.name}`);
    for (const { field, from, to } of change.fields) {
      lines.push(
        change.action === 'create'
          ? `    ${field}: ${show(to)}`
          : `    ${field}: ${show(from)} → ${show(to)}`,
      );
    }
  }
  for (const problem of plan.problems) lines.push(`! ${problem}`);
  const creates = plan.changes.filter((change) => change.action === 'create').length;
  const updates = plan.changes.length - creates;
  lines.push(
    plan.changes.length === 0 && plan.problems.length === 0
      ? 'No changes: the gateway matches the file.'
      : `Plan: ${creates} to create, ${updates} to change${plan.problems.length > 0 ? `, ${plan.problems.length} problem(s)` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
