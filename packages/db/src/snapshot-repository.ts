import {
  type BudgetRecord,
  type ConfigSnapshot,
  firstWholeHourFrom,
  periodWindow,
  type UpstreamAccountRecord,
} from '@switchyard/core';
import { budgetDefinitionFromRow } from './admin/budget-rows';
import { priceSheetFromRow } from './admin/price-rows';
import { routePoliciesFromRow } from './admin/route-policy-rows';
import type { Prisma, PrismaClient } from './client';
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
  const [keys, providers, accounts, routes, prices, budgets] = await prisma.$transaction(
    [
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
    budgets: await budgetRecords(prisma, budgets, loadedAt),
    loadedAt,
  };
}

/**
 * Sums each budget's spend in its current period (one statement for all budgets): whole UTC hours from the
 * hourly rollups, and, when the period starts off the hour (a time zone with a :30 or :45 offset), the raw
 * events from its start to the next full hour — the rollup bucket holding the start also holds the end of the
 * previous period.
 */
async function budgetRecords(
  prisma: PrismaClient,
  rows: Prisma.BudgetModel[],
  at: number,
): Promise<BudgetRecord[]> {
  if (rows.length === 0) return [];
  const budgets = rows.map((row) => {
    const definition = budgetDefinitionFromRow(row);
    let since: number;
    try {
      since = periodWindow(row.period, at, row.timeZone).start;
    } catch {
      since = periodWindow(row.period, at).start; // an unknown zone (validated on save) falls back to UTC
      definition.timeZone = 'UTC';
    }
    return { definition, webhookUrl: row.webhookUrl, since };
  });
  const spent = await prisma.$queryRawUnsafe<{ id: string; spent: string }[]>(
    `SELECT b.id,
       (COALESCE((SELECT SUM(r.cost_micros) FROM usage_rollups_hourly r
          WHERE r.bucket_start >= to_timestamp(b.whole_hours_from / 1000.0)
            AND (b.scope = 'global' OR (b.scope = 'key' AND r.key_id = b.scope_id)
              OR (b.scope = 'team' AND r.team_id = b.scope_id))), 0)
        + COALESCE((SELECT SUM(e.cost_micros) FROM usage_events e
          WHERE b.since < b.whole_hours_from
            AND e.created_at >= to_timestamp(b.since / 1000.0)
            AND e.created_at < to_timestamp(b.whole_hours_from / 1000.0)
            AND (b.scope = 'global' OR (b.scope = 'key' AND e.key_id = b.scope_id)
              OR (b.scope = 'team' AND e.team_id = b.scope_id))), 0))::text AS spent
     FROM jsonb_to_recordset($1::jsonb) AS b(id text, scope text, scope_id text, since int8, whole_hours_from int8)`,
    JSON.stringify(
      budgets.map((b) => ({
        id: b.definition.id,
        scope: b.definition.scope,
        scope_id: b.definition.scopeId ?? '',
        since: b.since,
        whole_hours_from: firstWholeHourFrom(b.since),
      })),
    ),
  );
  const byId = new Map(spent.map((row) => [row.id, BigInt(row.spent)]));
  return budgets.map((b) => ({
    definition: b.definition,
    webhookUrl: b.webhookUrl,
    spentMicros: byId.get(b.definition.id) ?? 0n,
    spentSince: b.since,
  }));
}
