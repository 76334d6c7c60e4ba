import { randomBytes } from 'node:crypto';
import { EMPTY_PRICE_SHEET } from '@switchyard/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from './client';
import { createCredentialCipher } from './credential-cipher';
import { seedIfEmpty } from './seed';
import { loadConfigSnapshot } from './snapshot-repository';
import { createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';

/** A route that sets no breaker threshold of its own: every field follows the router's BREAKER_* settings. */
const NO_BREAKER_OVERRIDES = {
  consecutiveFailures: null,
  failureRateThreshold: null,
  windowMs: null,
  minimumRequests: null,
  coolDownMs: null,
};

const cipher = createCredentialCipher(randomBytes(32));

describe('loadConfigSnapshot', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  /** What the router reads with: plain pg (the rows are written through Prisma, as the console writes them). */
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
    pool = new pg.Pool({ connectionString: db.databaseUrl });
    await prisma.team.create({ data: { id: 'team_1', name: 'Platform', rpmLimit: 600 } });
    await prisma.provider.create({
      data: { id: 'prv_a', name: 'openai', kind: 'openai', baseUrl: 'https://api.example.test/v1/' },
    });
    await prisma.provider.create({
      data: {
        id: 'prv_b',
        name: 'claude',
        kind: 'anthropic',
        baseUrl: 'https://anthropic.example.test',
        enabled: false,
      },
    });
    await prisma.upstreamAccount.create({
      data: {
        id: 'acc_a1',
        providerId: 'prv_a',
        name: 'primary',
        credentialCiphertext: cipher.encrypt('sk-upstream-a1'),
        weight: 3,
        priority: 1,
      },
    });
    await prisma.upstreamAccount.create({
      data: {
        id: 'acc_b1',
        providerId: 'prv_b',
        name: 'backup',
        credentialCiphertext: cipher.encrypt('sk-ant-b1'),
        enabled: false,
      },
    });
    await prisma.route.create({
      data: {
        id: 'rt_chat',
        publicModel: 'chat',
        aliases: ['gpt-4o', 'default'],
        capturePayloads: true,
        targets: {
          create: [
            { id: 'tgt_2', accountId: 'acc_b1', upstreamModel: 'claude-sonnet', tier: 1, weight: 1 },
            { id: 'tgt_1', accountId: 'acc_a1', upstreamModel: 'gpt-4o', tier: 0, weight: 5, enabled: false },
          ],
        },
      },
    });
    await prisma.price.create({
      data: {
        id: 'price_1',
        providerId: 'prv_a',
        model: 'gpt-4o',
        inputMicrosPerMillion: 2_500_000n,
        outputMicrosPerMillion: 10_000_000n,
        cachedInputMicrosPerMillion: 1_250_000n,
        effectiveFrom: new Date('2025-01-01T00:00:00.000Z'),
      },
    });
    await prisma.price.create({
      data: {
        id: 'price_2',
        providerId: 'prv_a',
        model: 'gpt-4o',
        inputMicrosPerMillion: 9_007_199_254_740_993n,
        outputMicrosPerMillion: 1n,
        effectiveFrom: new Date('2025-06-01T12:30:00.123Z'),
      },
    });
    await prisma.price.create({
      data: {
        id: 'price_cat',
        providerId: null,
        vendor: 'anthropic',
        model: 'claude-sonnet',
        inputMicrosPerMillion: 3_000_000n,
        outputMicrosPerMillion: 15_000_000n,
        cacheWriteMicrosPerMillion: 3_750_000n,
        longContext: { aboveInputTokens: 200_000, input: '6000000', output: '22500000' },
        images: [{ size: '1024x1024', quality: 'hd', micros: '80000' }],
        maxOutputTokens: 64_000,
        effectiveFrom: new Date('2025-01-01T00:00:00.000Z'),
      },
    });
    await prisma.budget.createMany({
      data: [
        {
          id: 'bud_key',
          name: 'live key daily',
          scope: 'key',
          scopeId: 'key_live',
          period: 'daily',
          mode: 'hard',
          limitMicros: 5_000_000n,
          webhookUrl: 'https://hooks.example.test/b',
        },
        {
          id: 'bud_all',
          name: 'everything',
          scope: 'global',
          period: 'total',
          mode: 'soft',
          limitMicros: 9n,
        },
        {
          id: 'bud_off',
          name: 'disabled',
          scope: 'global',
          period: 'total',
          limitMicros: 1n,
          enabled: false,
        },
      ],
    });
    // now = 2023-11-14T22:13:20Z: today (UTC) started at 2023-11-14T00:00Z.
    await prisma.usageRollupHourly.createMany({
      data: [
        {
          bucketStart: new Date('2023-11-14T05:00:00Z'),
          keyId: 'key_live',
          model: 'm',
          status: 'success',
          costMicros: 1234n,
        },
        {
          bucketStart: new Date('2023-11-13T23:00:00Z'),
          keyId: 'key_live',
          model: 'm',
          status: 'success',
          costMicros: 999n,
        },
        {
          bucketStart: new Date('2023-11-14T06:00:00Z'),
          keyId: 'key_expired',
          model: 'm',
          status: 'success',
          costMicros: 5n,
        },
      ],
    });
    await prisma.apiKey.createMany({
      data: [
        {
          id: 'key_live',
          name: 'live',
          digest: 'd1',
          prefix: 'sk-sy-live',
          teamId: 'team_1',
          tags: ['a', 'b'],
          allowedModels: ['chat'],
          rpmLimit: 60,
          tpmLimit: 10_000,
          capturePayloads: true,
        },
        {
          id: 'key_revoked',
          name: 'revoked',
          digest: 'd2',
          prefix: 'sk-sy-revo',
          revokedAt: new Date('2025-02-03T04:05:06.789Z'),
        },
        {
          id: 'key_expired',
          name: 'expired',
          digest: 'd3',
          prefix: 'sk-sy-expi',
          environment: 'staging',
          expiresAt: new Date('2024-12-31T23:59:59.999Z'),
        },
      ],
    });
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await db.drop();
  });

  it('maps every configuration row to core records, keeping revoked and expired keys', async () => {
    const snapshot = await loadConfigSnapshot(pool, cipher, { now: () => 1_700_000_000_000 });
    expect(snapshot).toEqual({
      keys: [
        {
          id: 'key_expired',
          name: 'expired',
          digest: 'd3',
          prefix: 'sk-sy-expi',
          teamId: null,
          environment: 'staging',
          tags: [],
          allowedModels: [],
          defaultTrafficClass: 'interactive',
          allowedTrafficClasses: [],
          expiresAt: Date.parse('2024-12-31T23:59:59.999Z'),
          revokedAt: null,
          ownerId: null,
          rateLimit: { requestsPerMinute: null, tokensPerMinute: null },
          teamRateLimit: null,
          capturePayloads: false,
        },
        {
          id: 'key_live',
          name: 'live',
          digest: 'd1',
          prefix: 'sk-sy-live',
          teamId: 'team_1',
          environment: 'production',
          tags: ['a', 'b'],
          allowedModels: ['chat'],
          defaultTrafficClass: 'interactive',
          allowedTrafficClasses: [],
          expiresAt: null,
          revokedAt: null,
          ownerId: null,
          rateLimit: { requestsPerMinute: 60, tokensPerMinute: 10_000 },
          teamRateLimit: { requestsPerMinute: 600, tokensPerMinute: null },
          capturePayloads: true,
        },
        {
          id: 'key_revoked',
          name: 'revoked',
          digest: 'd2',
          prefix: 'sk-sy-revo',
          teamId: null,
          environment: 'production',
          tags: [],
          allowedModels: [],
          defaultTrafficClass: 'interactive',
          allowedTrafficClasses: [],
          expiresAt: null,
          revokedAt: Date.parse('2025-02-03T04:05:06.789Z'),
          ownerId: null,
          rateLimit: { requestsPerMinute: null, tokensPerMinute: null },
          teamRateLimit: null,
          capturePayloads: false,
        },
      ],
      providers: [
        {
          id: 'prv_a',
          name: 'openai',
          kind: 'openai',
          baseUrl: 'https://api.example.test/v1',
          enabled: true,
        },
        {
          id: 'prv_b',
          name: 'claude',
          kind: 'anthropic',
          baseUrl: 'https://anthropic.example.test',
          enabled: false,
        },
      ],
      accounts: [
        {
          id: 'acc_a1',
          providerId: 'prv_a',
          name: 'primary',
          credential: 'sk-upstream-a1',
          weight: 3,
          priority: 1,
          enabled: true,
          credentialRejectedAt: null,
          credentialEpoch: 0,
          healthCheck: { enabled: null, intervalMs: null },
        },
        {
          id: 'acc_b1',
          providerId: 'prv_b',
          name: 'backup',
          credential: 'sk-ant-b1',
          weight: 1,
          priority: 0,
          enabled: false,
          credentialRejectedAt: null,
          credentialEpoch: 0,
          healthCheck: { enabled: null, intervalMs: null },
        },
      ],
      routes: [
        {
          id: 'rt_chat',
          publicModel: 'chat',
          aliases: ['gpt-4o', 'default'],
          enabled: true,
          backupModels: [],
          contextFallbackModel: null,
          policies: {},
          missingPricePolicy: 'allow',
          allowCostlierFallback: true,
          breaker: NO_BREAKER_OVERRIDES,
          capturePayloads: true,
          targets: [
            { id: 'tgt_1', accountId: 'acc_a1', upstreamModel: 'gpt-4o', tier: 0, weight: 5, enabled: false },
            {
              id: 'tgt_2',
              accountId: 'acc_b1',
              upstreamModel: 'claude-sonnet',
              tier: 1,
              weight: 1,
              enabled: true,
            },
          ],
        },
      ],
      prices: [
        {
          providerId: 'prv_a',
          vendor: null,
          model: 'gpt-4o',
          effectiveFrom: Date.parse('2025-01-01T00:00:00.000Z'),
          sheet: {
            ...EMPTY_PRICE_SHEET,
            inputMicrosPerMillion: 2_500_000n,
            outputMicrosPerMillion: 10_000_000n,
            cachedInputMicrosPerMillion: 1_250_000n,
          },
          maxOutputTokens: null,
        },
        {
          providerId: 'prv_a',
          vendor: null,
          model: 'gpt-4o',
          effectiveFrom: Date.parse('2025-06-01T12:30:00.123Z'),
          sheet: {
            ...EMPTY_PRICE_SHEET,
            inputMicrosPerMillion: 9_007_199_254_740_993n,
            outputMicrosPerMillion: 1n,
          },
          maxOutputTokens: null,
        },
        {
          providerId: null,
          vendor: 'anthropic',
          model: 'claude-sonnet',
          effectiveFrom: Date.parse('2025-01-01T00:00:00.000Z'),
          sheet: {
            ...EMPTY_PRICE_SHEET,
            inputMicrosPerMillion: 3_000_000n,
            outputMicrosPerMillion: 15_000_000n,
            cacheWriteMicrosPerMillion: 3_750_000n,
            longContext: {
              aboveInputTokens: 200_000,
              inputMicrosPerMillion: 6_000_000n,
              outputMicrosPerMillion: 22_500_000n,
              cachedInputMicrosPerMillion: null,
              cacheWriteMicrosPerMillion: null,
              reasoningMicrosPerMillion: null,
            },
            images: [{ size: '1024x1024', quality: 'hd', microsPerImage: 80_000n }],
          },
          maxOutputTokens: 64_000,
        },
      ],
      budgets: [
        {
          definition: {
            id: 'bud_all',
            name: 'everything',
            scope: 'global',
            scopeId: null,
            period: 'total',
            mode: 'soft',
            limitMicros: 9n,
            alertThresholds: [50, 80, 100],
            timeZone: 'UTC',
          },
          webhookUrl: null,
          spentMicros: 1234n + 999n + 5n,
          spentSince: 0,
        },
        {
          definition: {
            id: 'bud_key',
            name: 'live key daily',
            scope: 'key',
            scopeId: 'key_live',
            period: 'daily',
            mode: 'hard',
            limitMicros: 5_000_000n,
            alertThresholds: [50, 80, 100],
            timeZone: 'UTC',
          },
          webhookUrl: 'https://hooks.example.test/b',
          spentMicros: 1234n,
          spentSince: Date.parse('2023-11-14T00:00:00Z'),
        },
      ],
      loadedAt: 1_700_000_000_000,
      configVersion: expect.stringMatching(/^\d+$/),
    });
  });

  it('disables an account whose credential cannot be decrypted and reports it, loading the rest', async () => {
    const otherCipher = createCredentialCipher(randomBytes(32));
    await prisma.upstreamAccount.create({
      data: {
        id: 'acc_bad',
        providerId: 'prv_a',
        name: 'foreign-key',
        credentialCiphertext: otherCipher.encrypt('nope'),
      },
    });
    const failures: string[] = [];
    const snapshot = await loadConfigSnapshot(pool, cipher, {
      onCredentialError: (accountId) => failures.push(accountId),
    });
    expect(failures).toEqual(['acc_bad']);
    expect(snapshot.accounts.find((account) => account.id === 'acc_bad')).toMatchObject({
      enabled: false,
      credential: '',
    });
    expect(snapshot.accounts.find((account) => account.id === 'acc_a1')).toMatchObject({
      enabled: true,
      credential: 'sk-upstream-a1',
    });
    await prisma.upstreamAccount.delete({ where: { id: 'acc_bad' } });
  });

  it('loads what the seed writes, with the demo route pointing at the decrypted mock account', async () => {
    const seedDb = await createTestDatabase(await getTestPostgresServerUrl());
    const seedPrisma = createPrismaClient(seedDb.databaseUrl);
    const seedPool = new pg.Pool({ connectionString: seedDb.databaseUrl });
    try {
      const seeded = await seedIfEmpty(seedPrisma, cipher, {
        adminEmail: 'a@b.test',
        mockBaseUrl: 'http://127.0.0.1:4010/v1',
      });
      if (!seeded.seeded) throw new Error('expected a seed');
      const snapshot = await loadConfigSnapshot(seedPool, cipher);
      expect(snapshot.routes).toEqual([
        {
          id: seeded.route.id,
          publicModel: 'demo-chat',
          aliases: [],
          enabled: true,
          backupModels: [],
          contextFallbackModel: null,
          policies: {},
          missingPricePolicy: 'allow',
          allowCostlierFallback: true,
          breaker: NO_BREAKER_OVERRIDES,
          capturePayloads: false,
          targets: [
            expect.objectContaining({
              accountId: seeded.account.id,
              upstreamModel: 'mock-gpt-4o-mini',
              tier: 0,
              enabled: true,
            }),
          ],
        },
      ]);
      expect(snapshot.accounts).toEqual([
        expect.objectContaining({ id: seeded.account.id, credential: expect.stringMatching(/^mock-/) }),
      ]);
      expect(snapshot.keys.map((key) => key.prefix)).toEqual([seeded.demoApiKey.prefix]);
    } finally {
      await seedPrisma.$disconnect();
      await seedPool.end();
      await seedDb.drop();
    }
  });
});
