import { newId } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudget, createBudgetInput } from '../src/server/budgets';
import { getOverview } from '../src/server/overview';
import { createRoute, createRouteInput } from '../src/server/routes';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';
import { insertHourlyRollups } from './rollup-fixtures';
import { providerWithAccounts } from './routing-fixtures';

let t: AdminTestContext;
const NOW = Date.parse('2030-01-15T10:30:00.000Z');

beforeAll(async () => {
  t = await startAdminTestContext();
  t.clock.set(new Date(NOW));
});
afterAll(async () => {
  await t?.close();
});

describe('overview', () => {
  it('shows zeros and empty lists on a fresh gateway', async () => {
    const overview = await getOverview(t.ctx, t.viewer);
    expect(overview).toEqual({
      generatedAt: '2030-01-15T10:30:00.000Z',
      spendTodayMicros: '0',
      last24h: {
        since: '2030-01-14T11:00:00.000Z',
        requests: 0,
        errors: 0,
        errorRate: null,
        costMicros: '0',
      },
      budgets: [],
      budgetsOverThreshold: [],
      health: { targets: 0, openBreakers: 0, halfOpen: 0, rejectedCredentials: 0, unhealthy: [] },
      recentAlerts: [],
    });
  });

  it('sums spend today and the last 24 h from the rollups, ranks budgets and lists health and alerts', async () => {
    await insertHourlyRollups(t.prisma, [
      // This hour and earlier today.
      { bucketStart: '2030-01-15T10:00:00Z', requests: 30, costMicros: 1_000_000n },
      { bucketStart: '2030-01-15T10:00:00Z', status: 'error', requests: 3, costMicros: 0n },
      { bucketStart: '2030-01-15T00:00:00Z', model: 'o3', requests: 7, costMicros: 250_000n },
      // Yesterday, inside the 24 h window (which starts at 2030-01-14T11:00).
      { bucketStart: '2030-01-14T12:00:00Z', requests: 10, costMicros: 500_000n },
      { bucketStart: '2030-01-14T12:00:00Z', status: 'rejected', requests: 2, costMicros: 0n },
      { bucketStart: '2030-01-14T11:00:00Z', requests: 5, costMicros: 5n },
      // Just before the window: counts toward the month only.
      { bucketStart: '2030-01-14T10:00:00Z', requests: 100, costMicros: 9_000_000n },
      // Last month: counts nowhere.
      { bucketStart: '2029-12-31T23:00:00Z', requests: 50, costMicros: 7_000_000n },
    ]);

    const monthly = await createBudget(
      t.ctx,
      t.owner,
      createBudgetInput.parse({
        name: 'Gateway monthly',
        scope: 'global',
        period: 'monthly',
        limitUsd: '20.00',
      }),
    );
    const daily = await createBudget(
      t.ctx,
      t.owner,
      createBudgetInput.parse({ name: 'Gateway daily', scope: 'global', period: 'daily', limitUsd: '10.00' }),
    );
    await createBudget(
      t.ctx,
      t.owner,
      createBudgetInput.parse({
        name: 'Switched off',
        scope: 'global',
        period: 'daily',
        limitUsd: '0.01',
        enabled: false,
      }),
    );
    const alert = (budgetId: string, threshold: number, createdAt: string) => ({
      id: newId('bal'),
      budgetId,
      periodStart: new Date('2030-01-01T00:00:00Z'),
      threshold,
      spendMicros: 10_000_000n,
      limitMicros: 20_000_000n,
      createdAt: new Date(createdAt),
    });
    await t.prisma.budgetAlert.createMany({
      data: [
        alert(monthly.id, 50, '2030-01-15T09:00:00Z'),
        alert(daily.id, 50, '2030-01-15T10:00:00Z'),
        alert(monthly.id, 80, '2030-01-14T09:00:00Z'),
      ],
    });

    const { accounts } = await providerWithAccounts(t, 'healthy', 'tripped', 'revoked');
    const [healthy = '', tripped = '', revoked = ''] = accounts.map((account) => account.id);
    const route = await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({
        publicModel: 'watched',
        targets: [
          { accountId: healthy, upstreamModel: 'm' },
          { accountId: tripped, upstreamModel: 'm' },
          { accountId: revoked, upstreamModel: 'm', tier: 1 },
          { accountId: revoked, upstreamModel: 'm-mini', tier: 1 },
        ],
      }),
    );
    await t.prisma.upstreamAccount.update({
      where: { id: revoked },
      data: { credentialRejectedAt: new Date(NOW - 60_000), credentialError: '401 invalid_api_key' },
    });
    for (const [accountId, state] of [
      [healthy, 'closed'],
      [tripped, 'open'],
    ] as const) {
      await t.prisma.targetHealth.create({
        data: {
          instanceId: 'r1',
          accountId,
          model: 'm',
          state,
          consecutiveFailures: 0,
          requests: 10,
          failures: 0,
          failureRate: 0,
          updatedAt: new Date(NOW - 2_000),
        },
      });
    }

    const overview = await getOverview(t.ctx, t.viewer);

    // 1_000_000 + 0 + 250_000
    expect(overview.spendTodayMicros).toBe('1250000');
    expect(overview.last24h).toEqual({
      since: '2030-01-14T11:00:00.000Z',
      // 30 + 3 + 7 + 10 + 2 + 5
      requests: 57,
      errors: 5,
      errorRate: 5 / 57,
      costMicros: '1750005',
    });
    // Monthly: 10_750_005 of 20_000_000 = 53.7 % (past its 50 % threshold); daily: 1_250_000 of 10_000_000.
    expect(overview.budgets).toEqual([
      expect.objectContaining({
        id: monthly.id,
        spentMicros: '10750005',
        limitMicros: '20000000',
        percentUsed: 53.7,
        thresholdReached: 50,
      }),
      expect.objectContaining({
        id: daily.id,
        spentMicros: '1250000',
        limitMicros: '10000000',
        percentUsed: 12.5,
        thresholdReached: null,
      }),
    ]);
    expect(overview.budgetsOverThreshold).toEqual([monthly.id]);
    expect(overview.health).toMatchObject({
      targets: 4,
      openBreakers: 1,
      halfOpen: 0,
      rejectedCredentials: 1,
    });
    expect(
      // The order of targets inside a tier is the route's, not part of this contract.
      overview.health.unhealthy
        .map((target) => [target.routeId, target.upstreamModel, target.availability])
        .sort((a, b) => (a.join() < b.join() ? -1 : 1)),
    ).toEqual([
      [route.id, 'm', 'circuit_open'],
      [route.id, 'm', 'credential_rejected'],
      [route.id, 'm-mini', 'credential_rejected'],
    ]);
    expect(overview.recentAlerts.map((a) => [a.budgetName, a.threshold, a.createdAt])).toEqual([
      ['Gateway daily', 50, '2030-01-15T10:00:00.000Z'],
      ['Gateway monthly', 50, '2030-01-15T09:00:00.000Z'],
      ['Gateway monthly', 80, '2030-01-14T09:00:00.000Z'],
    ]);
  });
});
