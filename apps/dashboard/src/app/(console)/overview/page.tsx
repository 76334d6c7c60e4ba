import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { LocalTime } from '@/components/local-time';
import { StatusBadge } from '@/components/ui/badge';
import { formatInteger, formatMicrosUsd, formatPercent } from '@/lib/format';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { getOverview, type OverviewBudget } from '@/server/overview';

export const metadata: Metadata = { title: 'Overview' };

/** Shown at most on the landing page; the budgets page lists them all. */
const BUDGETS_SHOWN = 6;

function Card({
  title,
  href,
  linkLabel,
  testId,
  tone = 'normal',
  children,
}: {
  title: string;
  href: string;
  linkLabel: string;
  testId: string;
  tone?: 'normal' | 'warning';
  children: ReactNode;
}) {
  return (
    <section
      aria-label={title}
      data-testid={testId}
      className={`flex min-w-0 flex-col rounded-xl border bg-white p-5 shadow-sm ${
        tone === 'warning' ? 'border-amber-300' : 'border-slate-200'
      }`}
    >
      <div className="flex items-baseline justify-between gap-3">
        <h2 className="text-sm font-semibold text-slate-700">{title}</h2>
        <Link href={href} className="shrink-0 text-xs font-medium text-sky-700 hover:underline">
          {linkLabel} →
        </Link>
      </div>
      <div className="mt-3 flex-1">{children}</div>
    </section>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <div className="text-xs text-slate-500">{label}</div>
      <div data-testid={testId} className="text-2xl font-semibold tabular-nums tracking-tight">
        {value}
      </div>
    </div>
  );
}

function BudgetBar({ budget }: { budget: OverviewBudget }) {
  const over = budget.thresholdReached !== null;
  const width = Math.min(100, budget.percentUsed ?? 0);
  return (
    <li data-testid="overview-budget" data-over-threshold={over} className="min-w-0">
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span className="truncate font-medium" title={budget.name}>
          {budget.name}
        </span>
        <span className={`shrink-0 tabular-nums ${over ? 'font-semibold text-amber-700' : 'text-slate-600'}`}>
          {formatMicrosUsd(budget.spentMicros)} / {formatMicrosUsd(budget.limitMicros)}
          {budget.percentUsed !== null && ` (${budget.percentUsed}%)`}
        </span>
      </div>
      <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-100">
        <div
          className={`h-full rounded-full ${
            (budget.percentUsed ?? 0) >= 100 ? 'bg-red-500' : over ? 'bg-amber-500' : 'bg-emerald-500'
          }`}
          style={{ width: `${width}%` }}
        />
      </div>
      <div className="mt-0.5 text-xs text-slate-500">
        {budget.scope}
        {budget.scopeName ? ` · ${budget.scopeName}` : ''} · {budget.period} · {budget.mode}
        {over && ` · past its ${budget.thresholdReached}% alert`}
      </div>
    </li>
  );
}

export default async function OverviewPage() {
  const actor = await requireConsoleActor();
  const overview = await getOverview(getAdminContext(), actor);
  const { last24h, health } = overview;
  const overThreshold = overview.budgetsOverThreshold.length;
  const unhealthyCount = health.openBreakers + health.halfOpen + health.rejectedCredentials;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
        <p className="mt-1 text-sm text-slate-600">
          Spend, traffic, budgets and upstream health at a glance, from the hourly rollups and the routers'
          health reports. As of <LocalTime iso={overview.generatedAt} />.
        </p>
      </div>

      <div className="grid gap-4 *:min-w-0 sm:grid-cols-2 lg:grid-cols-4">
        <Card title="Spend" href="/cost" linkLabel="Cost" testId="overview-spend">
          <div className="space-y-3">
            <Figure
              label="Today (since 00:00 UTC)"
              value={formatMicrosUsd(overview.spendTodayMicros)}
              testId="overview-spend-today"
            />
            <Figure
              label="Last 24 hours"
              value={formatMicrosUsd(last24h.costMicros)}
              testId="overview-spend-24h"
            />
          </div>
        </Card>
        <Card title="Requests, last 24 h" href="/usage" linkLabel="Usage" testId="overview-requests">
          <div className="space-y-3">
            <Figure label="Requests" value={formatInteger(last24h.requests)} testId="overview-requests-24h" />
            <Figure
              label={`Error rate (${formatInteger(last24h.errors)} not successful)`}
              value={formatPercent(last24h.errorRate)}
              testId="overview-error-rate"
            />
          </div>
        </Card>
        <Card
          title="Upstream health"
          href="/health"
          linkLabel="Health"
          testId="overview-health"
          tone={unhealthyCount > 0 ? 'warning' : 'normal'}
        >
          {health.targets === 0 ? (
            <p className="text-sm text-slate-500">
              No route targets yet.{' '}
              <Link href="/routes/new" className="text-sky-700 hover:underline">
                Create a route
              </Link>
              .
            </p>
          ) : (
            <div className="space-y-3">
              <Figure
                label="Open breakers"
                value={formatInteger(health.openBreakers)}
                testId="overview-open-breakers"
              />
              <Figure
                label="Accounts with rejected credentials"
                value={formatInteger(health.rejectedCredentials)}
                testId="overview-rejected-credentials"
              />
              <p className="text-xs text-slate-500">
                {formatInteger(health.targets)} {health.targets === 1 ? 'target' : 'targets'}
                {health.halfOpen > 0 ? `, ${health.halfOpen} probing (half open)` : ''}
              </p>
            </div>
          )}
        </Card>
        <Card
          title="Budgets"
          href="/budgets"
          linkLabel="Budgets"
          testId="overview-budget-summary"
          tone={overThreshold > 0 ? 'warning' : 'normal'}
        >
          <Figure
            label="Past an alert threshold"
            value={`${overThreshold} of ${overview.budgets.length}`}
            testId="overview-budgets-over"
          />
        </Card>
      </div>

      <div className="grid gap-4 *:min-w-0 lg:grid-cols-2">
        <Card title="Budgets this period" href="/budgets" linkLabel="All budgets" testId="overview-budgets">
          {overview.budgets.length === 0 ? (
            <p className="text-sm text-slate-500">No enabled budgets. Spend is not capped.</p>
          ) : (
            <ul className="space-y-3">
              {overview.budgets.slice(0, BUDGETS_SHOWN).map((budget) => (
                <BudgetBar key={budget.id} budget={budget} />
              ))}
            </ul>
          )}
        </Card>
        <Card title="Targets needing attention" href="/health" linkLabel="Health" testId="overview-unhealthy">
          {health.unhealthy.length === 0 ? (
            <p className="text-sm text-slate-500">Every reporting target is available.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {health.unhealthy.map((target) => (
                <li key={target.targetId} className="flex items-center justify-between gap-3 py-2">
                  <span className="min-w-0 truncate">
                    <Link href={`/routes/${target.routeId}`} className="font-medium hover:underline">
                      {target.publicModel}
                    </Link>
                    <span className="text-slate-500">
                      {' '}
                      → {target.providerName ?? '?'} / {target.accountName ?? '?'} / {target.upstreamModel}
                    </span>
                  </span>
                  <StatusBadge status={target.availability} />
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <Card title="Recent budget alerts" href="/budgets" linkLabel="Budgets" testId="overview-alerts">
        {overview.recentAlerts.length === 0 ? (
          <p className="text-sm text-slate-500">No budget has crossed an alert threshold.</p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-slate-500">
                <tr>
                  <th className="py-1 pr-4 font-medium">When</th>
                  <th className="py-1 pr-4 font-medium">Budget</th>
                  <th className="py-1 pr-4 font-medium">Threshold</th>
                  <th className="py-1 pr-4 font-medium">Spend / limit</th>
                  <th className="py-1 font-medium">Webhook</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {overview.recentAlerts.map((alert) => (
                  <tr key={alert.id}>
                    <td className="whitespace-nowrap py-1.5 pr-4">
                      <LocalTime iso={alert.createdAt} />
                    </td>
                    <td className="py-1.5 pr-4">{alert.budgetName}</td>
                    <td className="py-1.5 pr-4 tabular-nums">{alert.threshold}%</td>
                    <td className="whitespace-nowrap py-1.5 pr-4 tabular-nums">
                      {formatMicrosUsd(alert.spendMicros)} / {formatMicrosUsd(alert.limitMicros)}
                    </td>
                    <td className="py-1.5 text-slate-600">
                      {alert.deliveredAt ? 'delivered' : 'not delivered'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
