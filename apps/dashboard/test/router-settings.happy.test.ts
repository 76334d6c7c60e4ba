import { DEFAULT_ROUTE_POLICIES, type RouterSettings } from '@switchyard/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getAccount, updateAccount, updateAccountInput } from '../src/server/accounts';
import { toAdminError } from '../src/server/admin-error';
import { createRoute, createRouteInput, getRoute, updateRoute, updateRouteInput } from '../src/server/routes';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';
import { providerWithAccounts } from './routing-fixtures';

// The readback of settings the routers apply (attempts cap, breaker thresholds, health checks), computed from
// what live routers published in router_instances. The router side is covered by router-readback.happy.test.ts.

let t: AdminTestContext;
let accountIds: string[];

const ROUTER: RouterSettings = {
  maxAttempts: 2,
  breaker: {
    consecutiveFailures: 7,
    failureRateThreshold: 0.3,
    windowMs: 60_000,
    minimumRequests: 10,
    coolDownMs: 5_000,
  },
  healthCheck: { intervalMs: 15_000, timeoutMs: 2_000 },
};

async function reportRouter(instanceId: string, settings: RouterSettings, agoMs = 0): Promise<void> {
  const reportedAt = new Date(t.clock.now().getTime() - agoMs);
  await t.prisma.routerInstance.upsert({
    where: { instanceId },
    create: { instanceId, settings: settings as object, reportedAt },
    update: { settings: settings as object, reportedAt },
  });
}

beforeAll(async () => {
  t = await startAdminTestContext();
  const { accounts } = await providerWithAccounts(t, 'rs-a', 'rs-b');
  accountIds = accounts.map((account) => account.id);
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.prisma.routerInstance.deleteMany();
});

describe('route readback from the routers that reported', () => {
  it('applies the attempts cap and breaker defaults the live routers reported, naming where each value came from', async () => {
    await reportRouter('router-1', ROUTER);
    const route = await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({
        publicModel: 'rs-route',
        breaker: { coolDownMs: 120_000 },
        targets: [{ accountId: accountIds[0], upstreamModel: 'm' }],
      }),
    );
    expect(route.routerSettings).toEqual({ source: 'reported', instances: 1, differ: false });
    expect(route.effectivePolicies.interactive).toMatchObject({
      maxAttempts: 2,
      configuredMaxAttempts: DEFAULT_ROUTE_POLICIES.interactive.maxAttempts,
      maxAttemptsCap: 2,
    });
    expect(route.effectivePolicies.media).toMatchObject({ maxAttempts: 2, maxAttemptsCap: null });
    expect(route.breaker).toEqual({
      consecutiveFailures: null,
      failureRateThreshold: null,
      windowMs: null,
      minimumRequests: null,
      coolDownMs: 120_000,
    });
    expect(route.effectiveBreaker).toEqual({
      consecutiveFailures: { value: 7, source: 'router_default' },
      failureRateThreshold: { value: 0.3, source: 'router_default' },
      windowMs: { value: 60_000, source: 'router_default' },
      minimumRequests: { value: 10, source: 'router_default' },
      coolDownMs: { value: 120_000, source: 'route' },
    });
    const row = await t.prisma.route.findUniqueOrThrow({ where: { id: route.id } });
    expect([row.breakerCooldownMs, row.breakerConsecutiveFailures]).toEqual([120_000, null]);
  });

  it('shows the lowest cap when live routers differ, and ignores routers that stopped reporting', async () => {
    await reportRouter('router-1', ROUTER);
    await reportRouter('router-2', { ...ROUTER, maxAttempts: 1 });
    await reportRouter('router-gone', { ...ROUTER, maxAttempts: 10 }, 10 * 60_000);
    const route = await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({
        publicModel: 'rs-differ',
        targets: [{ accountId: accountIds[0], upstreamModel: 'm2' }],
      }),
    );
    expect(route.routerSettings).toEqual({ source: 'reported', instances: 2, differ: true });
    expect(route.effectivePolicies.interactive).toMatchObject({ maxAttempts: 1, maxAttemptsCap: 1 });
  });

  it('shows a shared target running the stricter thresholds of another route', async () => {
    const lenient = await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({
        publicModel: 'rs-lenient',
        breaker: { consecutiveFailures: 10 },
        targets: [{ accountId: accountIds[1], upstreamModel: 'shared' }],
      }),
    );
    const strict = await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({
        publicModel: 'rs-strict',
        breaker: { consecutiveFailures: 2 },
        targets: [{ accountId: accountIds[1], upstreamModel: 'shared' }],
      }),
    );
    const readback = await getRoute(t.ctx, t.viewer, lenient.id);
    expect(readback.effectiveBreaker.consecutiveFailures).toEqual({ value: 10, source: 'route' });
    expect(readback.sharedBreakers).toEqual([
      {
        targetId: lenient.targets[0]?.id,
        thresholds: expect.objectContaining({ consecutiveFailures: 2 }),
      },
    ]);
    expect((await getRoute(t.ctx, t.viewer, strict.id)).sharedBreakers).toEqual([]);

    // Saving the breaker replaces every threshold: left-out fields go back to the default.
    const cleared = await updateRoute(t.ctx, t.owner, strict.id, updateRouteInput.parse({ breaker: {} }));
    expect(cleared.breaker.consecutiveFailures).toBeNull();
  });

  it('refuses a threshold out of range, naming the field', async () => {
    for (const [breaker, field] of [
      [{ failureRateThreshold: 1.5 }, 'breaker.failureRateThreshold'],
      [{ consecutiveFailures: 0 }, 'breaker.consecutiveFailures'],
      [{ windowMs: 10 }, 'breaker.windowMs'],
      [{ coolDown: 5 }, 'breaker'],
    ] as const) {
      const error = toAdminError(
        await thrown(async () =>
          createRouteInput.parse({
            publicModel: 'rs-bad',
            breaker,
            targets: [{ accountId: accountIds[0], upstreamModel: 'm' }],
          }),
        ),
      );
      expect([error.code, error.field]).toEqual(['invalid_request', field]);
    }
  });
});

describe('account health check readback', () => {
  it('stores the setting of the account and shows what the routers apply, defaulting to their reported environment', async () => {
    await reportRouter('router-1', ROUTER);
    const [checked, other] = accountIds as [string, string];
    const saved = await updateAccount(
      t.ctx,
      t.owner,
      checked,
      updateAccountInput.parse({ healthCheck: { enabled: true } }),
    );
    expect(saved.healthCheck).toEqual({ enabled: true, intervalMs: null });
    expect(saved.effectiveHealthCheck).toEqual({
      enabled: { value: true, source: 'account' },
      intervalMs: { value: 15_000, source: 'router_default' },
    });
    // A router whose HEALTH_CHECK_INTERVAL_MS is above 0 checks every account that says nothing.
    expect((await getAccount(t.ctx, t.viewer, other)).effectiveHealthCheck.enabled).toEqual({
      value: true,
      source: 'router_default',
    });

    await t.prisma.routerInstance.deleteMany();
    const off = await updateAccount(
      t.ctx,
      t.owner,
      checked,
      updateAccountInput.parse({ healthCheck: { enabled: false, intervalMs: 2_000 } }),
    );
    expect(off.effectiveHealthCheck).toEqual({
      enabled: { value: false, source: 'account' },
      intervalMs: { value: 2_000, source: 'account' },
    });
    const row = await t.prisma.upstreamAccount.findUniqueOrThrow({ where: { id: checked } });
    expect([row.healthCheckEnabled, row.healthCheckIntervalMs]).toEqual([false, 2_000]);
    // No router reporting: the routers' own default (checks off) is assumed, and said so.
    const assumed = await getAccount(t.ctx, t.viewer, other);
    expect(assumed.routerSettings.source).toBe('assumed_default');
    expect(assumed.effectiveHealthCheck.enabled).toEqual({ value: false, source: 'router_default' });
  });

  it('refuses an interval under 100 ms, naming the field', async () => {
    const error = toAdminError(
      await thrown(async () => updateAccountInput.parse({ healthCheck: { intervalMs: 50 } })),
    );
    expect([error.code, error.field]).toEqual(['invalid_request', 'healthCheck.intervalMs']);
  });
});
