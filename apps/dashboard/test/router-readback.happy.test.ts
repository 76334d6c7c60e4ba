import { DEFAULT_ROUTE_POLICIES } from '@switchyard/core';
import { getTestPostgresServerUrl } from '@switchyard/db/testing';
import { type Stack, startStack, waitFor } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getAccount,
  resetAccountCredential,
  updateAccount,
  updateAccountInput,
} from '../src/server/accounts';
import { ADMIN_TOKEN_ACTOR } from '../src/server/actor';
import { type AdminContext, createAdminContext } from '../src/server/admin-context';
import { createRoute, createRouteInput, getRoute, type RouteView } from '../src/server/routes';

// What the console and the admin API say about routing must be what a real router does. One real stack (router,
// mock provider, PostgreSQL) with the environment the issue tried: ROUTER_MAX_ATTEMPTS=3, BREAKER_FAILURES=5,
// active health checks off by default. The dashboard's own service functions make every change.

let stack: Stack;
let ctx: AdminContext;

beforeAll(async () => {
  stack = await startStack(await getTestPostgresServerUrl(), {
    ROUTER_MAX_ATTEMPTS: '3',
    BREAKER_FAILURES: '5',
    HEALTH_REPORT_MS: '200',
  });
  ctx = createAdminContext({ prisma: stack.prisma, masterKey: stack.masterKey });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

async function setMockFaults(faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.mockOrigin}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(res.status).toBe(200);
}

/** Requests the mock counted per presented upstream credential. */
async function mockCountsByKey(): Promise<Record<string, number>> {
  const stats = (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as {
    byKey: Record<string, number>;
  };
  return stats.byKey;
}

async function chat(model: string): Promise<Response> {
  return fetch(`${stack.routerUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('a credential reset', () => {
  it('puts the account back into rotation on every router within about a second, even right after the 401', async () => {
    const flaky = await stack.addAccount('e1-flaky');
    const backup = await stack.addAccount('e1-backup');
    await stack.addRoute({
      publicModel: 'e1-route',
      targets: [
        { accountId: flaky.id, upstreamModel: 'm', tier: 0 },
        { accountId: backup.id, upstreamModel: 'm', tier: 1 },
      ],
    });
    await stack.awaitModels((models) => models.includes('e1-route'));
    await setMockFaults({ byKey: { [flaky.credential]: { status: 401 } } });

    // The 401 marks the credential; the backup serves.
    const first = await chat('e1-route');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-switchyard-account')).toBe('e1-backup');
    await waitFor('the mark to be stored', () =>
      stack.prisma.upstreamAccount.findFirst({
        where: { id: flaky.id, credentialRejectedAt: { not: null } },
      }),
    );

    // The operator fixes the credential at the provider and resets it in the console, well within 30 s.
    await setMockFaults({});
    const view = await resetAccountCredential(ctx, ADMIN_TOKEN_ACTOR, flaky.id);
    expect(view.credentialRejectedAt).toBeNull();

    const before = (await mockCountsByKey())[flaky.credential] ?? 0;
    const served = await waitFor(
      'a request served by the reset account',
      async () => {
        const res = await chat('e1-route');
        return res.headers.get('x-switchyard-account') === 'e1-flaky' ? res : null;
      },
      { timeoutMs: 2_500, intervalMs: 100 },
    );
    expect(served.status).toBe(200);
    expect((await mockCountsByKey())[flaky.credential]).toBeGreaterThan(before);
    // The readback agrees: nothing marks the account any more.
    const row = await stack.prisma.upstreamAccount.findUniqueOrThrow({ where: { id: flaky.id } });
    expect(row.credentialRejectedAt).toBeNull();
  }, 30_000);
});

/** Creates a route through the admin API's service function and waits until the router serves it. */
async function adminRoute(body: unknown): Promise<RouteView> {
  const route = await createRoute(ctx, ADMIN_TOKEN_ACTOR, createRouteInput.parse(body));
  await stack.awaitModels((models) => models.includes(route.publicModel));
  return route;
}

/** Waits until the readback is built from what the running router reported, not from assumed defaults. */
async function reportedRoute(id: string): Promise<RouteView> {
  return waitFor('the router to report its settings', async () => {
    const route = await getRoute(ctx, ADMIN_TOKEN_ACTOR, id);
    return route.routerSettings.source === 'reported' ? route : null;
  });
}

describe('the effective policy readback', () => {
  it('shows the attempts the router makes when ROUTER_MAX_ATTEMPTS caps the policy, and the cap', async () => {
    const accounts = await Promise.all(
      ['e4-a', 'e4-b', 'e4-c', 'e4-d', 'e4-e', 'e4-f'].map((name) => stack.addAccount(name)),
    );
    await setMockFaults({
      byKey: Object.fromEntries(accounts.map((account) => [account.credential, { status: 503 }])),
    });
    const route = await adminRoute({
      publicModel: 'e4-route',
      policies: { interactive: { ...DEFAULT_ROUTE_POLICIES.interactive, maxAttempts: 5 } },
      targets: accounts.map((account, tier) => ({ accountId: account.id, upstreamModel: 'm', tier })),
    });
    const before = await mockCountsByKey();

    const res = await chat('e4-route');
    expect(res.status).toBe(502);
    const after = await mockCountsByKey();
    const attemptsAtMock = accounts.reduce(
      (sum, account) => sum + ((after[account.credential] ?? 0) - (before[account.credential] ?? 0)),
      0,
    );
    expect(attemptsAtMock).toBe(3);

    const readback = await reportedRoute(route.id);
    expect(readback.effectivePolicies.interactive).toMatchObject({
      source: 'route',
      maxAttempts: attemptsAtMock,
      configuredMaxAttempts: 5,
      maxAttemptsCap: 3,
    });
    // The defaults the issue saw as 6 and 4 are capped the same way; a policy under the cap is left alone.
    expect(readback.effectivePolicies.background).toMatchObject({ maxAttempts: 3, maxAttemptsCap: 3 });
    expect(readback.effectivePolicies.evaluation).toMatchObject({ maxAttempts: 3, maxAttemptsCap: 3 });
    expect(readback.effectivePolicies.media).toMatchObject({ maxAttempts: 2, maxAttemptsCap: null });
    await setMockFaults({});
  }, 30_000);
});

describe('route breaker thresholds', () => {
  it("open a target's breaker after the route's 2 failures while BREAKER_FAILURES says 5", async () => {
    const sick = await stack.addAccount('e9-sick');
    const well = await stack.addAccount('e9-well');
    await setMockFaults({ byKey: { [sick.credential]: { status: 503 } } });
    const route = await adminRoute({
      publicModel: 'e9-breaker-route',
      breaker: { consecutiveFailures: 2, coolDownMs: 600_000 },
      targets: [
        { accountId: sick.id, upstreamModel: 'm', tier: 0 },
        { accountId: well.id, upstreamModel: 'm', tier: 1 },
      ],
    });
    const before = (await mockCountsByKey())[sick.credential] ?? 0;

    for (let i = 0; i < 4; i++) {
      const res = await chat('e9-breaker-route');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-switchyard-account')).toBe('e9-well');
    }
    // Two failures opened it; the next two requests went straight to the healthy tier.
    expect(((await mockCountsByKey())[sick.credential] ?? 0) - before).toBe(2);
    const row = await waitFor('the open breaker in the health report', () =>
      stack.prisma.targetHealth.findFirst({ where: { accountId: sick.id, model: 'm', state: 'open' } }),
    );
    expect(row.consecutiveFailures).toBe(2);

    const readback = await reportedRoute(route.id);
    expect(readback.effectiveBreaker).toEqual({
      consecutiveFailures: { value: 2, source: 'route' },
      failureRateThreshold: { value: 0.5, source: 'router_default' },
      windowMs: { value: 30_000, source: 'router_default' },
      minimumRequests: { value: 20, source: 'router_default' },
      coolDownMs: { value: 600_000, source: 'route' },
    });
    await setMockFaults({});
  }, 30_000);
});

describe('account health checks', () => {
  it('probe an account that turns them on at its interval, while the environment leaves them off', async () => {
    const checked = await stack.addAccount('e9-checked');
    const unchecked = await stack.addAccount('e9-unchecked');
    await adminRoute({
      publicModel: 'e9-health-route',
      targets: [
        { accountId: checked.id, upstreamModel: 'm', tier: 0 },
        { accountId: unchecked.id, upstreamModel: 'm', tier: 1 },
      ],
    });
    const view = await updateAccount(
      ctx,
      ADMIN_TOKEN_ACTOR,
      checked.id,
      updateAccountInput.parse({ healthCheck: { enabled: true, intervalMs: 300 } }),
    );
    expect(view.healthCheck).toEqual({ enabled: true, intervalMs: 300 });
    const startedAt = Date.now();
    const probes = await waitFor(
      'three health checks of the account',
      async () => {
        const count = (await mockCountsByKey())[checked.credential] ?? 0;
        return count >= 3 ? count : null;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    // At its interval, not faster: at most one probe per 300 ms since the setting was saved (plus the one due).
    expect(probes).toBeLessThanOrEqual(Math.floor((Date.now() - startedAt) / 300) + 1);
    // No traffic and no setting: the environment's default (off) applies to the other account.
    expect((await mockCountsByKey())[unchecked.credential] ?? 0).toBe(0);

    const readback = await waitFor('the reported readback', async () => {
      const account = await getAccount(ctx, ADMIN_TOKEN_ACTOR, checked.id);
      return account.routerSettings.source === 'reported' ? account : null;
    });
    expect(readback.effectiveHealthCheck).toEqual({
      enabled: { value: true, source: 'account' },
      intervalMs: { value: 300, source: 'account' },
    });
    const other = await getAccount(ctx, ADMIN_TOKEN_ACTOR, unchecked.id);
    expect(other.effectiveHealthCheck.enabled).toEqual({ value: false, source: 'router_default' });
  }, 30_000);
});
