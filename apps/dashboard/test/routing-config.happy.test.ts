import { DEFAULT_ROUTE_POLICIES, type RoutePolicy } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getAccount,
  resetAccountCredential,
  updateAccount,
  updateAccountInput,
} from '../src/server/accounts';
import {
  createRoute,
  createRouteInput,
  getRoute,
  updateRoute,
  updateRouteInput,
  updateRouteTarget,
  updateRouteTargetInput,
} from '../src/server/routes';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';
import { providerWithAccounts, simpleRoute } from './routing-fixtures';

let t: AdminTestContext;
let primary: string;
let secondary: string;

beforeAll(async () => {
  t = await startAdminTestContext();
  const { accounts } = await providerWithAccounts(t, 'primary', 'secondary');
  primary = accounts[0]?.id ?? '';
  secondary = accounts[1]?.id ?? '';
});
afterAll(async () => {
  await t?.close();
});

async function auditRows(targetId: string) {
  return t.prisma.auditLog.findMany({ where: { targetId }, orderBy: { createdAt: 'asc' } });
}

const EVALUATION_OVERRIDE = {
  rungs: {
    retrySameTarget: true,
    otherAccount: false,
    otherProvider: false,
    backupModel: false,
    waitAndRetry: true,
  },
  maxAttempts: 2,
  timeouts: { connectMs: 1_000, firstByteMs: 5_000, idleMs: 5_000, totalMs: 20_000 },
};

describe('backups and policies', () => {
  it('stores backups as public model names and answers the effective policy of every class', async () => {
    await simpleRoute(t, primary, 'big-model', { aliases: ['big'] });
    const route = await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({
        publicModel: 'small-model',
        backupModels: ['big'],
        policies: { evaluation: EVALUATION_OVERRIDE, media: null },
        targets: [{ accountId: primary, upstreamModel: 'small-upstream' }],
      }),
    );
    expect(route.backupModels).toEqual(['big-model']);
    expect(route.policies).toEqual({ evaluation: EVALUATION_OVERRIDE });
    // No router has reported: the readback assumes the routers' default ROUTER_MAX_ATTEMPTS (3), which caps
    // background's 6 attempts the way a router would.
    const uncapped = (policy: RoutePolicy, source: 'route' | 'default') => ({
      ...policy,
      source,
      configuredMaxAttempts: policy.maxAttempts,
      maxAttemptsCap: null,
    });
    expect(route.routerSettings).toEqual({ source: 'assumed_default', instances: 0, differ: false });
    expect(route.effectivePolicies).toEqual({
      interactive: uncapped(DEFAULT_ROUTE_POLICIES.interactive, 'default'),
      background: {
        ...DEFAULT_ROUTE_POLICIES.background,
        source: 'default',
        maxAttempts: 3,
        configuredMaxAttempts: 6,
        maxAttemptsCap: 3,
      },
      evaluation: uncapped(EVALUATION_OVERRIDE, 'route'),
      media: uncapped(DEFAULT_ROUTE_POLICIES.media, 'default'),
      agent: uncapped(DEFAULT_ROUTE_POLICIES.agent, 'default'),
    });
    const row = await t.prisma.route.findUniqueOrThrow({ where: { id: route.id } });
    expect(row.backupModels).toEqual(['big-model']);
    expect(row.policies).toEqual({ evaluation: EVALUATION_OVERRIDE });
    expect((await auditRows(route.id))[0]?.details).toMatchObject({
      backupModels: ['big-model'],
      policies: { evaluation: EVALUATION_OVERRIDE },
    });

    const cleared = await updateRoute(t.ctx, t.owner, route.id, updateRouteInput.parse({ policies: {} }));
    expect(cleared.policies).toEqual({});
    expect(cleared.effectivePolicies.evaluation).toEqual({
      ...DEFAULT_ROUTE_POLICIES.evaluation,
      source: 'default',
      maxAttempts: 3,
      configuredMaxAttempts: 4,
      maxAttemptsCap: 3,
    });
  });

  it('keeps other routes pointing at a renamed route', async () => {
    const renamed = await simpleRoute(t, primary, 'old-name', { aliases: ['old-alias'] });
    const dependant = await simpleRoute(t, primary, 'dependant', {
      backupModels: ['old-name'],
      contextFallbackModel: 'old-alias',
    });
    expect([dependant.backupModels, dependant.contextFallbackModel]).toEqual([['old-name'], 'old-name']);
    await updateRoute(t.ctx, t.owner, renamed.id, updateRouteInput.parse({ publicModel: 'new-name' }));
    const after = await getRoute(t.ctx, t.viewer, dependant.id);
    expect([after.backupModels, after.contextFallbackModel]).toEqual([['new-name'], 'new-name']);
  });
});

describe('targets', () => {
  it('keeps the ids of listed targets when the list is replaced, and edits tiers and weights', async () => {
    const route = await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({
        publicModel: 'tiered',
        targets: [
          { accountId: primary, upstreamModel: 'm', weight: 3 },
          { accountId: secondary, upstreamModel: 'm', tier: 1 },
        ],
      }),
    );
    const [first, second] = route.targets;
    const updated = await updateRoute(
      t.ctx,
      t.owner,
      route.id,
      updateRouteInput.parse({
        targets: [
          { id: second?.id, accountId: secondary, upstreamModel: 'm', tier: 0, weight: 5 },
          { accountId: primary, upstreamModel: 'm-fallback', tier: 2 },
        ],
      }),
    );
    expect(
      updated.targets.map((target) => [target.accountId, target.upstreamModel, target.tier, target.weight]),
    ).toEqual([
      [secondary, 'm', 0, 5],
      [primary, 'm-fallback', 2, 1],
    ]);
    expect(updated.targets[0]?.id).toBe(second?.id);
    expect(updated.targets[1]?.id).not.toBe(first?.id);
    expect(await t.prisma.routeTarget.count({ where: { id: first?.id } })).toBe(0);
  });

  it('disables and re-enables one target, auditing each switch and leaving its siblings alone', async () => {
    const route = await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({
        publicModel: 'drill',
        targets: [
          { accountId: primary, upstreamModel: 'm' },
          { accountId: secondary, upstreamModel: 'm' },
        ],
      }),
    );
    const target = route.targets.find((candidate) => candidate.accountId === secondary);
    const targetId = target?.id ?? '';

    const disabled = await updateRouteTarget(
      t.ctx,
      t.owner,
      route.id,
      targetId,
      updateRouteTargetInput.parse({ enabled: false }),
    );
    expect(disabled.targets.map((candidate) => [candidate.accountId, candidate.enabled])).toEqual(
      route.targets.map((candidate) => [candidate.accountId, candidate.accountId !== secondary]),
    );
    const reweighted = await updateRouteTarget(
      t.ctx,
      t.owner,
      route.id,
      targetId,
      updateRouteTargetInput.parse({ enabled: true, weight: 4, tier: 1 }),
    );
    expect(reweighted.targets.find((candidate) => candidate.id === targetId)).toEqual({
      id: targetId,
      accountId: secondary,
      upstreamModel: 'm',
      tier: 1,
      weight: 4,
      enabled: true,
    });
    // Two transactions may share a millisecond: compare contents, not order.
    const audit = await auditRows(targetId);
    expect(audit).toHaveLength(2);
    expect(audit.map((row) => [row.action, row.targetType, row.details])).toEqual(
      expect.arrayContaining([
        ['route_target.update', 'route_target', { routeId: route.id, enabled: false }],
        ['route_target.update', 'route_target', { routeId: route.id, enabled: true, weight: 4, tier: 1 }],
      ]),
    );
  });
});

describe('rejected credentials', () => {
  /** What the router does when an upstream answers 401/403 for the account. */
  async function markRejected(accountId: string, message: string): Promise<Date> {
    const at = new Date('2030-01-15T10:00:00.000Z');
    await t.prisma.upstreamAccount.update({
      where: { id: accountId },
      data: { credentialRejectedAt: at, credentialError: message },
    });
    return at;
  }

  it('shows the mark, clears it on reset with one audit row, and reset is idempotent', async () => {
    const { accounts } = await providerWithAccounts(t, 'to-reset');
    const id = accounts[0]?.id ?? '';
    const at = await markRejected(id, '401 invalid_api_key: Incorrect API key provided');
    expect(await getAccount(t.ctx, t.viewer, id)).toMatchObject({
      credentialRejectedAt: at.toISOString(),
      credentialError: '401 invalid_api_key: Incorrect API key provided',
    });

    const reset = await resetAccountCredential(t.ctx, t.owner, id);
    expect([reset.credentialRejectedAt, reset.credentialError]).toEqual([null, null]);
    // Resetting again changes nothing an operator sees; the credential epoch still moves on, voiding any 401 a
    // router holds but has not stored yet.
    const again = await resetAccountCredential(t.ctx, t.owner, id);
    expect({ ...again, credentialEpoch: reset.credentialEpoch }).toEqual(reset);
    expect(again.credentialEpoch).toBe(reset.credentialEpoch + 1);
    const audit = (await auditRows(id)).filter((row) => row.action === 'upstream_account.credential_reset');
    expect(audit.map((row) => row.details)).toEqual([
      {
        credentialRejectedAt: at.toISOString(),
        credentialError: '401 invalid_api_key: Incorrect API key provided',
      },
    ]);
  });

  it('clears the mark when the credential is replaced, not when anything else changes', async () => {
    const { accounts } = await providerWithAccounts(t, 'to-rotate');
    const id = accounts[0]?.id ?? '';
    const at = await markRejected(id, '403 forbidden');
    const renamed = await updateAccount(t.ctx, t.owner, id, updateAccountInput.parse({ weight: 2 }));
    expect(renamed.credentialRejectedAt).toBe(at.toISOString());
    const rotated = await updateAccount(
      t.ctx,
      t.owner,
      id,
      updateAccountInput.parse({ credential: 'sk-fixed' }),
    );
    expect([rotated.credentialRejectedAt, rotated.credentialError]).toEqual([null, null]);
  });

  it('disables and re-enables an account', async () => {
    const { accounts } = await providerWithAccounts(t, 'switchable');
    const id = accounts[0]?.id ?? '';
    expect((await updateAccount(t.ctx, t.owner, id, { enabled: false })).enabled).toBe(false);
    expect((await t.prisma.upstreamAccount.findUniqueOrThrow({ where: { id } })).enabled).toBe(false);
    expect((await updateAccount(t.ctx, t.owner, id, { enabled: true })).enabled).toBe(true);
  });
});
