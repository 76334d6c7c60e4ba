import type { Prisma, PrismaClient } from '../client';
import type { TargetHealthRecord } from './admin-records';

/** An (upstream account, upstream model) pair: what a breaker and a health row are kept per. */
export interface TargetHealthKey {
  accountId: string;
  model: string;
}

export interface TargetHealthRepository {
  /**
   * Every router instance's row for the given pairs, freshest first. Stale rows (a router that stopped) are
   * included: the caller decides how old is too old, against its own clock.
   */
  listForTargets(keys: TargetHealthKey[]): Promise<TargetHealthRecord[]>;
}

function toTargetHealthRecord(row: Prisma.TargetHealthModel): TargetHealthRecord {
  return {
    instanceId: row.instanceId,
    accountId: row.accountId,
    model: row.model,
    state: row.state,
    consecutiveFailures: row.consecutiveFailures,
    requests: row.requests,
    failures: row.failures,
    failureRate: row.failureRate,
    openedAt: row.openedAt?.getTime() ?? null,
    nextProbeAt: row.nextProbeAt?.getTime() ?? null,
    coolingUntil: row.coolingUntil?.getTime() ?? null,
    latencyP50Ms: row.latencyP50Ms,
    latencyP95Ms: row.latencyP95Ms,
    lastErrorClass: row.lastErrorClass,
    updatedAt: row.updatedAt.getTime(),
  };
}

/** Read-only: the routers are the only writers of `target_health`. */
export function createTargetHealthRepository(prisma: PrismaClient): TargetHealthRepository {
  return {
    async listForTargets(keys) {
      if (keys.length === 0) return [];
      const accountIds = [...new Set(keys.map((key) => key.accountId))];
      const wanted = new Set(keys.map((key) => `${key.accountId}\u0000${key.model}`));
      // One row per router instance and pair: small enough to filter the pairs here rather than in SQL.
      const rows = await prisma.targetHealth.findMany({
        where: { accountId: { in: accountIds } },
        orderBy: [{ updatedAt: 'desc' }, { instanceId: 'asc' }],
      });
      return rows.filter((row) => wanted.has(`${row.accountId}\u0000${row.model}`)).map(toTargetHealthRecord);
    },
  };
}
