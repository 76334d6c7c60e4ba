import type { RoutePolicy } from './route-policy';
import type { TrafficClass } from './traffic-class';

/** Environments a key can belong to; usage rows carry it for attribution. */
export type KeyEnvironment = 'production' | 'staging' | 'development';

/** Wire protocol an upstream speaks. `openai_compatible` is any base URL speaking OpenAI's API. */
export type ProviderKind = 'openai' | 'openai_compatible' | 'anthropic' | 'gemini';

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
}

/** Price of one provider model from `effectiveFrom` on, in integer micro-USD per million tokens. */
export interface PriceRecord {
  providerId: string;
  model: string;
  inputMicrosPerMillion: bigint;
  outputMicrosPerMillion: bigint;
  cachedInputMicrosPerMillion: bigint | null;
  effectiveFrom: number;
}

/** Everything the router needs per request, loaded into memory so the hot path never awaits the database. */
export interface ConfigSnapshot {
  keys: ApiKeyRecord[];
  providers: ProviderRecord[];
  accounts: UpstreamAccountRecord[];
  routes: RouteRecord[];
  prices: PriceRecord[];
  /** Epoch ms when the snapshot was read. */
  loadedAt: number;
}
