import {
  type BudgetRecord,
  type ConfigSnapshot,
  type PeriodWindow,
  periodWindow,
  type UpstreamAccountRecord,
} from '@switchyard/core';
import { budgetDefinitionFromRow } from './admin/budget-rows';
import { priceSheetFromRow } from './admin/price-rows';
import { routeBreakerFromRow } from './admin/route-breaker-columns';
import { routePoliciesFromRow } from './admin/route-policy-rows';
import { sumBudgetSpend } from './budget-spend';
import type { PrismaClient } from './client';
import type { CredentialCipher } from './credential-cipher';

export interface LoadConfigSnapshotOptions {
  /** Defaults to Date.now(); stamped as `loadedAt`. */
  now?: () => number;
  /**
   * Called for an account whose credential cannot be decrypted (wrong master key, corrupted row). That account is
   * returned disabled with an empty credential, so one bad row cannot stop the rest of the configuration loading.
   */
  onCredentialError?: (accountId: string, error: Error) => void;
  /**
   * Called for a stored route policy that does not validate (written around the admin API). The class falls back
   * to its default policy rather than failing the whole snapshot.
   */
  onInvalidPolicy?: (routeId: string, trafficClass: string, message: string) => void;
}

/**
 * Reads everything the router keeps in memory, in one repeatable-read transaction so the parts agree with each
 * other. Keys include revoked and expired ones (the router answers why a key is refused); credentials are
 * decrypted; times are epoch ms; money stays bigint.
 */
export async function loadConfigSnapshot(
  prisma: PrismaClient,
  cipher: CredentialCipher,
  options: LoadConfigSnapshotOptions = {},
): Promise<ConfigSnapshot> {
  const now = options.now ?? Date.now;
  const loadedAt = now();
  const [version, keys, providers, accounts, routes, prices, budgets] = await prisma.$transaction(
    [
      prisma.configVersion.findUnique({ where: { id: CONFIG_VERSION_ROW } }),
      prisma.apiKey.findMany({
        select: {
          id: true,
          name: true,
          digest: true,
          prefix: true,
          teamId: true,
          environment: true,
          tags: true,
          allowedModels: true,
          defaultTrafficClass: true,
          allowedTrafficClasses: true,
          expiresAt: true,
          revokedAt: true,
          ownerId: true,
          rpmLimit: true,
          tpmLimit: true,
          capturePayloads: true,
          team: { select: { rpmLimit: true, tpmLimit: true } },
        },
        orderBy: { id: 'asc' },
      }),
      prisma.provider.findMany({ orderBy: { id: 'asc' } }),
      prisma.upstreamAccount.findMany({ orderBy: { id: 'asc' } }),
      prisma.route.findMany({
        include: { targets: { orderBy: [{ tier: 'asc' }, { id: 'asc' }] } },
        orderBy: { id: 'asc' },
      }),
      prisma.price.findMany({ orderBy: [{ providerId: 'asc' }, { model: 'asc' }, { effectiveFrom: 'asc' }] }),
      prisma.budget.findMany({ where: { enabled: true }, orderBy: { id: 'asc' } }),
    ],
    { isolationLevel: 'RepeatableRead' },
  );

  return {
    keys: keys.map((key) => ({
      id: key.id,
      name: key.name,
      digest: key.digest,
      prefix: key.prefix,
      teamId: key.teamId,
      environment: key.environment,
      tags: key.tags,
      allowedModels: key.allowedModels,
      defaultTrafficClass: key.defaultTrafficClass,
      allowedTrafficClasses: key.allowedTrafficClasses,
      expiresAt: key.expiresAt?.getTime() ?? null,
      revokedAt: key.revokedAt?.getTime() ?? null,
      ownerId: key.ownerId,
      rateLimit: { requestsPerMinute: key.rpmLimit, tokensPerMinute: key.tpmLimit },
      teamRateLimit: key.team
        ? { requestsPerMinute: key.team.rpmLimit, tokensPerMinute: key.team.tpmLimit }
        : null,
      capturePayloads: key.capturePayloads,
    })),
    providers: providers.map((provider) => ({
      id: provider.id,
      name: provider.name,
      kind: provider.kind,
      baseUrl: provider.baseUrl.replace(/\/+$/, ''),
      enabled: provider.enabled,
    })),
    accounts: accounts.map((account): UpstreamAccountRecord => {
      const record = {
        id: account.id,
        providerId: account.providerId,
        name: account.name,
        weight: account.weight,
        priority: account.priority,
        credentialRejectedAt: account.credentialRejectedAt?.getTime() ?? null,
        credentialEpoch: account.credentialEpoch,
        healthCheck: { enabled: account.healthCheckEnabled, intervalMs: account.healthCheckIntervalMs },
      };
      try {
        return {
          ...record,
          credential: cipher.decrypt(account.credentialCiphertext),
          enabled: account.enabled,
        };
      } catch (error) {
        options.onCredentialError?.(account.id, error instanceof Error ? error : new Error(String(error)));
        return { ...record, credential: '', enabled: false };
      }
    }),
    routes: routes.map((route) => ({
      id: route.id,
      publicModel: route.publicModel,
      aliases: route.aliases,
      enabled: route.enabled,
      backupModels: route.backupModels,
      contextFallbackModel: route.contextFallbackModel,
      policies: routePoliciesFromRow(route.policies, (trafficClass, message) =>
        options.onInvalidPolicy?.(route.id, trafficClass, message),
      ),
      missingPricePolicy: route.missingPricePolicy,
      allowCostlierFallback: route.allowCostlierFallback,
      breaker: routeBreakerFromRow(route),
      capturePayloads: route.capturePayloads,
      targets: route.targets.map((target) => ({
        id: target.id,
        accountId: target.accountId,
        upstreamModel: target.upstreamModel,
        tier: target.tier,
        weight: target.weight,
        enabled: target.enabled,
      })),
    })),
    // Every sheet with its history, provider rows and catalog rows alike: core's PriceBook resolves them.
    prices: prices.map((price) => ({
      providerId: price.providerId,
      vendor: price.vendor,
      model: price.model,
      effectiveFrom: price.effectiveFrom.getTime(),
      sheet: priceSheetFromRow(price),
      maxOutputTokens: price.maxOutputTokens,
    })),
    budgets: await budgetRecords(
      prisma,
      budgets.map((row) => ({ definition: budgetDefinitionFromRow(row), webhookUrl: row.webhookUrl })),
      loadedAt,
    ),
    loadedAt,
    ...(version ? { configVersion: version.version.toString() } : {}),
  };
}

/** The single row of `config_version` (see the config_version migration). */
const CONFIG_VERSION_ROW = 1;

/**
 * The configuration version now (decimal), or null when the table has no row. One tiny read: a router compares it
 * with its snapshot's `configVersion` to decide whether a periodic refresh must reload everything.
 */
export async function loadConfigVersion(prisma: PrismaClient): Promise<string | null> {
  const row = await prisma.configVersion.findUnique({ where: { id: CONFIG_VERSION_ROW } });
  return row ? row.version.toString() : null;
}

/**
 * The same budgets with their spend read again for the period in force at `at`: what a periodic refresh needs
 * when the configuration itself has not changed. The definitions are the very objects passed in.
 */
export function refreshBudgetSpend(
  prisma: PrismaClient,
  budgets: readonly BudgetRecord[],
  at: number,
): Promise<BudgetRecord[]> {
  return budgetRecords(prisma, budgets, at);
}

/** Each budget with its spend in the period in force at `at` (see sumBudgetSpend). */
async function budgetRecords(
  prisma: PrismaClient,
  budgets: readonly Pick<BudgetRecord, 'definition' | 'webhookUrl'>[],
  at: number,
): Promise<BudgetRecord[]> {
  if (budgets.length === 0) return [];
  const windows = budgets.map(({ definition }): PeriodWindow => {
    try {
      return periodWindow(definition.period, at, definition.timeZone);
    } catch {
      definition.timeZone = 'UTC'; // an unknown zone (validated on save) falls back to UTC
      return periodWindow(definition.period, at);
    }
  });
  const byId = await sumBudgetSpend(
    prisma,
    budgets.map(({ definition }, i) => ({
      id: definition.id,
      scope: definition.scope,
      scopeId: definition.scopeId,
      ...(windows[i] as PeriodWindow),
    })),
  );
  return budgets.map(({ definition, webhookUrl }, i) => ({
    definition,
    webhookUrl,
    spentMicros: byId.get(definition.id) ?? 0n,
    spentSince: (windows[i] as PeriodWindow).start,
  }));
}
