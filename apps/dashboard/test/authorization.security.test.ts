import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createAccountInput, updateAccount } from '../src/server/accounts';
import { AdminError } from '../src/server/admin-error';
import { createKey, createKeyInput, listKeys, revokeKey } from '../src/server/keys';
import { createProvider, createProviderInput, listProviders, updateProvider } from '../src/server/providers';
import { createRoute, createRouteInput, deleteRoute, listRoutes, updateRoute } from '../src/server/routes';
import { hourlyUsage, listUsageEvents } from '../src/server/usage';
import { verifyCredentials } from '../src/server/verify-credentials';
import { type AdminTestContext, startAdminTestContext, TEST_PASSWORD, thrown } from './admin-test-context';

let t: AdminTestContext;
let keyId: string;
let providerId: string;
let accountId: string;
let routeId: string;

beforeAll(async () => {
  t = await startAdminTestContext();
  keyId = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'k' }))).key.id;
  providerId = (
    await createProvider(
      t.ctx,
      t.owner,
      createProviderInput.parse({ name: 'p', kind: 'openai', baseUrl: 'https://x.test' }),
    )
  ).id;
  accountId = (
    await createAccount(
      t.ctx,
      t.owner,
      createAccountInput.parse({ providerId, name: 'a', credential: 'secret' }),
    )
  ).id;
  routeId = (
    await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({ publicModel: 'm', targets: [{ accountId, upstreamModel: 'u' }] }),
    )
  ).id;
});
afterAll(async () => {
  await t?.close();
});

describe('viewers', () => {
  it('may read everything', async () => {
    expect((await listKeys(t.ctx, t.viewer, { limit: 10 })).items).toHaveLength(1);
    expect((await listProviders(t.ctx, t.viewer)).items).toHaveLength(1);
    expect((await listRoutes(t.ctx, t.viewer)).items).toHaveLength(1);
    expect((await listUsageEvents(t.ctx, t.viewer, { limit: 10 })).items).toEqual([]);
    expect((await hourlyUsage(t.ctx, t.viewer, { hours: 2 })).items).toHaveLength(2);
  });

  it('may change nothing, and their attempts leave no trace', async () => {
    const auditBefore = await t.prisma.auditLog.count();
    const writes: [string, () => Promise<unknown>][] = [
      ['create key', () => createKey(t.ctx, t.viewer, createKeyInput.parse({ name: 'nope' }))],
      ['revoke key', () => revokeKey(t.ctx, t.viewer, keyId)],
      [
        'create provider',
        () =>
          createProvider(
            t.ctx,
            t.viewer,
            createProviderInput.parse({ name: 'q', kind: 'openai', baseUrl: 'https://y.test' }),
          ),
      ],
      ['update provider', () => updateProvider(t.ctx, t.viewer, providerId, { enabled: false })],
      [
        'create account',
        () =>
          createAccount(
            t.ctx,
            t.viewer,
            createAccountInput.parse({ providerId, name: 'b', credential: 's' }),
          ),
      ],
      ['update account', () => updateAccount(t.ctx, t.viewer, accountId, { weight: 9 })],
      [
        'create route',
        () =>
          createRoute(
            t.ctx,
            t.viewer,
            createRouteInput.parse({ publicModel: 'n', targets: [{ accountId, upstreamModel: 'u' }] }),
          ),
      ],
      ['update route', () => updateRoute(t.ctx, t.viewer, routeId, { enabled: false })],
      ['delete route', () => deleteRoute(t.ctx, t.viewer, routeId)],
    ];
    for (const [name, write] of writes) {
      const error = await thrown(write);
      expect(error, name).toBeInstanceOf(AdminError);
      expect(error, name).toMatchObject({ code: 'forbidden' });
    }
    expect(await t.prisma.auditLog.count()).toBe(auditBefore);
    expect(await t.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } })).toMatchObject({
      revokedAt: null,
    });
    expect(await t.prisma.route.findUniqueOrThrow({ where: { id: routeId } })).toMatchObject({
      enabled: true,
    });
  });
});

describe('console sign-in', () => {
  it('accepts the right password, case-insensitively by email', async () => {
    expect(await verifyCredentials(t.ctx, 'Owner@Example.com ', TEST_PASSWORD)).toMatchObject({
      email: 'owner@example.com',
      role: 'owner',
    });
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    expect(await verifyCredentials(t.ctx, 'owner@example.com', `${TEST_PASSWORD}!`)).toBeNull();
    expect(await verifyCredentials(t.ctx, 'nobody@example.com', TEST_PASSWORD)).toBeNull();
  });

  it('treats % and _ in an email literally, so a pattern cannot stand in for an address', async () => {
    expect(await verifyCredentials(t.ctx, '%@example.com', TEST_PASSWORD)).toBeNull();
    expect(await verifyCredentials(t.ctx, 'owner@example.co_', TEST_PASSWORD)).toBeNull();
  });
});
