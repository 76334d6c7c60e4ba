import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createAccountInput, listAccounts, updateAccount } from '../src/server/accounts';
import { createProvider, createProviderInput, listProviders, updateProvider } from '../src/server/providers';
import {
  createRoute,
  createRouteInput,
  deleteRoute,
  listRoutes,
  updateRoute,
  updateRouteInput,
} from '../src/server/routes';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
});
afterAll(async () => {
  await t?.close();
});

async function auditActions(targetId: string): Promise<string[]> {
  const rows = await t.prisma.auditLog.findMany({ where: { targetId }, orderBy: { createdAt: 'asc' } });
  return rows.map((row) => row.action);
}

describe('providers', () => {
  it('creates, lists and updates a provider, auditing each write', async () => {
    const provider = await createProvider(
      t.ctx,
      t.owner,
      createProviderInput.parse({
        name: 'openai-main',
        kind: 'openai',
        baseUrl: 'https://api.openai.com/v1/',
      }),
    );
    expect(provider).toMatchObject({
      name: 'openai-main',
      kind: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      enabled: true,
    });

    const updated = await updateProvider(t.ctx, t.owner, provider.id, { enabled: false });
    expect(updated).toMatchObject({ id: provider.id, enabled: false, name: 'openai-main' });
    expect((await listProviders(t.ctx, t.viewer)).items).toContainEqual(updated);
    expect(await auditActions(provider.id)).toEqual(['provider.create', 'provider.update']);
  });

  it('accepts an Azure OpenAI resource, its api-version kept in the base URL', async () => {
    const provider = await createProvider(
      t.ctx,
      t.owner,
      createProviderInput.parse({
        name: 'azure-east',
        kind: 'azure_openai',
        baseUrl: 'https://east.openai.azure.com/?api-version=2025-01-01-preview',
      }),
    );
    expect(provider).toMatchObject({
      kind: 'azure_openai',
      baseUrl: 'https://east.openai.azure.com/?api-version=2025-01-01-preview',
    });
    expect(createProviderInput.safeParse({ name: 'x', kind: 'azure', baseUrl: 'https://x' }).success).toBe(
      false,
    );
  });

  it('refuses a duplicate name with conflict on the name field', async () => {
    const body = createProviderInput.parse({
      name: 'dup',
      kind: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
    });
    await createProvider(t.ctx, t.owner, body);
    expect(await thrown(() => createProvider(t.ctx, t.owner, body))).toMatchObject({
      kind: 'conflict',
      field: 'name',
    });
  });

  it('answers not_found when updating an unknown provider', async () => {
    expect(
      await thrown(() => updateProvider(t.ctx, t.owner, 'prv_missing', { enabled: true })),
    ).toMatchObject({
      code: 'not_found',
    });
  });
});

describe('upstream accounts', () => {
  it('stores the credential encrypted and never returns it', async () => {
    const provider = await createProvider(
      t.ctx,
      t.owner,
      createProviderInput.parse({
        name: 'acc-provider',
        kind: 'openai_compatible',
        baseUrl: 'http://127.0.0.1:4010/v1',
      }),
    );
    const secret = 'sk-upstream-secret-value-123';
    const account = await createAccount(
      t.ctx,
      t.owner,
      createAccountInput.parse({ providerId: provider.id, name: 'primary', credential: secret, weight: 3 }),
    );
    expect(account).toEqual({
      id: account.id,
      providerId: provider.id,
      name: 'primary',
      weight: 3,
      priority: 0,
      enabled: true,
      credentialRejectedAt: null,
      credentialError: null,
      credentialEpoch: 0,
      // Only the last four characters are ever shown, never the credential.
      credentialLast4: secret.slice(-4),
      healthCheck: { enabled: null, intervalMs: null },
      effectiveHealthCheck: {
        enabled: { value: false, source: 'router_default' },
        intervalMs: { value: 30_000, source: 'router_default' },
      },
      routerSettings: { source: 'assumed_default', instances: 0, differ: false },
      createdAt: account.createdAt,
    });

    const row = await t.prisma.upstreamAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(row.credentialCiphertext).toMatch(/^v1:/);
    expect(row.credentialCiphertext).not.toContain(secret);

    const rotated = 'sk-upstream-rotated-456';
    await updateAccount(t.ctx, t.owner, account.id, { credential: rotated, enabled: false });
    const after = await t.prisma.upstreamAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(after.credentialCiphertext).not.toBe(row.credentialCiphertext);
    expect(after.enabled).toBe(false);

    const listed = await listAccounts(t.ctx, t.viewer, { providerId: provider.id });
    expect(listed.items.map((item) => item.id)).toEqual([account.id]);
    const everythingShown = JSON.stringify([
      listed,
      await t.prisma.auditLog.findMany({ where: { targetId: account.id } }),
    ]);
    for (const leaked of [secret, rotated, row.credentialCiphertext, after.credentialCiphertext]) {
      expect(everythingShown).not.toContain(leaked);
    }
    expect(await auditActions(account.id)).toEqual(['upstream_account.create', 'upstream_account.update']);
  });

  it('names providerId when the provider does not exist', async () => {
    const error = await thrown(() =>
      createAccount(
        t.ctx,
        t.owner,
        createAccountInput.parse({ providerId: 'prv_missing', name: 'x', credential: 'k' }),
      ),
    );
    expect(error).toMatchObject({ kind: 'invalid_reference', field: 'providerId' });
  });
});

describe('routes', () => {
  async function twoAccounts(): Promise<[string, string]> {
    const provider = await createProvider(
      t.ctx,
      t.owner,
      createProviderInput.parse({
        name: `rt-provider-${Math.random()}`,
        kind: 'openai',
        baseUrl: 'https://x.test/v1',
      }),
    );
    const a = await createAccount(
      t.ctx,
      t.owner,
      createAccountInput.parse({ providerId: provider.id, name: 'a', credential: 'ka' }),
    );
    const b = await createAccount(
      t.ctx,
      t.owner,
      createAccountInput.parse({ providerId: provider.id, name: 'b', credential: 'kb' }),
    );
    return [a.id, b.id];
  }

  it('creates a route with tiered targets, replaces its targets, then deletes it', async () => {
    const [a, b] = await twoAccounts();
    const route = await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({
        publicModel: 'chat-fast',
        aliases: ['fast'],
        targets: [
          { accountId: b, upstreamModel: 'gpt-4o-mini', tier: 1 },
          { accountId: a, upstreamModel: 'gpt-4o-mini', weight: 3 },
        ],
      }),
    );
    expect(route).toMatchObject({
      publicModel: 'chat-fast',
      aliases: ['fast'],
      enabled: true,
      description: null,
    });
    expect(route.targets.map((target) => [target.accountId, target.tier, target.weight])).toEqual([
      [a, 0, 3],
      [b, 1, 1],
    ]);

    const updated = await updateRoute(
      t.ctx,
      t.owner,
      route.id,
      updateRouteInput.parse({
        description: 'cheap',
        targets: [{ accountId: b, upstreamModel: 'gpt-4.1-nano' }],
      }),
    );
    expect(updated.description).toBe('cheap');
    expect(updated.targets.map((target) => [target.accountId, target.upstreamModel])).toEqual([
      [b, 'gpt-4.1-nano'],
    ]);
    expect(await t.prisma.routeTarget.count({ where: { routeId: route.id } })).toBe(1);

    await deleteRoute(t.ctx, t.owner, route.id);
    expect((await listRoutes(t.ctx, t.viewer)).items.map((item) => item.id)).not.toContain(route.id);
    expect(await t.prisma.routeTarget.count({ where: { routeId: route.id } })).toBe(0);
    expect(await thrown(() => deleteRoute(t.ctx, t.owner, route.id))).toMatchObject({ code: 'not_found' });
    expect(await auditActions(route.id)).toEqual(['route.create', 'route.update', 'route.delete']);
  });

  it('refuses a name another route already answers to', async () => {
    const [a] = await twoAccounts();
    const targets = [{ accountId: a, upstreamModel: 'm' }];
    await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({ publicModel: 'taken', aliases: ['taken-alias'], targets }),
    );

    const byAlias = await thrown(() =>
      createRoute(t.ctx, t.owner, createRouteInput.parse({ publicModel: 'taken-alias', targets })),
    );
    expect(byAlias).toMatchObject({ kind: 'conflict', field: 'publicModel' });
    const aliasClash = await thrown(() =>
      createRoute(
        t.ctx,
        t.owner,
        createRouteInput.parse({ publicModel: 'fresh', aliases: ['taken'], targets }),
      ),
    );
    expect(aliasClash).toMatchObject({ kind: 'conflict', field: 'aliases' });
  });

  it('names the target whose account does not exist and writes nothing', async () => {
    const [a] = await twoAccounts();
    const before = await t.prisma.route.count();
    const error = await thrown(() =>
      createRoute(
        t.ctx,
        t.owner,
        createRouteInput.parse({
          publicModel: 'broken',
          targets: [
            { accountId: a, upstreamModel: 'm' },
            { accountId: 'acc_missing', upstreamModel: 'm' },
          ],
        }),
      ),
    );
    expect(error).toMatchObject({ kind: 'invalid_reference', field: 'targets[1].accountId' });
    expect(await t.prisma.route.count()).toBe(before);
  });

  it('rejects duplicate names within one route at parse time', () => {
    const result = createRouteInput.safeParse({
      publicModel: 'same',
      aliases: ['other', 'same'],
      targets: [{ accountId: 'acc_x', upstreamModel: 'm' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['aliases', 1]);
  });
});
