import type {
  ApiKeyRecord,
  BreakerOverrides,
  CircuitState,
  HealthCheckSetting,
  KeyEnvironment,
  ProviderKind,
  ProviderRecord,
  RoutePolicy,
  RouteRecord,
  RouteTargetRecord,
  TrafficClass,
  UpstreamAccountRecord,
} from '@switchyard/core';
import type { TargetHealthRow } from '../health-repository';

/** Derived from `revokedAt` / `expiresAt` at read time; never stored. */
export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

/** An API key as the console shows it: no digest. Times are epoch milliseconds. */
export type AdminApiKey = Omit<ApiKeyRecord, 'digest' | 'rateLimit' | 'teamRateLimit'> & {
  status: ApiKeyStatus;
  ownerId: string | null;
  lastUsedAt: number | null;
  createdAt: number;
  /** Requests per minute; null = unlimited. */
  rpmLimit: number | null;
  /** Tokens (input + output) per minute; null = unlimited. */
  tpmLimit: number | null;
  /** The key this one replaced by rotation, if any. */
  rotatedFromId: string | null;
  /** The key that replaced this one by rotation, if any. */
  rotatedToId: string | null;
};

/** What the caller supplies to store a key; the plaintext never reaches this layer. */
export interface NewApiKey {
  name: string;
  /** sha256 hex of the plaintext. */
  digest: string;
  prefix: string;
  environment: KeyEnvironment;
  allowedModels: string[];
  tags: string[];
  expiresAt: number | null;
  ownerId: string | null;
  teamId: string | null;
  defaultTrafficClass: TrafficClass;
  /** Empty allows every class. */
  allowedTrafficClasses: TrafficClass[];
  /** Requests per minute; null = unlimited. */
  rpmLimit: number | null;
  /** Tokens (input + output) per minute; null = unlimited. */
  tpmLimit: number | null;
}

/** What an update may change on a key; its secret, owner and environment are fixed at creation. */
export type ApiKeyChanges = Partial<
  Pick<
    NewApiKey,
    | 'name'
    | 'allowedModels'
    | 'tags'
    | 'defaultTrafficClass'
    | 'allowedTrafficClasses'
    | 'teamId'
    | 'rpmLimit'
    | 'tpmLimit'
    | 'expiresAt'
  >
>;

export type AdminProvider = ProviderRecord & { createdAt: number };

export interface NewProvider {
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  enabled: boolean;
}

export type ProviderChanges = Partial<NewProvider>;

/** An upstream account without its credential: the ciphertext never leaves the repository. */
export type AdminUpstreamAccount = Omit<UpstreamAccountRecord, 'credential' | 'healthCheck'> & {
  /** What the upstream said when it rejected the credential; null while the credential is trusted. */
  credentialError: string | null;
  /** Active health checks as stored; null fields follow the router's HEALTH_CHECK_INTERVAL_MS. */
  healthCheck: HealthCheckSetting;
  createdAt: number;
};

export interface NewUpstreamAccount {
  providerId: string;
  name: string;
  /** Output of the credential cipher; the repository never sees plaintext. */
  credentialCiphertext: string;
  weight: number;
  priority: number;
  enabled: boolean;
  /** Null (or absent): the router's default. */
  healthCheckEnabled?: boolean | null;
  healthCheckIntervalMs?: number | null;
}

/** A new `credentialCiphertext` also clears a rejected-credential mark: the operator replaced the credential. */
export type UpstreamAccountChanges = Partial<Omit<NewUpstreamAccount, 'providerId'>>;

export type AdminRoute = RouteRecord & {
  description: string | null;
  createdAt: number;
  updatedAt: number;
  /** What happens when the served model has no price in force: refuse (`block`) or serve and flag (`allow`). */
  missingPricePolicy: 'block' | 'allow';
  /** false: never fall back to a target whose price is higher than the primary target's. */
  allowCostlierFallback: boolean;
};

export type NewRouteTarget = Omit<RouteTargetRecord, 'id'>;

/** A target in an update: with the `id` of one of the route's targets it changes that target in place. */
export type RouteTargetInput = NewRouteTarget & { id?: string };

/** Policy overrides per traffic class; a class without one uses the defaults. */
export type RoutePolicies = Partial<Record<TrafficClass, RoutePolicy>>;

export interface NewRoute {
  publicModel: string;
  aliases: string[];
  description: string | null;
  enabled: boolean;
  /** Public model names or aliases of other routes, in preference order; stored as public model names. */
  backupModels: string[];
  /**
   * Public model name or alias of another route to retry on when the upstream says the prompt exceeds its
   * context window; stored as the public model name. Null: such errors are relayed like any other 4xx.
   */
  contextFallbackModel: string | null;
  policies: RoutePolicies;
  targets: NewRouteTarget[];
  missingPricePolicy: 'block' | 'allow';
  allowCostlierFallback: boolean;
  /** Breaker thresholds of the route's targets; absent or null fields follow the router's BREAKER_* settings. */
  breaker?: BreakerOverrides;
}

/**
 * `targets`, when given, replaces the whole target list: listed ids are kept (and updated), the rest deleted,
 * entries without an id created. `policies`, when given, replaces every override.
 */
export type RouteChanges = Partial<Omit<NewRoute, 'targets'>> & { targets?: RouteTargetInput[] };

/** What the failover drill changes on one target without touching the rest of its route. */
export type RouteTargetChanges = Partial<Pick<RouteTargetRecord, 'enabled' | 'weight' | 'tier'>>;

/** One router instance's view of one (account, upstream model) pair, as stored. Times are epoch ms. */
export type TargetHealthRecord = Omit<TargetHealthRow, 'state'> & {
  instanceId: string;
  /** Anything else a router wrote (a newer version's state) reads as-is; the console shows it verbatim. */
  state: CircuitState | (string & {});
  updatedAt: number;
};

/** One hour of traffic; `hourStart` is epoch ms of the UTC hour. */
export interface HourlyUsageBucket {
  hourStart: number;
  requests: number;
  errors: number;
  /** Integer micro-USD. */
  costMicros: bigint;
}

/**
 * Who made a change or tried something, as recorded in the audit log: a console user (id = user id), the admin
 * token holder (no id), a scoped admin API token (id = token id), or an unauthenticated caller (id = the e-mail a failed sign-in tried, else null).
 */
export interface AuditActor {
  type: 'user' | 'admin_token' | 'api_token' | 'anonymous';
  id: string | null;
}

/** A user as authentication needs it. */
export interface AdminUser {
  id: string;
  email: string;
  name: string | null;
  role: UserRoleName;
  /** The team whose keys a member manages. */
  teamId: string | null;
}

/** Console roles, most powerful first. */
export const USER_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type UserRoleName = (typeof USER_ROLES)[number];

/** One page of a listing; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
