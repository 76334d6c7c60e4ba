import { DEFAULT_ROUTER_SETTINGS, type RouterSettings } from '@switchyard/core';
import type { AdminContext } from './admin-context';
import { TARGET_HEALTH_STALE_MS } from './health';

/**
 * The router settings the readback applies to stored configuration (the attempts cap, breaker and health check
 * defaults), and where they come from: `reported` by the live routers, or `assumed_default` (the router's own
 * defaults) while no router has reported in the last TARGET_HEALTH_STALE_MS.
 */
export interface RouterReadback {
  source: 'reported' | 'assumed_default';
  /** Live router instances that reported their settings. */
  instances: number;
  /**
   * True when live routers run with different settings: the readback then shows the lowest attempts cap and the
   * newest instance's defaults, and the console says so.
   */
  differ: boolean;
  settings: RouterSettings;
}

/** What the live routers apply, merged for the readback (see RouterReadback). */
export async function routerReadback(ctx: AdminContext): Promise<RouterReadback> {
  const now = ctx.now().getTime();
  const live = await ctx.repos.routerInstances.listReportedSince(now - TARGET_HEALTH_STALE_MS);
  const newest = live[0];
  if (!newest) {
    return { source: 'assumed_default', instances: 0, differ: false, settings: DEFAULT_ROUTER_SETTINGS };
  }
  const first = JSON.stringify(newest.settings);
  return {
    source: 'reported',
    instances: live.length,
    differ: live.some((instance) => JSON.stringify(instance.settings) !== first),
    settings: {
      ...newest.settings,
      maxAttempts: Math.min(...live.map((instance) => instance.settings.maxAttempts)),
    },
  };
}

/** The readback's description of where the router settings came from, without the settings themselves. */
export function readbackSource(readback: RouterReadback): Omit<RouterReadback, 'settings'> {
  return { source: readback.source, instances: readback.instances, differ: readback.differ };
}
