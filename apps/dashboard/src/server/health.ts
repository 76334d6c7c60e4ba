import type { AdminProvider, AdminUpstreamAccount, TargetHealthRecord } from '@switchyard/db/admin';
import type { Actor } from './actor';
import type { AdminContext } from './admin-context';
import { iso, isoOrNull } from './iso-time';

/**
 * A router writes its health rows every ~2 s; a row this much older than the dashboard's clock belongs to a
 * router that stopped (or lost its database), so it says nothing about now.
 */
export const TARGET_HEALTH_STALE_MS = 30_000;

/**
 * One word for "can this target take traffic now", for a badge. From the enabled flags and the credential
 * mark, then the worst state any live router reports: `circuit_open` > `half_open` > `cooling` > `available`.
 * `no_data` when no live router has a row (no traffic yet, or no router running).
 */
export type TargetAvailability =
  | 'available'
  | 'disabled'
  | 'credential_rejected'
  | 'circuit_open'
  | 'half_open'
  | 'cooling'
  | 'no_data';

/** One router instance's view of a target. Times are ISO strings. */
export interface TargetHealthView {
  instanceId: string;
  state: string;
  consecutiveFailures: number;
  requests: number;
  failures: number;
  /** 0..1 over the breaker's window. */
  failureRate: number;
  openedAt: string | null;
  nextProbeAt: string | null;
  coolingUntil: string | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  lastErrorClass: string | null;
  updatedAt: string;
  /** Older than TARGET_HEALTH_STALE_MS: the router that wrote it is gone. */
  stale: boolean;
}

export interface HealthTargetView {
  targetId: string;
  tier: number;
  weight: number;
  upstreamModel: string;
  /** Each switch that must be on for the routers to use the target. */
  enabled: { route: boolean; target: boolean; account: boolean; provider: boolean };
  account: {
    id: string;
    name: string;
    credentialRejectedAt: string | null;
    credentialError: string | null;
  } | null;
  provider: { id: string; name: string; kind: string } | null;
  availability: TargetAvailability;
  /** The freshest row of any router instance, stale or not; null when no router ever reported. */
  health: TargetHealthView | null;
  /** Every router instance's row, freshest first. */
  instances: TargetHealthView[];
}

export interface HealthRouteView {
  id: string;
  publicModel: string;
  enabled: boolean;
  targets: HealthTargetView[];
}

export interface HealthReport {
  generatedAt: string;
  staleAfterMs: number;
  routes: HealthRouteView[];
}

const STATE_SEVERITY: Record<string, number> = { open: 3, half_open: 2 };

function toTargetHealthView(row: TargetHealthRecord, now: number): TargetHealthView {
  return {
    instanceId: row.instanceId,
    state: row.state,
    consecutiveFailures: row.consecutiveFailures,
    requests: row.requests,
    failures: row.failures,
    failureRate: row.failureRate,
    openedAt: isoOrNull(row.openedAt),
    nextProbeAt: isoOrNull(row.nextProbeAt),
    coolingUntil: isoOrNull(row.coolingUntil),
    latencyP50Ms: row.latencyP50Ms,
    latencyP95Ms: row.latencyP95Ms,
    lastErrorClass: row.lastErrorClass,
    updatedAt: iso(row.updatedAt),
    stale: now - row.updatedAt > TARGET_HEALTH_STALE_MS,
  };
}

function availability(
  enabled: HealthTargetView['enabled'],
  credentialRejected: boolean,
  rows: TargetHealthRecord[],
  now: number,
): TargetAvailability {
  if (!enabled.route || !enabled.target || !enabled.account || !enabled.provider) return 'disabled';
  if (credentialRejected) return 'credential_rejected';
  const live = rows.filter((row) => now - row.updatedAt <= TARGET_HEALTH_STALE_MS);
  if (live.length === 0) return 'no_data';
  const worst = Math.max(...live.map((row) => STATE_SEVERITY[row.state] ?? 0));
  if (worst === 3) return 'circuit_open';
  if (worst === 2) return 'half_open';
  if (live.some((row) => row.coolingUntil !== null && row.coolingUntil > now)) return 'cooling';
  return 'available';
}

function pairKey(accountId: string, model: string): string {
  return `${accountId}\u0000${model}`;
}

/**
 * Every route's targets with their switches, credential status and what the routers last reported about
 * them: the console's health page and `GET /api/admin/v1/health`.
 */
export async function getHealth(ctx: AdminContext, _actor: Actor): Promise<HealthReport> {
  const [routes, accounts, providers] = await Promise.all([
    ctx.repos.routes.list(),
    ctx.repos.upstreamAccounts.list({}),
    ctx.repos.providers.list(),
  ]);
  const accountById = new Map<string, AdminUpstreamAccount>(accounts.map((account) => [account.id, account]));
  const providerById = new Map<string, AdminProvider>(providers.map((provider) => [provider.id, provider]));
  const rows = await ctx.repos.targetHealth.listForTargets(
    routes.flatMap((route) =>
      route.targets.map((target) => ({ accountId: target.accountId, model: target.upstreamModel })),
    ),
  );
  const rowsByPair = new Map<string, TargetHealthRecord[]>();
  for (const row of rows) {
    const key = pairKey(row.accountId, row.model);
    rowsByPair.set(key, [...(rowsByPair.get(key) ?? []), row]);
  }
  const now = ctx.now().getTime();

  return {
    generatedAt: iso(now),
    staleAfterMs: TARGET_HEALTH_STALE_MS,
    routes: routes.map((route) => ({
      id: route.id,
      publicModel: route.publicModel,
      enabled: route.enabled,
      targets: route.targets.map((target): HealthTargetView => {
        const account = accountById.get(target.accountId);
        const provider = account ? providerById.get(account.providerId) : undefined;
        const targetRows = rowsByPair.get(pairKey(target.accountId, target.upstreamModel)) ?? [];
        const enabled = {
          route: route.enabled,
          target: target.enabled,
          account: account?.enabled ?? false,
          provider: provider?.enabled ?? false,
        };
        const instances = targetRows.map((row) => toTargetHealthView(row, now));
        return {
          targetId: target.id,
          tier: target.tier,
          weight: target.weight,
          upstreamModel: target.upstreamModel,
          enabled,
          account: account
            ? {
                id: account.id,
                name: account.name,
                credentialRejectedAt: isoOrNull(account.credentialRejectedAt),
                credentialError: account.credentialError,
              }
            : null,
          provider: provider ? { id: provider.id, name: provider.name, kind: provider.kind } : null,
          availability: availability(enabled, account?.credentialRejectedAt != null, targetRows, now),
          health: instances[0] ?? null,
          instances,
        };
      }),
    })),
  };
}
