import { type AccountView, createAccount, createAccountInput } from '../src/server/accounts';
import { createProvider, createProviderInput, type ProviderView } from '../src/server/providers';
import { createRoute, createRouteInput, type RouteView } from '../src/server/routes';
import type { AdminTestContext } from './admin-test-context';

let providers = 0;

/** A fresh provider with one account per name, created through the server functions. */
export async function providerWithAccounts(
  t: AdminTestContext,
  ...names: string[]
): Promise<{ provider: ProviderView; accounts: AccountView[] }> {
  providers += 1;
  const provider = await createProvider(
    t.ctx,
    t.owner,
    createProviderInput.parse({
      name: `provider-${providers}`,
      kind: 'openai_compatible',
      baseUrl: 'http://127.0.0.1:4010/v1',
    }),
  );
  const accounts: AccountView[] = [];
  for (const name of names) {
    accounts.push(
      await createAccount(
        t.ctx,
        t.owner,
        createAccountInput.parse({ providerId: provider.id, name, credential: `sk-${name}` }),
      ),
    );
  }
  return { provider, accounts };
}

/** A route on one account, optionally with backups; returns what the API answered. */
export async function simpleRoute(
  t: AdminTestContext,
  accountId: string,
  publicModel: string,
  fields: { aliases?: string[]; backupModels?: string[]; contextFallbackModel?: string } = {},
): Promise<RouteView> {
  return createRoute(
    t.ctx,
    t.owner,
    createRouteInput.parse({
      publicModel,
      ...fields,
      targets: [{ accountId, upstreamModel: `${publicModel}-upstream` }],
    }),
  );
}
