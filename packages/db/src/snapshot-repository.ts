import {
  type ConfigSnapshot,
  isTrafficClass,
  type RoutePolicy,
  type TrafficClass,
  type UpstreamAccountRecord,
  validateRoutePolicy,
} from '@switchyard/core';
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
  const [keys, providers, accounts, routes, prices] = await prisma.$transaction(
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
      policies: parsePolicies(route.id, route.policies, options),
      targets: route.targets.map((target) => ({
        id: target.id,
        accountId: target.accountId,
        upstreamModel: target.upstreamModel,
        tier: target.tier,
        weight: target.weight,
        enabled: target.enabled,
      })),
    })),
    // Provider-specific token prices only, until the router prices from full sheets and catalog rows (issue 4).
    prices: prices.flatMap((price) =>
      price.providerId !== null &&
      price.inputMicrosPerMillion !== null &&
      price.outputMicrosPerMillion !== null
        ? [
            {
              providerId: price.providerId,
              model: price.model,
              inputMicrosPerMillion: price.inputMicrosPerMillion,
              outputMicrosPerMillion: price.outputMicrosPerMillion,
              cachedInputMicrosPerMillion: price.cachedInputMicrosPerMillion,
              effectiveFrom: price.effectiveFrom.getTime(),
            },
          ]
        : [],
    ),
    loadedAt: now(),
  };
}

/** Stored `routes.policies` → validated policies per class; anything invalid is reported and left to the default. */
function parsePolicies(
  routeId: string,
  stored: unknown,
  options: LoadConfigSnapshotOptions,
): Partial<Record<TrafficClass, RoutePolicy>> {
  const policies: Partial<Record<TrafficClass, RoutePolicy>> = {};
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return policies;
  for (const [trafficClass, value] of Object.entries(stored)) {
    if (!isTrafficClass(trafficClass)) {
      options.onInvalidPolicy?.(routeId, trafficClass, 'not a traffic class');
      continue;
    }
    const result = validateRoutePolicy(value, { trafficClass, path: `policies.${trafficClass}` });
    if (result.ok) policies[trafficClass] = result.value;
    else options.onInvalidPolicy?.(routeId, trafficClass, result.error.message);
  }
  return policies;
}
