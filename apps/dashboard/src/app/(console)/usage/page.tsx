import type { Metadata } from 'next';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { hourlyUsage, listUsageEvents } from '@/server/usage';
import { UsageDashboard } from './usage-dashboard';
import { EVENTS_PAGE_SIZE, HOURLY_WINDOW_HOURS } from './usage-settings';

export const metadata: Metadata = { title: 'Usage' };

export default async function UsagePage() {
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  const [events, hourly] = await Promise.all([
    listUsageEvents(ctx, actor, { limit: EVENTS_PAGE_SIZE }),
    hourlyUsage(ctx, actor, { hours: HOURLY_WINDOW_HOURS }),
  ]);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Usage</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every request through the router, newest first. Refreshes every few seconds.
        </p>
      </div>
      <UsageDashboard initialEvents={events} initialHourly={hourly} />
    </div>
  );
}
