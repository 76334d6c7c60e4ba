import type { Metadata } from 'next';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { costBreakdown, costSeries } from '@/server/cost';
import { CostDashboard } from './cost-dashboard';

export const metadata: Metadata = { title: 'Cost' };

export default async function CostPage() {
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  // The API's defaults (last 7 days, hourly) are the dashboard's default view.
  const [series, breakdown] = await Promise.all([
    costSeries(ctx, actor, { granularity: 'hour' }),
    costBreakdown(ctx, actor, { granularity: 'hour' }),
  ]);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Cost</h1>
        <p className="mt-1 text-sm text-slate-600">
          Spend and tokens over time from the hourly and daily rollups (UTC buckets). Grouping by tag reads
          raw events and is limited to 7 days.
        </p>
      </div>
      <CostDashboard initialSeries={series} initialBreakdown={breakdown} />
    </div>
  );
}
