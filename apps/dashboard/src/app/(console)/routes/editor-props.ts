import { DEFAULT_ROUTE_POLICIES } from '@switchyard/core';
import { listAccounts } from '@/server/accounts';
import type { Actor } from '@/server/actor';
import type { AdminContext } from '@/server/admin-context';
import { listProviders } from '@/server/providers';
import { routerReadback } from '@/server/router-readback';
import { listRoutes } from '@/server/routes';
import type { AccountOption } from './route-editor';

/**
 * What the route editor needs besides the route: accounts to pick, other routes to back up to, the defaults and
 * what the live routers apply (attempts cap, breaker defaults).
 */
export async function loadEditorOptions(ctx: AdminContext, actor: Actor, routeId: string | null) {
  const [accounts, providers, routes, routers] = await Promise.all([
    listAccounts(ctx, actor, {}),
    listProviders(ctx, actor),
    listRoutes(ctx, actor),
    routerReadback(ctx),
  ]);
  const providerNames = new Map(providers.items.map((provider) => [provider.id, provider.name]));
  const accountOptions: AccountOption[] = accounts.items.map((account) => ({
    id: account.id,
    label: `${providerNames.get(account.providerId) ?? account.providerId} / ${account.name}`,
  }));
  return {
    accounts: accountOptions,
    otherModels: routes.items.filter((route) => route.id !== routeId).map((route) => route.publicModel),
    defaults: DEFAULT_ROUTE_POLICIES,
    routers,
  };
}
