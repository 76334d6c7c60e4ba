import type { Metadata } from 'next';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { getHealth } from '@/server/health';
import { HealthDashboard } from './health-dashboard';

export const metadata: Metadata = { title: 'Health' };

export default async function HealthPage() {
  const actor = await requireConsoleActor();
  const report = await getHealth(getAdminContext(), actor);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Health</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every route's targets as the routers see them: circuit breakers, 429 cool-downs, error rate and
          latency over the breaker window, and rejected credentials. Refreshes every 2 seconds. Switching a
          target or an account off here reaches every router within about a second: that is the failover
          drill.
        </p>
      </div>
      <HealthDashboard initialReport={report} writable={canWrite(actor)} />
    </div>
  );
}
