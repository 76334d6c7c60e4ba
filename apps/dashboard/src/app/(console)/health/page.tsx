import type { Metadata } from 'next';
import { listAccounts } from '@/server/accounts';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { getHealth } from '@/server/health';
import { AccountHealthChecks } from './account-health-checks';
import { HealthDashboard } from './health-dashboard';

export const metadata: Metadata = { title: 'Health' };

export default async function HealthPage() {
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  const [report, accounts] = await Promise.all([getHealth(ctx, actor), listAccounts(ctx, actor, {})]);
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
      <AccountHealthChecks accounts={accounts.items} writable={canWrite(actor)} />
    </div>
  );
}
