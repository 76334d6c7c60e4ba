import { newId } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBudget,
  createBudgetInput,
  deleteBudget,
  getBudget,
  listBudgets,
  updateBudget,
  updateBudgetInput,
} from '../src/server/budgets';
import { createKey, createKeyInput } from '../src/server/keys';
import { createTeam, createTeamInput } from '../src/server/teams';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';
import { insertHourlyRollups } from './rollup-fixtures';

let t: AdminTestContext;
let keyId: string;
let otherKeyId: string;
let teamId: string;

beforeAll(async () => {
  t = await startAdminTestContext();
  t.clock.set('2030-01-15T10:30:00.000Z');
  keyId = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'checkout' }))).key.id;
  otherKeyId = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'search' }))).key.id;
  teamId = (await createTeam(t.ctx, t.owner, createTeamInput.parse({ name: 'payments' }))).id;
  await insertHourlyRollups(t.prisma, [
    // This month (January 2030), today (the 15th) and this hour.
    { bucketStart: '2030-01-15T10:00:00Z', keyId, teamId, requests: 3, costMicros: 1_250_000n },
    { bucketStart: '2030-01-15T10:00:00Z', keyId, teamId, status: 'error', requests: 1, costMicros: 5n },
    { bucketStart: '2030-01-15T00:00:00Z', keyId, model: 'o3', requests: 2, costMicros: 40_000n },
    { bucketStart: '2030-01-02T08:00:00Z', keyId, requests: 7, costMicros: 2_000_000n },
    { bucketStart: '2030-01-10T08:00:00Z', keyId: otherKeyId, teamId, requests: 1, costMicros: 300_000n },
    // Last month and yesterday's last hour: outside a monthly / daily window respectively.
    { bucketStart: '2029-12-31T23:00:00Z', keyId, requests: 9, costMicros: 9_000_000n },
    { bucketStart: '2030-01-14T23:00:00Z', keyId, requests: 1, costMicros: 100n },
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe('budgets', () => {
  it('creates a key budget and reports spend in its period from the rollups, with reservations and alerts', async () => {
    const budget = await createBudget(
      t.ctx,
      t.owner,
      createBudgetInput.parse({
        name: 'Checkout monthly',
        scope: 'key',
        scopeId: keyId,
        period: 'monthly',
        limitUsd: '5.00',
      }),
    );
    expect(budget).toMatchObject({
      name: 'Checkout monthly',
      scope: 'key',
      scopeId: keyId,
      scopeName: 'checkout',
      period: 'monthly',
      mode: 'hard',
      limitUsd: '5.00',
      limitMicros: '5000000',
      alertThresholds: [50, 80, 100],
      timeZone: 'UTC',
      periodStart: '2030-01-01T00:00:00.000Z',
      periodEnd: '2030-02-01T00:00:00.000Z',
      // 1_250_000 + 5 + 40_000 + 2_000_000 + 100
      spentMicros: '3290105',
      reservedMicros: '0',
      reportingRouters: 0,
      percentUsed: 65.8,
      alerts: [],
    });

    // Two routers report fresh reservations for this period; a stale report and another period's do not count.
    const now = t.clock.now().getTime();
    await t.prisma.budgetUsage.createMany({
      data: [
        {
          instanceId: 'r1',
          budgetId: budget.id,
          periodStart: new Date('2030-01-01T00:00:00Z'),
          spentMicros: 0n,
          reservedMicros: 50_000n,
          updatedAt: new Date(now - 2_000),
        },
        {
          instanceId: 'r2',
          budgetId: budget.id,
          periodStart: new Date('2030-01-01T00:00:00Z'),
          spentMicros: 0n,
          reservedMicros: 25_000n,
          updatedAt: new Date(now - 29_000),
        },
        {
          instanceId: 'r3',
          budgetId: budget.id,
          periodStart: new Date('2030-01-01T00:00:00Z'),
          spentMicros: 0n,
          reservedMicros: 999_000n,
          updatedAt: new Date(now - 31_000),
        },
        {
          instanceId: 'r4',
          budgetId: budget.id,
          periodStart: new Date('2029-12-01T00:00:00Z'),
          spentMicros: 0n,
          reservedMicros: 777_000n,
          updatedAt: new Date(now - 1_000),
        },
      ],
    });
    await t.prisma.budgetAlert.createMany({
      data: [
        {
          id: newId('bal'),
          budgetId: budget.id,
          periodStart: new Date('2030-01-01T00:00:00Z'),
          threshold: 50,
          spendMicros: 2_500_100n,
          limitMicros: 5_000_000n,
          createdAt: new Date('2030-01-14T09:00:00Z'),
          deliveryAttempts: 2,
          lastDeliveryError: 'HTTP 503',
          nextDeliveryAt: new Date('2030-01-14T09:00:06Z'),
        },
        {
          id: newId('bal'),
          budgetId: budget.id,
          periodStart: new Date('2029-12-01T00:00:00Z'),
          threshold: 100,
          spendMicros: 5_000_000n,
          limitMicros: 5_000_000n,
          deliveredAt: new Date('2029-12-20T00:00:01Z'),
          createdAt: new Date('2029-12-20T00:00:00Z'),
        },
      ],
    });
    const read = await getBudget(t.ctx, t.viewer, budget.id);
    expect(read.reservedMicros).toBe('75000');
    expect(read.reportingRouters).toBe(2);
    expect(read.alerts.map((alert) => [alert.threshold, alert.spendMicros, alert.deliveredAt])).toEqual([
      [50, '2500100', null],
      [100, '5000000', '2029-12-20T00:00:01.000Z'],
    ]);
    expect(
      read.alerts.map((alert) => [alert.deliveryAttempts, alert.lastDeliveryError, alert.nextDeliveryAt]),
    ).toEqual([
      [2, 'HTTP 503', '2030-01-14T09:00:06.000Z'],
      [0, null, null],
    ]);
  });

  it('windows by period: daily, total, team and global scopes', async () => {
    const make = (body: Record<string, unknown>) =>
      createBudget(t.ctx, t.owner, createBudgetInput.parse({ limitUsd: '10', ...body }));
    const daily = await make({ name: 'Checkout today', scope: 'key', scopeId: keyId, period: 'daily' });
    expect(daily.spentMicros).toBe(String(1_250_000 + 5 + 40_000));
    const total = await make({ name: 'Checkout ever', scope: 'key', scopeId: keyId, period: 'total' });
    expect(total).toMatchObject({
      spentMicros: String(1_250_005 + 40_000 + 2_000_000 + 9_000_000 + 100),
      periodEnd: null,
    });
    const team = await make({
      name: 'Payments',
      scope: 'team',
      scopeId: teamId,
      period: 'monthly',
      mode: 'soft',
    });
    expect(team).toMatchObject({
      spentMicros: '1550005',
      scopeName: 'payments',
      mode: 'soft',
      percentUsed: 15.5,
    });
    const global = await make({ name: 'Everything', scope: 'global', period: 'monthly' });
    expect(global).toMatchObject({
      spentMicros: String(3_290_105 + 300_000),
      scopeId: null,
      scopeName: null,
    });
    // A weekly window in another zone: Monday 2030-01-14 00:00 in Tokyo is 2030-01-13T15:00Z.
    const weekly = await make({
      name: 'Tokyo week',
      scope: 'key',
      scopeId: keyId,
      period: 'weekly',
      timeZone: 'Asia/Tokyo',
    });
    expect(weekly).toMatchObject({
      periodStart: '2030-01-13T15:00:00.000Z',
      spentMicros: String(1_290_005 + 100),
    });

    const names = (await listBudgets(t.ctx, t.viewer)).items.map((budget) => budget.name);
    expect(names).toEqual([
      'Checkout ever',
      'Checkout monthly',
      'Checkout today',
      'Everything',
      'Payments',
      'Tokyo week',
    ]);
  });

  it('updates the limit and thresholds, and deletes', async () => {
    const budget = await createBudget(
      t.ctx,
      t.owner,
      createBudgetInput.parse({
        name: 'Search',
        scope: 'key',
        scopeId: otherKeyId,
        period: 'monthly',
        limitUsd: '1',
      }),
    );
    expect(budget.percentUsed).toBe(30);
    const updated = await updateBudget(
      t.ctx,
      t.owner,
      budget.id,
      updateBudgetInput.parse({ limitUsd: '0.60', alertThresholds: [25, 90], mode: 'soft' }),
    );
    expect(updated).toMatchObject({
      limitMicros: '600000',
      alertThresholds: [25, 90],
      mode: 'soft',
      percentUsed: 50,
    });
    const audit = await t.prisma.auditLog.findMany({
      where: { targetId: budget.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(audit.map((entry) => entry.action)).toEqual(['budget.create', 'budget.update']);

    await deleteBudget(t.ctx, t.owner, budget.id);
    expect(await thrown(() => getBudget(t.ctx, t.viewer, budget.id))).toMatchObject({ code: 'not_found' });
  });
});
