import { randomBytes } from 'node:crypto';
import { CATALOG_SOURCE_DATE, seedPriceCatalog } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPriceEntries } from './admin/price-rows';
import { digestApiKey } from './api-key';
import { createPrismaClient, type PrismaClient } from './client';
import { createCredentialCipher } from './credential-cipher';
import { verifyPassword } from './password';
import { seedIfEmpty } from './seed';
import { createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';

const cipher = createCredentialCipher(randomBytes(32));
const options = { adminEmail: 'owner@example.test', mockBaseUrl: 'http://127.0.0.1:4010/v1/' };

describe('seedIfEmpty', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it('seeds exactly once even when several starts race, returning the plaintexts to the one that seeded', async () => {
    const results = await Promise.all([
      seedIfEmpty(prisma, cipher, options),
      seedIfEmpty(prisma, cipher, options),
    ]);
    const seeded = results.filter((result) => result.seeded);
    expect(seeded).toHaveLength(1);
    expect(await seedIfEmpty(prisma, cipher, options)).toEqual({ seeded: false });

    const result = seeded[0];
    if (!result?.seeded) throw new Error('unreachable');
    expect(result.admin.email).toBe('owner@example.test');
    expect(result.admin.passwordGenerated).toBe(true);
    expect(result.admin.password).toMatch(/^[0-9A-Za-z]{20}$/);
    expect(result.demoApiKey.plaintext).toMatch(/^sk-sy-[0-9A-Za-z]{43}$/);

    expect(await prisma.user.count()).toBe(1);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: 'owner@example.test' } });
    expect(user.role).toBe('owner');
    expect(await verifyPassword(result.admin.password, user.passwordHash ?? '')).toBe(true);

    const key = await prisma.apiKey.findUniqueOrThrow({ where: { id: result.demoApiKey.id } });
    expect(key.digest).toBe(digestApiKey(result.demoApiKey.plaintext));
    expect(key.prefix).toBe(result.demoApiKey.plaintext.slice(0, 10));

    const provider = await prisma.provider.findUniqueOrThrow({
      where: { name: 'mock' },
      include: { accounts: true, prices: true },
    });
    expect(provider).toMatchObject({
      kind: 'openai_compatible',
      baseUrl: 'http://127.0.0.1:4010/v1',
      enabled: true,
    });
    expect(provider.accounts.map((account) => account.name)).toEqual(['mock-primary']);
    expect(cipher.decrypt(provider.accounts[0]?.credentialCiphertext ?? '')).toMatch(/^mock-/);
    expect(
      provider.prices.map((price) => [
        price.model,
        price.inputMicrosPerMillion,
        price.outputMicrosPerMillion,
      ]),
    ).toEqual([['mock-gpt-4o-mini', 150_000n, 600_000n]]);

    const route = await prisma.route.findUniqueOrThrow({
      where: { publicModel: 'demo-chat' },
      include: { targets: true },
    });
    expect(route.targets.map((target) => [target.accountId, target.upstreamModel])).toEqual([
      [result.account.id, 'mock-gpt-4o-mini'],
    ]);

    // The seeded catalog, as catalog rows (no provider, vendor set), each exactly once.
    const catalog = seedPriceCatalog();
    expect(result.priceCatalog).toEqual({ created: catalog.length, sourceDate: CATALOG_SOURCE_DATE });
    const rows = await prisma.price.findMany({ where: { providerId: null } });
    expect(rows).toHaveLength(catalog.length);
    expect(new Set(rows.map((row) => row.vendor))).toEqual(
      new Set(['openai', 'anthropic', 'google', 'deepseek', 'qwen']),
    );
    const gpt4o = rows.find((row) => row.vendor === 'openai' && row.model === 'gpt-4o');
    expect(gpt4o).toMatchObject({
      inputMicrosPerMillion: 2_500_000n,
      cachedInputMicrosPerMillion: 1_250_000n,
      outputMicrosPerMillion: 10_000_000n,
      maxOutputTokens: 16_384,
      effectiveFrom: new Date(`${CATALOG_SOURCE_DATE}T00:00:00Z`),
    });

    // Loading it again writes nothing: every entry is already stored identically.
    const again = await prisma.$transaction((tx) => importPriceEntries(tx, catalog));
    expect(again).toEqual({ ok: true, value: { created: 0, skippedIdentical: catalog.length } });
    expect(await prisma.price.count({ where: { providerId: null } })).toBe(catalog.length);
  });
});

describe('seedIfEmpty with a given password', () => {
  it('hashes the given password and reports it was not generated', async () => {
    const db = await createTestDatabase(await getTestPostgresServerUrl());
    const prisma = createPrismaClient(db.databaseUrl);
    try {
      const result = await seedIfEmpty(prisma, cipher, {
        ...options,
        adminPassword: 'correct horse battery',
      });
      if (!result.seeded) throw new Error('expected a seed');
      expect(result.admin).toMatchObject({ password: 'correct horse battery', passwordGenerated: false });
      const user = await prisma.user.findFirstOrThrow();
      expect(await verifyPassword('correct horse battery', user.passwordHash ?? '')).toBe(true);
    } finally {
      await prisma.$disconnect();
      await db.drop();
    }
  });
});
