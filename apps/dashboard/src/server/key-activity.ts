import { z } from 'zod';
import type { Actor } from './actor';
import type { AdminContext } from './admin-context';
import { costSeries } from './cost';
import { iso } from './iso-time';
import { getKey, type KeyView } from './keys';
import { listRequests } from './requests';
import type { HourlyUsageView, UsageEventView } from './usage';

const HOUR_MS = 3_600_000;

/** The windows a key's page offers, in hours: the last day and the last week. */
export const keyActivityWindows = [24, 168] as const;

export const keyActivityQuery = z.object({
  hours: z.coerce
    .number()
    .int()
    .refine((hours) => (keyActivityWindows as readonly number[]).includes(hours), {
      message: `must be one of ${keyActivityWindows.join(', ')}`,
    })
    .default(24),
});

/** What a key's own page shows besides its settings. */
export interface KeyActivityView {
  key: KeyView;
  /** The key's team's name at read time; null when none or it is gone. */
  teamName: string | null;
  from: string;
  to: string;
  /** Requests, failures and cost per UTC hour of the window, every hour present (empty ones as zeros). */
  hourly: HourlyUsageView[];
  /** Failed requests of the window per error class (the status when none was recorded), most frequent first. */
  errorClasses: { errorClass: string; requests: number }[];
  /** The key's newest requests (any time). */
  recentRequests: UsageEventView[];
}

export const RECENT_KEY_REQUESTS = 10;

/** A key with its usage: charts from the hourly rollups, error classes and recent requests from the key's index. */
export async function getKeyActivity(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  hours: number,
): Promise<KeyActivityView> {
  // getKey checks the actor may read this key (404 outside a member's team) before anything of its usage is read.
  const key = await getKey(ctx, actor, id);
  const to = Math.floor(ctx.now().getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  const from = to - hours * HOUR_MS;
  const [series, errorClasses, recent, team] = await Promise.all([
    costSeries(ctx, actor, { from: iso(from), to: iso(to), granularity: 'hour' }, { keyId: id }),
    ctx.repos.usage.keyErrorClasses(id, from, to),
    listRequests(ctx, actor, { keyId: id, limit: RECENT_KEY_REQUESTS }),
    key.teamId === null ? null : ctx.repos.teams.findById(key.teamId),
  ]);
  return {
    key,
    teamName: team?.name ?? null,
    from: iso(from),
    to: iso(to),
    hourly: series.items.map((point) => ({
      hourStart: point.bucketStart,
      requests: point.requests,
      errors: point.errors,
      costMicros: point.costMicros,
    })),
    errorClasses,
    recentRequests: recent.items,
  };
}
