import {
  type BudgetRecord,
  type ConfigSnapshot,
  type PeriodWindow,
  periodWindow,
  type UpstreamAccountRecord,
} from '@switchyard/core';
import type pg from 'pg';
import { type BudgetDefinitionRow, budgetDefinitionFromRow } from './admin/budget-rows';
import { type PriceSheetRow, priceSheetFromRow } from './admin/price-rows';
import { type RouteBreakerColumns, routeBreakerFromRow } from './admin/route-breaker-columns';
import { routePoliciesFromRow } from './admin/route-policy-rows';
import { sumBudgetSpend } from './budget-spend';
import type { Prisma } from './client';
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
 *
 * Plain SQL over `pg`, not Prisma: the router's only other use of Prisma was these reads, and instantiating its
 * query compiler (WebAssembly, tiered up by V8 on background threads) cost the router ~100 MiB of RSS for good
 * (issue 15, docs/benchmarks.md). Columns are aliased to the Prisma field names so the row mappers are shared with
 * the console; int8 columns travel as text (pg's default) and enum arrays are cast to text[].
 */
export async function loadConfigSnapshot(
  db: pg.Pool,
  cipher: CredentialCipher,
  options: LoadConfigSnapshotOptions = {},
): Promise<ConfigSnapshot> {
  const now = options.now ?? Date.now;
  const loadedAt = now();
  const { version, keys, providers, accounts, routes, targets, prices, budgets } = await readConfigRows(db);
  const targetsByRoute = new Map<string, TargetRow[]>();
  for (const target of targets) {
    const list = targetsByRoute.get(target.routeId);
    if (list) list.push(target);
    else targetsByRoute.set(target.routeId, [target]);
  }

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
      teamRateLimit: key.hasTeam
        ? { requestsPerMinute: key.teamRpmLimit, tokensPerMinute: key.teamTpmLimit }
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
      targets: (targetsByRoute.get(route.id) ?? []).map((target) => ({
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
      sheet: priceSheetFromRow({
        ...price,
        inputMicrosPerMillion: int8(price.inputMicrosPerMillion),
        outputMicrosPerMillion: int8(price.outputMicrosPerMillion),
        cachedInputMicrosPerMillion: int8(price.cachedInputMicrosPerMillion),
        cacheWriteMicrosPerMillion: int8(price.cacheWriteMicrosPerMillion),
        reasoningMicrosPerMillion: int8(price.reasoningMicrosPerMillion),
        imageMicros: int8(price.imageMicros),
        videoMicrosPerSecond: int8(price.videoMicrosPerSecond),
        requestMicros: int8(price.requestMicros),
      }),
      maxOutputTokens: price.maxOutputTokens,
    })),
    budgets: await budgetRecords(
      db,
      budgets.map((row) => ({
        definition: budgetDefinitionFromRow({ ...row, limitMicros: BigInt(row.limitMicros) }),
        webhookUrl: row.webhookUrl,
      })),
      loadedAt,
    ),
    loadedAt,
    ...(version !== null ? { configVersion: version } : {}),
  };
}

/** The single row of `config_version` (see the config_version migration). */
const CONFIG_VERSION_ROW = 1;

/**
 * The configuration version now (decimal), or null when the table has no row. One tiny read: a router compares it
 * with its snapshot's `configVersion` to decide whether a periodic refresh must reload everything.
 */
export async function loadConfigVersion(db: pg.Pool | pg.PoolClient): Promise<string | null> {
  const { rows } = await db.query<{ version: string }>(VERSION_SQL, [CONFIG_VERSION_ROW]);
  return rows[0]?.version ?? null;
}

/**
 * The same budgets with their spend read again for the period in force at `at`: what a periodic refresh needs
 * when the configuration itself has not changed. The definitions are the very objects passed in.
 */
export function refreshBudgetSpend(
  db: pg.Pool,
  budgets: readonly BudgetRecord[],
  at: number,
): Promise<BudgetRecord[]> {
  return budgetRecords(db, budgets, at);
}

/** Each budget with its spend in the period in force at `at` (see sumBudgetSpend). */
async function budgetRecords(
  db: pg.Pool,
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
    async <Row>(sql: string, values: unknown[]) => (await db.query(sql, values)).rows as Row[],
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

const VERSION_SQL = 'SELECT version::text AS version FROM config_version WHERE id = $1';

// Aliased to Prisma's field names (the console's row mappers read them); int8 as text, enum arrays as text[].
const KEYS_SQL = `
  SELECT k.id, k.name, k.digest, k.prefix, k.team_id AS "teamId", k.environment, k.tags,
    k.allowed_models AS "allowedModels", k.default_traffic_class AS "defaultTrafficClass",
    k.allowed_traffic_classes::text[] AS "allowedTrafficClasses", k.expires_at AS "expiresAt",
    k.revoked_at AS "revokedAt", k.owner_id AS "ownerId", k.rpm_limit AS "rpmLimit", k.tpm_limit AS "tpmLimit",
    k.capture_payloads AS "capturePayloads", t.id IS NOT NULL AS "hasTeam", t.rpm_limit AS "teamRpmLimit",
    t.tpm_limit AS "teamTpmLimit"
  FROM api_keys k LEFT JOIN teams t ON t.id = k.team_id
  ORDER BY k.id`;
const PROVIDERS_SQL = 'SELECT id, name, kind, base_url AS "baseUrl", enabled FROM providers ORDER BY id';
const ACCOUNTS_SQL = `
  SELECT id, provider_id AS "providerId", name, credential_ciphertext AS "credentialCiphertext", weight, priority,
    enabled, credential_rejected_at AS "credentialRejectedAt", credential_epoch AS "credentialEpoch",
    health_check_enabled AS "healthCheckEnabled", health_check_interval_ms AS "healthCheckIntervalMs"
  FROM upstream_accounts ORDER BY id`;
const ROUTES_SQL = `
  SELECT id, public_model AS "publicModel", aliases, enabled, backup_models AS "backupModels",
    context_fallback_model AS "contextFallbackModel", policies, missing_price_policy AS "missingPricePolicy",
    allow_costlier_fallback AS "allowCostlierFallback", capture_payloads AS "capturePayloads",
    breaker_consecutive_failures AS "breakerConsecutiveFailures", breaker_failure_rate AS "breakerFailureRate",
    breaker_window_ms AS "breakerWindowMs", breaker_min_requests AS "breakerMinRequests",
    breaker_cooldown_ms AS "breakerCooldownMs"
  FROM routes ORDER BY id`;
const TARGETS_SQL = `
  SELECT id, route_id AS "routeId", account_id AS "accountId", upstream_model AS "upstreamModel", tier, weight,
    enabled
  FROM route_targets ORDER BY route_id, tier, id`;
const PRICES_SQL = `
  SELECT provider_id AS "providerId", vendor, model, effective_from AS "effectiveFrom",
    input_micros_per_million::text AS "inputMicrosPerMillion",
    output_micros_per_million::text AS "outputMicrosPerMillion",
    cached_input_micros_per_million::text AS "cachedInputMicrosPerMillion",
    cache_write_micros_per_million::text AS "cacheWriteMicrosPerMillion",
    reasoning_micros_per_million::text AS "reasoningMicrosPerMillion", long_context AS "longContext", images,
    image_micros::text AS "imageMicros", video_micros_per_second::text AS "videoMicrosPerSecond",
    request_micros::text AS "requestMicros", max_output_tokens AS "maxOutputTokens"
  FROM prices ORDER BY provider_id, model, effective_from`;
const BUDGETS_SQL = `
  SELECT id, name, scope, scope_id AS "scopeId", period, mode, limit_micros::text AS "limitMicros",
    alert_thresholds AS "alertThresholds", time_zone AS "timeZone", webhook_url AS "webhookUrl"
  FROM budgets WHERE enabled ORDER BY id`;

type KeyRow = Omit<
  ConfigSnapshot['keys'][number],
  'expiresAt' | 'revokedAt' | 'rateLimit' | 'teamRateLimit'
> & {
  expiresAt: Date | null;
  revokedAt: Date | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  hasTeam: boolean;
  teamRpmLimit: number | null;
  teamTpmLimit: number | null;
};
type ProviderRow = ConfigSnapshot['providers'][number];
type AccountRow = Pick<
  Prisma.UpstreamAccountModel,
  | 'id'
  | 'providerId'
  | 'name'
  | 'credentialCiphertext'
  | 'weight'
  | 'priority'
  | 'enabled'
  | 'credentialRejectedAt'
  | 'credentialEpoch'
  | 'healthCheckEnabled'
  | 'healthCheckIntervalMs'
>;
type RouteRow = Omit<ConfigSnapshot['routes'][number], 'policies' | 'breaker' | 'targets'> &
  RouteBreakerColumns & { policies: Prisma.JsonValue };
type TargetRow = ConfigSnapshot['routes'][number]['targets'][number] & { routeId: string };
type Int8Text<T> = {
  [K in keyof T]: T[K] extends bigint ? string : T[K] extends bigint | null ? string | null : T[K];
};
type PriceRow = Int8Text<PriceSheetRow> & {
  providerId: string | null;
  vendor: string | null;
  model: string;
  effectiveFrom: Date;
  maxOutputTokens: number | null;
};
type BudgetRow = Int8Text<BudgetDefinitionRow> & { webhookUrl: string | null };

interface ConfigRows {
  version: string | null;
  keys: KeyRow[];
  providers: ProviderRow[];
  accounts: AccountRow[];
  routes: RouteRow[];
  targets: TargetRow[];
  prices: PriceRow[];
  budgets: BudgetRow[];
}

/** Every configuration table, read in one read-only repeatable-read transaction on one connection. */
async function readConfigRows(db: pg.Pool): Promise<ConfigRows> {
  const client = await db.connect();
  let failed: Error | undefined;
  // A checked-out client has no error listener of the pool's: without this one, a connection dropped mid-read
  // (PostgreSQL restarted, a network cut) would be an unhandled 'error' event and end the router.
  const onError = (error: Error) => {
    failed ??= error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const rows = <Row extends pg.QueryResultRow>(sql: string) => client.query<Row>(sql).then((r) => r.rows);
    const result: ConfigRows = {
      version: await loadConfigVersion(client),
      keys: await rows<KeyRow>(KEYS_SQL),
      providers: await rows<ProviderRow>(PROVIDERS_SQL),
      accounts: await rows<AccountRow>(ACCOUNTS_SQL),
      routes: await rows<RouteRow>(ROUTES_SQL),
      targets: await rows<TargetRow>(TARGETS_SQL),
      prices: await rows<PriceRow>(PRICES_SQL),
      budgets: await rows<BudgetRow>(BUDGETS_SQL),
    };
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failed = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A connection that failed mid-transaction is closed rather than handed back in an unknown state.
    client.removeListener('error', onError);
    client.release(failed);
  }
}

const int8 = (text: string | null): bigint | null => (text === null ? null : BigInt(text));
