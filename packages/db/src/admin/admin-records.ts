import type {
  ApiKeyRecord,
  KeyEnvironment,
  ProviderKind,
  ProviderRecord,
  RouteRecord,
  RouteTargetRecord,
  UpstreamAccountRecord,
} from '@switchyard/core';

/** Derived from `revokedAt` / `expiresAt` at read time; never stored. */
export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

/** An API key as the console shows it: no digest. Times are epoch milliseconds. */
export type AdminApiKey = Omit<ApiKeyRecord, 'digest'> & {
  status: ApiKeyStatus;
  ownerId: string | null;
  lastUsedAt: number | null;
  createdAt: number;
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
}

export type AdminProvider = ProviderRecord & { createdAt: number };

export interface NewProvider {
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  enabled: boolean;
}

export type ProviderChanges = Partial<NewProvider>;

/** An upstream account without its credential: the ciphertext never leaves the repository. */
export type AdminUpstreamAccount = Omit<UpstreamAccountRecord, 'credential'> & { createdAt: number };

export interface NewUpstreamAccount {
  providerId: string;
  name: string;
  /** Output of the credential cipher; the repository never sees plaintext. */
  credentialCiphertext: string;
  weight: number;
  priority: number;
  enabled: boolean;
}

export type UpstreamAccountChanges = Partial<Omit<NewUpstreamAccount, 'providerId'>>;

export type AdminRoute = RouteRecord & { description: string | null; createdAt: number; updatedAt: number };

export type NewRouteTarget = Omit<RouteTargetRecord, 'id'>;

export interface NewRoute {
  publicModel: string;
  aliases: string[];
  description: string | null;
  enabled: boolean;
  targets: NewRouteTarget[];
}

/** `targets`, when given, replaces the whole target list. */
export type RouteChanges = Partial<NewRoute>;

/** One hour of traffic; `hourStart` is epoch ms of the UTC hour. */
export interface HourlyUsageBucket {
  hourStart: number;
  requests: number;
  errors: number;
  /** Integer micro-USD. */
  costMicros: bigint;
}

/** Who made a change, as recorded in the audit log. */
export interface AuditActor {
  type: 'user' | 'admin_token';
  id: string | null;
}

/** A user as authentication needs it. */
export interface AdminUser {
  id: string;
  email: string;
  name: string | null;
  role: 'owner' | 'admin' | 'viewer';
}

/** One page of a listing; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
