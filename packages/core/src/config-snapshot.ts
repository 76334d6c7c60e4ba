import type { BreakerOverrides } from './breaker-thresholds';
import type { BudgetDefinition } from './budget-definition';
import type { HealthCheckSetting } from './health-check-setting';
import type { PriceSheet } from './price-sheet';
import type { RateLimitRule } from './rate-limiter';
import type { RoutePolicy } from './route-policy';
import type { TrafficClass } from './traffic-class';

/** Environments a key can belong to; usage rows carry it for attribution. */
export type KeyEnvironment = 'production' | 'staging' | 'development';

/**
 * Every provider kind an operator can configure (the `ProviderKind` enum of prisma/schema.prisma): what protocol
 * the upstream speaks. `openai_compatible` is any base URL speaking OpenAI's API; `azure_openai` an Azure OpenAI
 * resource (OpenAI's chat wire at a deployment URL, `api-version`, `api-key` header). The router's adapter registry
 * must serve each of them (a test holds it to this list), so a kind is never configurable but silently skipped.
 */
export const PROVIDER_KINDS = ['openai', 'openai_compatible', 'anthropic', 'gemini', 'azure_openai'] as const;

/** One of {@link PROVIDER_KINDS}. */
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** An API key as the router sees it. Times are epoch milliseconds. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** sha256 hex of the plaintext key. */
  digest: string;
  /** Display prefix, safe to log. */
  prefix: string;
  teamId: string | null;
  environment: KeyEnvironment;
  tags: string[];
  /** Public model names this key may call; empty means all. */
  allowedModels: string[];
  /** Class of a request that sends no traffic-class header. */
  defaultTrafficClass: TrafficClass;
  /** Classes a request may ask for; empty allows every class. */
  allowedTrafficClasses: TrafficClass[];
  expiresAt: number | null;
  revokedAt: number | null;
  /** The user who owns the key; usage rows carry it for attribution. */
  ownerId: string | null;
  /** This key's requests and tokens per minute (null fields: unlimited). */
  rateLimit: RateLimitRule;
  /** The key's team's limits, shared by every key of the team; null when the key has no team. */
  teamRateLimit: RateLimitRule | null;
  /** Store the bodies of this key's requests and answers (request_payloads). Absent: false. */
  capturePayloads?: boolean;
}

export interface ProviderRecord {
  id: string;
  name: string;
  kind: ProviderKind;
  /** Base URL including any version path, e.g. "https://api.openai.com/v1". No trailing slash. */
  baseUrl: string;
  enabled: boolean;
}

export interface UpstreamAccountRecord {
  id: string;
  providerId: string;
  name: string;
  /** Decrypted credential; lives only in memory, never logged. */
  credential: string;
  weight: number;
  priority: number;
  enabled: boolean;
  /** Epoch ms when an upstream rejected this credential (401/403); null while it is trusted. */
  credentialRejectedAt: number | null;
  /**
   * Moves on with every credential reset or new credential; a rejection seen under an older epoch no longer
   * holds. Absent: 0.
   */
  credentialEpoch?: number;
  /** Active health checks of this account; absent or null fields follow the router's environment. */
  healthCheck?: HealthCheckSetting;
}

export interface RouteTargetRecord {
  id: string;
  accountId: string;
  upstreamModel: string;
  /** Lower tiers are tried first. */
  tier: number;
  weight: number;
  enabled: boolean;
}

export interface RouteRecord {
  id: string;
  publicModel: string;
  aliases: string[];
  enabled: boolean;
  targets: RouteTargetRecord[];
  /** Approved backup models (public model names), in preference order. */
  backupModels: string[];
  /**
   * Public model to retry on when an upstream answers that the prompt exceeds its context window — the one
   * client error that may move to another model. Null: such errors are relayed like any other 4xx.
   */
  contextFallbackModel: string | null;
  /** Policy overrides per traffic class; a class without one uses DEFAULT_ROUTE_POLICIES. */
  policies: Partial<Record<TrafficClass, RoutePolicy>>;
  /** What happens when the target that would serve a request has no price in force. */
  missingPricePolicy: MissingPricePolicy;
  /**
   * False: failover never moves to a target whose price (per-million input + output, at request time) is
   * above the request's primary target's.
   */
  allowCostlierFallback: boolean;
  /** Circuit breaker thresholds of this route's targets; absent or null fields follow the router's environment. */
  breaker?: BreakerOverrides;
  /** Store the bodies of every request to this route and its answers (request_payloads). Absent: false. */
  capturePayloads?: boolean;
}

/**
 * `block`: a target without a price is never used, and a request none of whose targets has one is refused
 * (`price_missing`). `allow`: it is served, its usage row flagged `unpriced` with cost 0.
 */
export type MissingPricePolicy = 'block' | 'allow';

/**
 * One price-history row as the router holds it: what `model` costs from `effectiveFrom` on (until the next
 * row for the same owner and model). Either a provider's own row (`providerId` set), or a catalog row
 * (`providerId` null) that prices the model id for any provider serving it, attributed to its `vendor`.
 * Resolution order: see {@link PriceBook}.
 */
export interface PriceRecord {
  /** The provider this row prices; null for a catalog row. */
  providerId: string | null;
  /** Catalog vendor ("openai", "anthropic", "google", …); null on provider rows that do not name one. */
  vendor: string | null;
  /** The upstream model id, as a route target names it. */
  model: string;
  /** Epoch ms. */
  effectiveFrom: number;
  sheet: PriceSheet;
  /** The model's own output-token cap, bounding a worst-case estimate when a request sets no max_tokens. */
  maxOutputTokens: number | null;
}

/** A configured, enabled budget with its spend in the current period as recorded when the snapshot was read. */
export interface BudgetRecord {
  definition: BudgetDefinition;
  /** Alerts are POSTed here as JSON; null for none. */
  webhookUrl: string | null;
  /** Spend recorded in usage rollups from `spentSince` to the snapshot's `loadedAt`, integer micro-USD. */
  spentMicros: bigint;
  /** Start (epoch ms) of the period `spentMicros` covers: the budget's current period at load time. */
  spentSince: number;
}

/** Everything the router needs per request, loaded into memory so the hot path never awaits the database. */
export interface ConfigSnapshot {
  keys: ApiKeyRecord[];
  providers: ProviderRecord[];
  accounts: UpstreamAccountRecord[];
  routes: RouteRecord[];
  prices: PriceRecord[];
  /** Enabled budgets. */
  budgets: BudgetRecord[];
  /** Epoch ms when the snapshot was read. */
  loadedAt: number;
  /**
   * The database's configuration version the snapshot was read at (decimal); absent when unknown. Equal to the
   * current one means no configuration changed since, so only budget spend needs refreshing.
   */
  configVersion?: string;
}
