'use client';

import { DestructiveActionButton } from '@/components/destructive-action-button';
import { LocalTime } from '@/components/local-time';
import { DialogButton } from '@/components/ui/dialog';
import { formatMicrosUsd } from '@/lib/format';
import type { BudgetAlertView, BudgetView } from '@/server/budgets';
import { deleteBudgetAction } from './actions';
import { BudgetForm, type ScopeOption } from './budget-form';

/** The webhook's side of an alert; empty for a console-only alert (never attempted). */
function webhookStatus(alert: BudgetAlertView): string {
  if (alert.deliveredAt) return ' · webhook delivered';
  if (alert.deliveryAttempts === 0) return '';
  const tries = `${alert.deliveryAttempts} ${alert.deliveryAttempts === 1 ? 'attempt' : 'attempts'}`;
  const error = alert.lastDeliveryError ? `, last error: ${alert.lastDeliveryError}` : '';
  return alert.nextDeliveryAt
    ? ` · webhook not delivered yet (${tries}${error}; retrying)`
    : ` · webhook failed, gave up (${tries}${error})`;
}

/** Spend and reservations against the limit: settled in solid, reserved hatched on top, capped at 100%. */
function SpendBar({ budget }: { budget: BudgetView }) {
  const limit = BigInt(budget.limitMicros);
  const share = (micros: string) =>
    limit === 0n ? 0 : Math.min(100, Number((BigInt(micros) * 10_000n) / limit) / 100);
  const spent = share(budget.spentMicros);
  const reserved = Math.min(100 - spent, share(budget.reservedMicros));
  const tone = spent >= 100 ? 'bg-red-500' : spent >= 80 ? 'bg-amber-500' : 'bg-emerald-500';
  return (
    <div
      className="mt-3 flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100"
      // The figures are in the text above; the bar only repeats them visually.
      aria-hidden="true"
    >
      <div className={tone} style={{ width: `${spent}%` }} />
      <div
        className="bg-indigo-300"
        style={{ width: `${reserved}%` }}
        title="Reserved by requests in flight"
      />
    </div>
  );
}

export function BudgetCard({
  budget,
  keys,
  teams,
  writable,
}: {
  budget: BudgetView;
  keys: ScopeOption[];
  teams: ScopeOption[];
  writable: boolean;
}) {
  return (
    <li
      className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
      data-testid="budget-row"
      data-budget-id={budget.id}
    >
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h3 className="text-base font-semibold" data-testid="budget-name">
            {budget.name}
            {!budget.enabled && <span className="ml-2 text-xs font-normal text-slate-400">disabled</span>}
          </h3>
          <p className="mt-0.5 text-sm text-slate-600">
            {budget.scope === 'global'
              ? 'whole gateway'
              : `${budget.scope}: ${budget.scopeName ?? budget.scopeId}`}{' '}
            · <span data-testid="budget-period">{budget.period}</span> ·{' '}
            <span data-testid="budget-mode">{budget.mode}</span>
            {budget.timeZone !== 'UTC' && ` · ${budget.timeZone}`}
          </p>
        </div>
        <div className="text-right text-sm">
          <p>
            <span className="font-semibold" data-testid="budget-spent">
              {formatMicrosUsd(budget.spentMicros)}
            </span>{' '}
            of{' '}
            <span className="font-semibold" data-testid="budget-limit">
              {formatMicrosUsd(budget.limitMicros)}
            </span>
            <span className="ml-1 text-slate-500">
              ({budget.percentUsed === null ? '—' : `${budget.percentUsed}%`})
            </span>
          </p>
          <p className="text-xs text-slate-500" data-testid="budget-reserved">
            {formatMicrosUsd(budget.reservedMicros)} reserved by {budget.reportingRouters}{' '}
            {budget.reportingRouters === 1 ? 'router' : 'routers'}
          </p>
        </div>
      </div>
      <SpendBar budget={budget} />
      <p className="mt-2 text-xs text-slate-500">
        Period from <LocalTime iso={budget.periodStart} />
        {budget.periodEnd ? (
          <>
            {' '}
            to <LocalTime iso={budget.periodEnd} />
          </>
        ) : (
          ' (never resets)'
        )}{' '}
        · alerts at {budget.alertThresholds.join('/')}%
      </p>

      {budget.alerts.length > 0 && (
        <details className="mt-3">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">
            Recent alerts ({budget.alerts.length})
          </summary>
          <ul className="mt-2 space-y-1 text-xs text-slate-600" data-testid="budget-alerts">
            {budget.alerts.map((alert) => (
              <li key={alert.id}>
                <LocalTime iso={alert.createdAt} />: crossed {alert.threshold}% (
                {formatMicrosUsd(alert.spendMicros)} of {formatMicrosUsd(alert.limitMicros)})
                {webhookStatus(alert)}
              </li>
            ))}
          </ul>
        </details>
      )}

      {writable && (
        <div className="mt-4 flex items-center gap-3">
          <DialogButton
            label="Edit"
            ariaLabel={`Edit ${budget.name}`}
            variant="secondary"
            buttonSize="sm"
            title={`Edit budget “${budget.name}”`}
            size="xl"
          >
            <BudgetForm budget={budget} keys={keys} teams={teams} />
          </DialogButton>
          <DestructiveActionButton
            action={deleteBudgetAction}
            id={budget.id}
            label="Delete"
            ariaLabel={`Delete ${budget.name}`}
            title={`Delete budget “${budget.name}”?`}
            description="Its limit stops applying at once and its alerts stop; spend already recorded stays in usage and cost. This cannot be undone."
            done={`Budget “${budget.name}” deleted.`}
          />
        </div>
      )}
    </li>
  );
}
