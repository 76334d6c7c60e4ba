import { parseRouterSettings, type RouterSettings } from '@switchyard/core';
import type { PrismaClient } from '../client';

/** One router instance's published settings. `reportedAt` is epoch ms. */
export interface RouterInstanceRecord {
  instanceId: string;
  settings: RouterSettings;
  reportedAt: number;
}

export interface RouterInstanceRepository {
  /** Instances that reported at or after `since` (epoch ms), newest first; rows of an unknown shape are left out. */
  listReportedSince(since: number): Promise<RouterInstanceRecord[]>;
}

/** Read-only: routers are the only writers of `router_instances` (with their health reports). */
export function createRouterInstanceRepository(prisma: PrismaClient): RouterInstanceRepository {
  return {
    async listReportedSince(since) {
      const rows = await prisma.routerInstance.findMany({
        where: { reportedAt: { gte: new Date(since) } },
        orderBy: [{ reportedAt: 'desc' }, { instanceId: 'asc' }],
      });
      const records: RouterInstanceRecord[] = [];
      for (const row of rows) {
        const settings = parseRouterSettings(row.settings);
        if (settings) {
          records.push({ instanceId: row.instanceId, settings, reportedAt: row.reportedAt.getTime() });
        }
      }
      return records;
    },
  };
}
