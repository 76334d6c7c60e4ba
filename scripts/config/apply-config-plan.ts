import type { AdminClient } from './admin-client';
import { type ConfigDocument, priceIdentity, type RouteConfig } from './config-document';
import type { ConfigChange, ConfigPlan, ResourceKind } from './plan-config-changes';
import type { LiveIds, RouteTargetView } from './read-live-config';

export interface ApplyOptions {
  /** Reads the variable an `${ENV_NAME}` reference names. */
  env: (name: string) => string | undefined;
  /** A key `apply` created: its plaintext exists only here. */
  onKeyCreated: (name: string, plaintext: string, prefix: string) => Promise<void> | void;
  /** One line per write, for the operator. */
  log: (line: string) => void;
}

function need<T>(map: Map<string, T>, name: string, what: string): T {
  const value = map.get(name);
  if (value === undefined) throw new Error(`no ${what} named ${name}`);
  return value;
}

function changed(change: ConfigChange): Record<string, unknown> {
  return Object.fromEntries(change.fields.map(({ field, to }) => [field, to]));
}

function envValue(reference: string, env: ApplyOptions['env'], where: string): string {
  const name = reference.slice(2, -1);
  const value = env(name);
  if (value === undefined || value === '')
    throw new Error(`${where}: environment variable ${name} is not set`);
  return value;
}

/** The API's target list for a route: account names become ids; a target already there keeps its id. */
function targetsBody(targets: RouteConfig['targets'], ids: LiveIds, existing: readonly RouteTargetView[]) {
  const unused = [...existing];
  return targets.map((target) => {
    const accountId = need(ids.accounts, target.account, 'account');
    const index = unused.findIndex(
      (t) => t.accountId === accountId && t.upstreamModel === target.upstreamModel,
    );
    const [kept] = index === -1 ? [] : unused.splice(index, 1);
    return {
      ...(kept ? { id: kept.id } : {}),
      accountId,
      upstreamModel: target.upstreamModel,
      tier: target.tier,
      weight: target.weight,
      enabled: target.enabled,
    };
  });
}

/**
 * Makes the plan's writes through the admin API, in dependency order: providers, accounts, teams, keys, routes
 * (created first without backup references, which may name routes created in the same run), budgets, prices.
 * Every credential reference is resolved before the first write, so a missing variable changes nothing.
 */
export async function applyConfigPlan(
  client: AdminClient,
  desired: ConfigDocument,
  ids: LiveIds,
  plan: ConfigPlan,
  options: ApplyOptions,
): Promise<void> {
  if (plan.problems.length > 0) throw new Error(`refusing to apply:\n${plan.problems.join('\n')}`);
  const of = (kind: ResourceKind) => plan.changes.filter((change) => change.kind === kind);
  const providers = new Map(desired.providers.map((p) => [p.name, p]));
  const accounts = new Map(
    desired.providers.flatMap((p) =>
      p.accounts.map((a) => [`${p.name}/${a.name}`, { provider: p.name, ...a }]),
    ),
  );
  const credentials = new Map(
    of('account')
      .filter((change) => change.action === 'create')
      .map((change) => {
        const account = need(accounts, change.name, 'account');
        return [change.name, envValue(account.credential, options.env, `account ${change.name}`)];
      }),
  );
  const log = (change: ConfigChange) =>
    options.log(`${change.action === 'create' ? 'created' : 'updated'} ${change.kind} ${change.name}`);

  for (const change of of('provider')) {
    const provider = need(providers, change.name, 'provider');
    if (change.action === 'create') {
      const { accounts: _accounts, ...body } = provider;
      const created = await client.post<{ id: string }>('/providers', body);
      ids.providers.set(provider.name, created.id);
    } else {
      await client.patch(`/providers/${need(ids.providers, change.name, 'provider')}`, changed(change));
    }
    log(change);
  }

  for (const change of of('account')) {
    const account = need(accounts, change.name, 'account');
    if (change.action === 'create') {
      const created = await client.post<{ id: string }>('/accounts', {
        providerId: need(ids.providers, account.provider, 'provider'),
        name: account.name,
        credential: credentials.get(change.name),
        weight: account.weight,
        priority: account.priority,
        enabled: account.enabled,
        healthCheck: account.healthCheck,
      });
      ids.accounts.set(change.name, created.id);
    } else {
      await client.patch(`/accounts/${need(ids.accounts, change.name, 'account')}`, changed(change));
    }
    log(change);
  }

  const teams = new Map(desired.teams.map((t) => [t.name, t]));
  for (const change of of('team')) {
    if (change.action === 'create') {
      const created = await client.post<{ id: string }>('/teams', need(teams, change.name, 'team'));
      ids.teams.set(change.name, created.id);
    } else {
      await client.patch(`/teams/${need(ids.teams, change.name, 'team')}`, changed(change));
    }
    log(change);
  }

  const keys = new Map(desired.keys.map((k) => [k.name, k]));
  const teamId = (name: unknown) => (name === null ? null : need(ids.teams, String(name), 'team'));
  for (const change of of('key')) {
    const key = need(keys, change.name, 'key');
    if (change.action === 'create') {
      const { team, ...body } = key;
      const created = await client.post<{ key: { id: string; prefix: string }; plaintext: string }>(
        '/keys',
        body,
      );
      ids.keys.set(key.name, created.key.id);
      if (team !== null) await client.patch(`/keys/${created.key.id}`, { teamId: teamId(team) });
      await options.onKeyCreated(key.name, created.plaintext, created.key.prefix);
    } else {
      const { team, ...rest } = changed(change);
      await client.patch(`/keys/${need(ids.keys, change.name, 'key')}`, {
        ...rest,
        ...(team === undefined ? {} : { teamId: teamId(team) }),
      });
    }
    log(change);
  }

  const routes = new Map(desired.routes.map((r) => [r.publicModel, r]));
  const references: RouteConfig[] = [];
  for (const change of of('route').filter((c) => c.action === 'create')) {
    const route = need(routes, change.name, 'route');
    const created = await client.post<{ id: string; targets: RouteTargetView[] }>('/routes', {
      ...route,
      backupModels: [],
      contextFallbackModel: null,
      targets: targetsBody(route.targets, ids, []),
    });
    ids.routes.set(route.publicModel, { id: created.id, targets: created.targets });
    if (route.backupModels.length > 0 || route.contextFallbackModel !== null) references.push(route);
    log(change);
  }
  for (const route of references) {
    await client.patch(`/routes/${need(ids.routes, route.publicModel, 'route').id}`, {
      backupModels: route.backupModels,
      contextFallbackModel: route.contextFallbackModel,
    });
  }
  for (const change of of('route').filter((c) => c.action === 'update')) {
    const live = need(ids.routes, change.name, 'route');
    const body = changed(change);
    if (body.targets !== undefined) {
      body.targets = targetsBody(need(routes, change.name, 'route').targets, ids, live.targets);
    }
    await client.patch(`/routes/${live.id}`, body);
    log(change);
  }

  const budgets = new Map(desired.budgets.map((b) => [b.name, b]));
  for (const change of of('budget')) {
    if (change.action === 'create') {
      const { scopeName, ...budget } = need(budgets, change.name, 'budget');
      const scopeId =
        budget.scope === 'global' || scopeName === null
          ? null
          : need(budget.scope === 'key' ? ids.keys : ids.teams, scopeName, budget.scope);
      const created = await client.post<{ id: string }>('/budgets', { ...budget, scopeId });
      ids.budgets.set(change.name, created.id);
    } else {
      await client.patch(`/budgets/${need(ids.budgets, change.name, 'budget')}`, changed(change));
    }
    log(change);
  }

  const newPrices = new Set(of('price').map((change) => change.name));
  const rows = desired.prices.filter((price) => newPrices.has(priceIdentity(price)));
  if (rows.length > 0) {
    const result = await client.post<{ created: number }>('/prices/import', rows);
    options.log(`imported ${result.created} price row(s)`);
  }
}
