import type { Actor } from './actor';
import type { AdminContext } from './admin-context';
import { type BudgetView, listBudgets } from './budgets';
import { getHealth, type TargetAvailability } from './health';
import { iso } from './iso-time';
import { readableTeamIds } from './permissions';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The request and error figures cover the last 24 hours, this one included. */
export const OVERVIEW_WINDOW_HOURS = 24;
/** Alerts listed on the landing page, newest first, across all budgets. */
export const OVERVIEW_RECENT_ALERTS = 8;

/** Spend in the current period of one budget. Money is integer micro-USD as decimal strings. */
export interface OverviewBudget {
  id: string;
  name: string;
  scope: BudgetView['scope'];
  scopeName: string | null;
  period: BudgetView['period'];
  mode: BudgetView['mode'];
  enabled: boolean;
  spentMicros: string;
  limitMicros: string;
  percentUsed: number | null;
  /** The highest alert threshold the spend has reached (percent); null when below every threshold. */
  thresholdReached: number | null;
}

/** A target that cannot take traffic because of a failure (not because an operator switched it off). */
export interface OverviewUnhealthyTarget {
  routeId: string;
  publicModel: string;
  targetId: string;
  upstreamModel: string;
  accountName: string | null;
  providerName: string | null;
  availability: Extract<TargetAvailability, 'circuit_open' | 'half_open' | 'credential_rejected'>;
}

export interface OverviewAlert {
  id: string;
  budgetId: string;
  budgetName: string;
  threshold: number;
  spendMicros: string;
  limitMicros: string;
  createdAt: string;
  deliveredAt: string | null;
}

/** The landing page: everything from rollups, budgets and health rows, never from raw usage events. */
export interface Overview {
  generatedAt: string;
  /** Settled cost since 00:00 UTC today, from the hourly rollups. */
  spendTodayMicros: string;
  last24h: {
    /** First hour of the window (UTC). */
    since: string;
    requests: number;
    /** Requests whose status is not `success`. */
    errors: number;
    /** errors / requests, 0..1; null with no requests. */
    errorRate: number | null;
    costMicros: string;
  };
  /** Enabled budgets, the most used first. */
  budgets: OverviewBudget[];
  /** Ids of `budgets` whose spend reached one of their alert thresholds. */
  budgetsOverThreshold: string[];
  health: {
    targets: number;
    openBreakers: number;
    halfOpen: number;
    /** Accounts whose credential the upstream rejected (each counted once however many targets use it). */
    rejectedCredentials: number;
    /** Targets with an open or half-open breaker or a rejected credential. */
    unhealthy: OverviewUnhealthyTarget[];
  };
  recentAlerts: OverviewAlert[];
}

function thresholdReached(budget: BudgetView): number | null {
  if (budget.percentUsed === null) return null;
  const used = budget.percentUsed;
  const reached = budget.alertThresholds.filter((threshold) => used >= threshold);
  return reached.length === 0 ? null : Math.max(...reached);
}

function byUsageDesc(a: OverviewBudget, b: OverviewBudget): number {
  return (b.percentUsed ?? -1) - (a.percentUsed ?? -1) || a.name.localeCompare(b.name);
}

/** The console's landing page: spend, traffic, budgets, upstream health and the latest budget alerts. */
export async function getOverview(ctx: AdminContext, actor: Actor): Promise<Overview> {
  const now = ctx.now().getTime();
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const windowStart = currentHour - (OVERVIEW_WINDOW_HOURS - 1) * HOUR_MS;
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
  const [hours, budgets, health] = await Promise.all([
    // From the hourly rollups: cheap with millions of usage events. Today is within the 24 h window.
    ctx.repos.cost.hourlyUsage(
      Math.min(windowStart, dayStart),
      currentHour + HOUR_MS,
      readableTeamIds(actor),
    ),
    listBudgets(ctx, actor),
    getHealth(ctx, actor),
  ]);

  let requests = 0;
  let errors = 0;
  let costMicros = 0n;
  let spendToday = 0n;
  for (const hour of hours) {
    if (hour.hourStart >= windowStart) {
      requests += hour.requests;
      errors += hour.errors;
      costMicros += hour.costMicros;
    }
    if (hour.hourStart >= dayStart) spendToday += hour.costMicros;
  }

  const overviewBudgets = budgets.items
    .filter((budget) => budget.enabled)
    .map(
      (budget): OverviewBudget => ({
        id: budget.id,
        name: budget.name,
        scope: budget.scope,
        scopeName: budget.scopeName,
        period: budget.period,
        mode: budget.mode,
        enabled: budget.enabled,
        spentMicros: budget.spentMicros,
        limitMicros: budget.limitMicros,
        percentUsed: budget.percentUsed,
        thresholdReached: thresholdReached(budget),
      }),
    )
    .sort(byUsageDesc);

  const unhealthy: OverviewUnhealthyTarget[] = [];
  let targets = 0;
  let openBreakers = 0;
  let halfOpen = 0;
  const rejectedAccounts = new Set<string>();
  for (const route of health.routes) {
    for (const target of route.targets) {
      targets += 1;
      const availability = target.availability;
      if (availability === 'circuit_open') openBreakers += 1;
      if (availability === 'half_open') halfOpen += 1;
      if (availability === 'credential_rejected' && target.account) rejectedAccounts.add(target.account.id);
      if (
        availability === 'circuit_open' ||
        availability === 'half_open' ||
        availability === 'credential_rejected'
      ) {
        unhealthy.push({
          routeId: route.id,
          publicModel: route.publicModel,
          targetId: target.targetId,
          upstreamModel: target.upstreamModel,
          accountName: target.account?.name ?? null,
          providerName: target.provider?.name ?? null,
          availability,
        });
      }
    }
  }

  const recentAlerts = budgets.items
    .flatMap((budget) =>
      budget.alerts.map(
        (alert): OverviewAlert => ({
          id: alert.id,
          budgetId: budget.id,
          budgetName: budget.name,
          threshold: alert.threshold,
          spendMicros: alert.spendMicros,
          limitMicros: alert.limitMicros,
          createdAt: alert.createdAt,
          deliveredAt: alert.deliveredAt,
        }),
      ),
    )
    // ISO strings of one format sort as times.
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    .slice(0, OVERVIEW_RECENT_ALERTS);

  return {
    generatedAt: iso(now),
    spendTodayMicros: spendToday.toString(),
    last24h: {
      since: iso(windowStart),
      requests,
      errors,
      errorRate: requests === 0 ? null : errors / requests,
      costMicros: costMicros.toString(),
    },
    budgets: overviewBudgets,
    budgetsOverThreshold: overviewBudgets.filter((b) => b.thresholdReached !== null).map((b) => b.id),
    health: { targets, openBreakers, halfOpen, rejectedCredentials: rejectedAccounts.size, unhealthy },
    recentAlerts,
  };
}
