import { randomBytes } from 'node:crypto';
import { periodWindow } from '@switchyard/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudgetRepository } from './admin/budget-repository';
import { createPrismaClient, type PrismaClient } from './client';
import { createCredentialCipher } from './credential-cipher';
import { loadConfigSnapshot } from './snapshot-repository';
import { buildUsageEvent, createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';
import { insertUsageEvents } from './usage-repository';

// 20:30 UTC on 5 Dec is 02:00 on 6 Dec in Asia/Kolkata (UTC+5:30): its day began at 18:30 UTC, mid-hour.
const NOW = Date.parse('2026-12-05T20:30:00Z');

describe('budget spend loaded with the snapshot', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
    pool = new pg.Pool({ connectionString: db.databaseUrl });
    await prisma.budget.createMany({
      data: [
        {
          id: 'bud_kolkata',
          name: 'kolkata day',
          scope: 'global',
          period: 'daily',
          timeZone: 'Asia/Kolkata',
          limitMicros: 1_000n,
        },
        { id: 'bud_utc', name: 'utc day', scope: 'global', period: 'daily', limitMicros: 1_000n },
      ],
    });
    // Written the way the router writes usage, so the hourly rollups hold the same events.
    await insertUsageEvents(prisma, [
      buildUsageEvent({
        requestId: 'req_before',
        createdAt: Date.parse('2026-12-05T18:15:00Z'),
        costMicros: 100n,
      }),
      buildUsageEvent({
        requestId: 'req_partial',
        createdAt: Date.parse('2026-12-05T18:45:00Z'),
        costMicros: 10n,
      }),
      buildUsageEvent({
        requestId: 'req_whole',
        createdAt: Date.parse('2026-12-05T19:10:00Z'),
        costMicros: 1n,
      }),
    ]);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await pool?.end();
    await db?.drop();
  });

  it('counts a mid-hour period from its start: raw events until the next full hour, rollups after', async () => {
    const cipher = createCredentialCipher(randomBytes(32));
    const snapshot = await loadConfigSnapshot(pool, cipher, { now: () => NOW });
    const spend = Object.fromEntries(
      snapshot.budgets.map((b) => [b.definition.id, [b.spentSince, b.spentMicros]]),
    );
    expect(spend).toEqual({
      // 18:15 belongs to the previous Kolkata day although its rollup bucket (18:00 UTC) overlaps this one.
      bud_kolkata: [Date.parse('2026-12-05T18:30:00Z'), 10n + 1n],
      bud_utc: [Date.parse('2026-12-05T00:00:00Z'), 100n + 10n + 1n],
    });
  });

  it('shows the console the same spend as the router enforces', async () => {
    const budgets = createBudgetRepository(prisma);
    const global = { scope: 'global', scopeId: null } as const;
    expect(await budgets.spend(global, periodWindow('daily', NOW, 'Asia/Kolkata'))).toBe(10n + 1n);
    expect(await budgets.spend(global, periodWindow('daily', NOW, 'UTC'))).toBe(100n + 10n + 1n);
  });
});
