import { DEFAULT_ROUTER_SETTINGS } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamAccountRepository } from './admin/upstream-account-repository';
import { createPrismaClient, type PrismaClient } from './client';
import { createHealthStore, type HealthStore } from './health-repository';
import { createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';

describe('health store', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let store: HealthStore;

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
    store = createHealthStore(db.databaseUrl);
    await prisma.provider.create({
      data: { id: 'prv_1', name: 'one', kind: 'openai', baseUrl: 'http://a.test/v1' },
    });
    await prisma.upstreamAccount.create({
      data: { id: 'acc_1', providerId: 'prv_1', name: 'a', credentialCiphertext: 'v1:x:y:z' },
    });
  });
  afterAll(async () => {
    await store.close();
    await prisma.$disconnect();
    await db.drop();
  });

  it('refuses a 401 mark taken before a reset, and takes one taken after it', async () => {
    const accounts = createUpstreamAccountRepository(prisma);
    // A router saw a 401 under epoch 0; the operator reset the credential before the mark was written.
    const reset = await accounts.resetCredentialStatus('acc_1', { type: 'admin_token', id: null });
    expect(reset?.credentialEpoch).toBe(1);
    expect(await store.markCredentialRejected('acc_1', 0, 'upstream answered 401', Date.now())).toBe(false);
    expect(
      (await prisma.upstreamAccount.findUniqueOrThrow({ where: { id: 'acc_1' } })).credentialRejectedAt,
    ).toBeNull();

    expect(await store.markCredentialRejected('acc_1', 1, 'upstream answered 401', Date.now())).toBe(true);
    const marked = await prisma.upstreamAccount.findUniqueOrThrow({ where: { id: 'acc_1' } });
    expect(marked.credentialError).toBe('upstream answered 401');
  });

  it('publishes the settings a router applies with its report, even with no health rows yet', async () => {
    await store.report('router-a', [], 1_000, DEFAULT_ROUTER_SETTINGS);
    await store.report('router-a', [], 2_000, { ...DEFAULT_ROUTER_SETTINGS, maxAttempts: 4 });
    const rows = await prisma.routerInstance.findMany();
    expect(rows.map((row) => [row.instanceId, row.reportedAt.getTime()])).toEqual([['router-a', 2_000]]);
    expect(rows[0]?.settings).toEqual({ ...DEFAULT_ROUTER_SETTINGS, maxAttempts: 4 });
  });
});
