import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from './client';
import { createCredentialCipher } from './credential-cipher';
import { loadConfigSnapshot, loadConfigVersion, refreshBudgetSpend } from './snapshot-repository';
import { buildUsageEvent, createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';
import { insertUsageEvents } from './usage-repository';

const cipher = createCredentialCipher(randomBytes(32));

describe('config_version', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  /** What the router reads with: plain pg. */
  let pool: pg.Pool;
  const version = async () => BigInt((await loadConfigVersion(pool)) ?? -1);

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
    pool = new pg.Pool({ connectionString: db.databaseUrl });
    // Dropping the database at the end terminates a client still closing (57P01): expected then, not a failure.
    pool.on('error', () => {});
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await db.drop();
  });

  it('starts at 1 and moves by one per statement on a configuration table', async () => {
    expect(await version()).toBe(1n);
    await prisma.provider.create({
      data: { id: 'prv_1', name: 'one', kind: 'openai', baseUrl: 'http://a.test/v1' },
    });
    expect(await version()).toBe(2n);
    await prisma.apiKey.create({ data: { id: 'key_1', name: 'k', digest: 'd1', prefix: 'sk-sy-aaaa' } });
    await prisma.apiKey.update({ where: { id: 'key_1' }, data: { rpmLimit: 60 } });
    await prisma.team.create({ data: { id: 'team_1', name: 'Platform' } });
    await prisma.budget.create({
      data: { id: 'bud_1', name: 'all', scope: 'global', period: 'total', limitMicros: 1_000_000n },
    });
    await prisma.price.deleteMany({ where: { model: 'nothing-such' } });
    expect(await version()).toBe(7n);
  });

  it('does not move for usage bookkeeping (a key’s last_used_at), nor for a change rolled back', async () => {
    const before = await version();
    await insertUsageEvents(prisma, [
      buildUsageEvent({ requestId: 'req_1', keyId: 'key_1', costMicros: 40n, createdAt: Date.now() }),
    ]);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: 'key_1' } })).lastUsedAt).not.toBeNull();
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.route.create({ data: { id: 'rt_gone', publicModel: 'gone' } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await version()).toBe(before);
  });

  it('is read into the snapshot in the snapshot’s own transaction', async () => {
    const snapshot = await loadConfigSnapshot(pool, cipher);
    expect(snapshot.configVersion).toBe((await version()).toString());
    await prisma.route.create({ data: { id: 'rt_1', publicModel: 'chat' } });
    expect(await version()).toBe(BigInt(snapshot.configVersion as string) + 1n);
    expect((await loadConfigSnapshot(pool, cipher)).configVersion).toBe((await version()).toString());
  });

  it('re-reads budget spend for the same budget objects without reloading the configuration', async () => {
    const at = Date.now();
    const snapshot = await loadConfigSnapshot(pool, cipher, { now: () => at });
    expect(snapshot.budgets.map((b) => [b.definition.id, b.spentMicros])).toEqual([['bud_1', 40n]]);
    await insertUsageEvents(prisma, [
      buildUsageEvent({ requestId: 'req_2', keyId: 'key_1', costMicros: 2n, createdAt: Date.now() }),
    ]);
    const refreshed = await refreshBudgetSpend(pool, snapshot.budgets, Date.now());
    expect(refreshed.map((b) => [b.definition.id, b.spentMicros, b.spentSince])).toEqual([['bud_1', 42n, 0]]);
    expect(refreshed[0]?.definition).toBe(snapshot.budgets[0]?.definition);
    expect(refreshed[0]?.webhookUrl).toBeNull();
  });
});
