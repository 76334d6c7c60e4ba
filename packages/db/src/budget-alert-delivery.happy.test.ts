import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BudgetReportStore, createBudgetReportStore } from './budget-report-repository';
import { createPrismaClient, type PrismaClient } from './client';
import { newId } from './ids';
import { createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';

const NOW = Date.parse('2030-03-10T12:00:00.000Z');
const LEASE_MS = 35_000;
const PERIOD_START = Date.parse('2030-03-01T05:00:00.000Z');

describe('budget alert delivery claims', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const stores: BudgetReportStore[] = [];
  let store: BudgetReportStore;
  let hooked: string;
  let silent: string;

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
    // Separate stores are separate connections, as separate router instances have.
    for (let i = 0; i < 6; i++) stores.push(createBudgetReportStore(db.databaseUrl));
    store = stores[0] as BudgetReportStore;
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await prisma.$disconnect();
    await db.drop();
  });
  beforeEach(async () => {
    await prisma.budget.deleteMany();
    hooked = newId('bud');
    silent = newId('bud');
    await prisma.budget.createMany({
      data: [
        {
          id: hooked,
          name: 'team-a monthly',
          scope: 'global',
          period: 'monthly',
          mode: 'soft',
          limitMicros: 5_000_000n,
          timeZone: 'America/New_York',
          webhookUrl: 'http://127.0.0.1:9/hook',
          alertThresholds: Array.from({ length: 20 }, (_, i) => i + 1),
        },
        { id: silent, name: 'console only', scope: 'global', period: 'total', limitMicros: 1_000_000n },
      ],
    });
  });

  /** Records thresholds 1..n of a budget at NOW; returns their ids. */
  async function record(budgetId: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let threshold = 1; threshold <= count; threshold++) {
      const id = await store.recordAlert(
        {
          budgetId,
          periodStart: PERIOD_START,
          threshold,
          spendMicros: 50_000n * BigInt(threshold),
          limitMicros: 5_000_000n,
        },
        NOW,
      );
      expect(id).not.toBeNull();
      ids.push(id as string);
    }
    return ids;
  }

  it('makes an alert due at once only when its budget has a webhook, and claims it with its payload fields', async () => {
    const [withHook] = await record(hooked, 1);
    const [withoutHook] = await record(silent, 1);
    const rows = await prisma.budgetAlert.findMany({ orderBy: { id: 'asc' } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(withHook as string)?.nextDeliveryAt?.getTime()).toBe(NOW);
    expect(byId.get(withoutHook as string)?.nextDeliveryAt).toBeNull();

    expect(await store.claimDueAlerts(NOW - 1, LEASE_MS, 10)).toEqual([]);
    expect(await store.claimDueAlerts(NOW, LEASE_MS, 10)).toEqual([
      {
        id: withHook,
        budgetId: hooked,
        budgetName: 'team-a monthly',
        mode: 'soft',
        period: 'monthly',
        timeZone: 'America/New_York',
        threshold: 1,
        spendMicros: 50_000n,
        limitMicros: 5_000_000n,
        periodStart: PERIOD_START,
        createdAt: NOW,
        webhookUrl: 'http://127.0.0.1:9/hook',
        attempt: 1,
      },
    ]);
    const claimed = await prisma.budgetAlert.findUniqueOrThrow({ where: { id: withHook as string } });
    expect(claimed.deliveryAttempts).toBe(1);
    expect(claimed.nextDeliveryAt?.getTime()).toBe(NOW + LEASE_MS);
  });

  it('never hands one alert to two concurrent claimers, and not again until the lease passes', async () => {
    const ids = await record(hooked, 20);
    // Six instances claiming at once, in rounds, until nothing is due.
    const claims: string[] = [];
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(stores.map((s) => s.claimDueAlerts(NOW, LEASE_MS, 3)));
      const flat = results.flat();
      for (const alert of flat) expect(alert.attempt).toBe(1);
      claims.push(...flat.map((alert) => alert.id));
      if (flat.length === 0) break;
    }
    expect(claims).toHaveLength(20);
    expect(new Set(claims).size).toBe(20);
    expect([...claims].sort()).toEqual([...ids].sort());

    expect(await store.claimDueAlerts(NOW + LEASE_MS - 1, LEASE_MS, 50)).toEqual([]);
    const again = await store.claimDueAlerts(NOW + LEASE_MS, LEASE_MS, 50);
    expect(again.map((alert) => alert.attempt)).toEqual(Array(20).fill(2));
  });

  it('skips an alert another transaction holds instead of waiting for it', async () => {
    const [held, free] = await record(hooked, 2);
    const holder = new pg.Client({ connectionString: db.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM budget_alerts WHERE id = $1 FOR UPDATE', [held]);
      const claimed = await store.claimDueAlerts(NOW, LEASE_MS, 10);
      expect(claimed.map((alert) => alert.id)).toEqual([free]);
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect((await store.claimDueAlerts(NOW, LEASE_MS, 10)).map((alert) => alert.id)).toEqual([held]);
  });

  it('records success, retries and giving up; a budget without a webhook any more is not claimed', async () => {
    const [delivered, retried, abandoned, orphaned] = await record(hooked, 4);
    await store.claimDueAlerts(NOW, LEASE_MS, 10);
    await store.markDelivered(delivered as string, NOW + 10);
    await store.recordDeliveryFailure(retried as string, 'HTTP 500', NOW + 1_000);
    await store.recordDeliveryFailure(abandoned as string, 'fetch failed: connect ECONNREFUSED', null);
    await store.recordDeliveryFailure(orphaned as string, 'HTTP 502', NOW + 1_000);
    // A late failure report from an instance whose lease ran out does not undo a delivery.
    await store.recordDeliveryFailure(delivered as string, 'HTTP 504', NOW + 1_000);
    await prisma.budget.update({ where: { id: hooked }, data: { webhookUrl: null } });
    expect(await store.claimDueAlerts(NOW + 1_000, LEASE_MS, 10)).toEqual([]);
    await prisma.budget.update({ where: { id: hooked }, data: { webhookUrl: 'http://127.0.0.1:9/hook' } });

    const due = await store.claimDueAlerts(NOW + 1_000, LEASE_MS, 10);
    expect(due.map((alert) => [alert.id, alert.attempt]).sort()).toEqual(
      [
        [retried, 2],
        [orphaned, 2],
      ].sort(),
    );
    const rows = await prisma.budgetAlert.findMany({ where: { budgetId: hooked } });
    const state = Object.fromEntries(
      rows.map((row) => [
        row.id,
        [row.deliveredAt?.getTime() ?? null, row.nextDeliveryAt?.getTime() ?? null, row.lastDeliveryError],
      ]),
    );
    expect(state).toEqual({
      [delivered as string]: [NOW + 10, null, null],
      [retried as string]: [null, NOW + 1_000 + LEASE_MS, 'HTTP 500'],
      [abandoned as string]: [null, null, 'fetch failed: connect ECONNREFUSED'],
      [orphaned as string]: [null, NOW + 1_000 + LEASE_MS, 'HTTP 502'],
    });
    expect(await store.claimDueAlerts(NOW + 10 * 86_400_000, LEASE_MS, 10)).toHaveLength(2);
  });
});
