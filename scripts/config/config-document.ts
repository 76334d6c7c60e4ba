import { DEFAULT_ALERT_THRESHOLDS, exportPriceCatalog, parsePriceCatalog } from '@switchyard/core';
import { z } from 'zod';

/**
 * The config-as-code file (`switchyard.yaml`). Objects are identified by name, never by id, so one file applies to
 * any installation. Fields left out take the admin API's defaults, so a short file and an exported one agree.
 * Credentials appear only as `${ENV_NAME}` references, resolved when an account is created.
 */

const nullableInt = z.number().int().nullable();

/** `${NAME}`: the environment variable the CLI reads the secret from; a literal secret is refused. */
export const envReference = z
  .string()
  // biome-ignore lint/suspicious/noTemplateCurlyInString: `${NAME}` is the reference syntax itself.
  .regex(/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/, 'must be an environment reference such as ${OPENAI_API_KEY}');

export const accountConfig = z
  .object({
    name: z.string().min(1),
    credential: envReference,
    weight: z.number().int().default(1),
    priority: z.number().int().default(0),
    enabled: z.boolean().default(true),
    healthCheck: z
      .object({ enabled: z.boolean().nullable().default(null), intervalMs: nullableInt.default(null) })
      .strict()
      .default({ enabled: null, intervalMs: null }),
  })
  .strict();

export const providerConfig = z
  .object({
    name: z.string().min(1),
    kind: z.string().min(1),
    baseUrl: z.string().min(1),
    enabled: z.boolean().default(true),
    accounts: z.array(accountConfig).default([]),
  })
  .strict();

export const teamConfig = z
  .object({
    name: z.string().min(1),
    rpmLimit: nullableInt.default(null),
    tpmLimit: nullableInt.default(null),
  })
  .strict();

/** A key's policy. The key's secret is never in the file: a key created by `apply` gets a new one. */
export const keyConfig = z
  .object({
    name: z.string().min(1),
    environment: z.enum(['production', 'staging', 'development']).default('production'),
    team: z.string().min(1).nullable().default(null),
    allowedModels: z.array(z.string()).default([]),
    tags: z.array(z.string()).default([]),
    /** Absent: the API's choice (`interactive`, or the first allowed class). */
    defaultTrafficClass: z.string().min(1).optional(),
    allowedTrafficClasses: z.array(z.string()).default([]),
    rpmLimit: nullableInt.default(null),
    tpmLimit: nullableInt.default(null),
  })
  .strict();

export const targetConfig = z
  .object({
    /** `provider/account`. */
    account: z.string().regex(/^[^/]+\/.+$/, 'must be provider-name/account-name'),
    upstreamModel: z.string().min(1),
    tier: z.number().int().default(0),
    weight: z.number().int().default(1),
    enabled: z.boolean().default(true),
  })
  .strict();

const nullBreaker = {
  consecutiveFailures: null,
  failureRateThreshold: null,
  windowMs: null,
  minimumRequests: null,
  coolDownMs: null,
};

export const routeConfig = z
  .object({
    publicModel: z.string().min(1),
    aliases: z.array(z.string()).default([]),
    description: z.string().nullable().default(null),
    enabled: z.boolean().default(true),
    backupModels: z.array(z.string()).default([]),
    contextFallbackModel: z.string().nullable().default(null),
    missingPricePolicy: z.enum(['block', 'allow']).default('allow'),
    allowCostlierFallback: z.boolean().default(true),
    /** Per traffic class, as the admin API reads it back (GET /routes). */
    policies: z.record(z.string(), z.unknown()).default({}),
    breaker: z
      .object({
        consecutiveFailures: nullableInt.default(null),
        failureRateThreshold: z.number().nullable().default(null),
        windowMs: nullableInt.default(null),
        minimumRequests: nullableInt.default(null),
        coolDownMs: nullableInt.default(null),
      })
      .strict()
      .default(nullBreaker),
    targets: z.array(targetConfig).min(1),
  })
  .strict();

export const budgetConfig = z
  .object({
    name: z.string().min(1),
    scope: z.enum(['key', 'team', 'global']),
    /** The key's or team's name; absent for a global budget. */
    scopeName: z.string().min(1).nullable().default(null),
    period: z.enum(['daily', 'weekly', 'monthly', 'total']),
    mode: z.enum(['hard', 'soft']).default('hard'),
    /** Decimal USD, e.g. "250.00" (a string: money is exact). */
    limitUsd: z.string().regex(/^\d+(\.\d+)?$/, 'must be decimal USD text such as "250.00"'),
    alertThresholds: z.array(z.number()).default([...DEFAULT_ALERT_THRESHOLDS]),
    timeZone: z.string().min(1).default('UTC'),
    webhookUrl: z.string().nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .strict();

/** One row of the price history in the interchange format (`GET /prices/export`); rows are never changed. */
export const priceConfig = z
  .object({ provider: z.string().min(1), model: z.string().min(1), effectiveFrom: z.string().min(1) })
  .catchall(z.unknown());

export const configDocument = z
  .object({
    version: z.literal(1),
    providers: z.array(providerConfig).default([]),
    teams: z.array(teamConfig).default([]),
    keys: z.array(keyConfig).default([]),
    routes: z.array(routeConfig).default([]),
    budgets: z.array(budgetConfig).default([]),
    prices: z.array(priceConfig).default([]),
  })
  .strict()
  .superRefine((document, ctx) => {
    const unique = (section: string, names: string[]) => {
      const seen = new Set<string>();
      names.forEach((name, index) => {
        if (seen.has(name))
          ctx.addIssue({ code: 'custom', path: [section, index], message: `${name} appears twice` });
        seen.add(name);
      });
    };
    unique(
      'providers',
      document.providers.map((p) => p.name),
    );
    document.providers.forEach((provider, index) => {
      unique(
        `providers.${index}.accounts`,
        provider.accounts.map((a) => a.name),
      );
    });
    unique(
      'teams',
      document.teams.map((t) => t.name),
    );
    unique(
      'keys',
      document.keys.map((k) => k.name),
    );
    unique(
      'routes',
      document.routes.map((r) => r.publicModel),
    );
    unique(
      'budgets',
      document.budgets.map((b) => b.name),
    );
    unique('prices', document.prices.map(priceIdentity));
  });

export type ConfigDocument = z.infer<typeof configDocument>;
export type ProviderConfig = z.infer<typeof providerConfig>;
export type AccountConfig = z.infer<typeof accountConfig>;
export type TeamConfig = z.infer<typeof teamConfig>;
export type KeyConfig = z.infer<typeof keyConfig>;
export type RouteConfig = z.infer<typeof routeConfig>;
export type BudgetConfig = z.infer<typeof budgetConfig>;
export type PriceConfig = z.infer<typeof priceConfig>;

/** A price row's identity: who prices it, the model, and the instant it takes effect. */
export function priceIdentity(price: PriceConfig): string {
  return `${price.provider}/${price.model}@${price.effectiveFrom}`;
}

/**
 * The file's price rows as the admin API exports them (dates as instants, amounts as it formats them), so a row
 * written `effectiveFrom: "2026-01-01"` with `input: "2.5"` is the stored row it names. Checked by core's catalog
 * parser, as the import endpoint checks it; throws naming every issue.
 */
export function canonicalPrices(document: ConfigDocument): ConfigDocument {
  if (document.prices.length === 0) return document;
  const parsed = parsePriceCatalog(document.prices);
  if (!parsed.ok) {
    const lines = parsed.error.map((issue) => `  prices${issue.path}: ${issue.message}`);
    throw new Error(`the price rows are invalid:\n${lines.join('\n')}`);
  }
  const exported: PriceConfig[] = exportPriceCatalog(parsed.value).map((entry) => ({ ...entry }));
  return { ...document, prices: exported };
}
