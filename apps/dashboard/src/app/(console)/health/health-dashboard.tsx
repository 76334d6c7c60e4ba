'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { LocalTime } from '@/components/local-time';
import { StatusBadge } from '@/components/ui/badge';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Table, type TableColumn } from '@/components/ui/table';
import { fetchAdmin } from '@/lib/fetch-admin';
import { formatDuration, formatInteger, formatPercent, formatUtc } from '@/lib/format';
import type { HealthReport, HealthRouteView, HealthTargetView } from '@/server/health';
import {
  type DrillActionResult,
  resetCredentialAction,
  setAccountEnabledAction,
  setTargetEnabledAction,
} from './actions';

/** Routers write their health every ~2 s; reading as often shows a breaker opening as it happens. */
const HEALTH_REFRESH_MS = 2_000;
const HEALTH_QUERY_KEY = ['health'] as const;

const HEALTH_COLUMNS: readonly TableColumn[] = [
  { label: 'Tier', gutter: true },
  { label: 'Account' },
  { label: 'Upstream model' },
  { label: 'Weight', align: 'right' },
  { label: 'Status' },
  { label: 'Breaker' },
  { label: 'Error rate', align: 'right' },
  { label: 'Requests', align: 'right' },
  { label: 'p50 / p95', align: 'right' },
  { label: 'Reported' },
];

const buttonClass =
  'rounded-md border px-2.5 py-1 text-xs font-medium whitespace-nowrap disabled:opacity-60 disabled:cursor-not-allowed';

export function HealthDashboard({
  initialReport,
  writable,
}: {
  initialReport: HealthReport;
  writable: boolean;
}) {
  const report = useQuery({
    queryKey: HEALTH_QUERY_KEY,
    queryFn: () => fetchAdmin<HealthReport>('/health'),
    initialData: initialReport,
    refetchInterval: HEALTH_REFRESH_MS,
  });

  return (
    <>
      {report.error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {report.error.message}
        </p>
      )}
      {report.data.routes.length === 0 && (
        <p className="rounded-xl border border-slate-200 bg-white px-6 py-8 text-sm text-slate-500 shadow-sm">
          No routes yet.
        </p>
      )}
      {report.data.routes.map((route) => (
        <RouteHealth
          key={route.id}
          route={route}
          now={Date.parse(report.data.generatedAt)}
          writable={writable}
        />
      ))}
    </>
  );
}

/** `now` is the report's own time, so ages read the same on the server render and in the browser. */
function RouteHealth({ route, now, writable }: { route: HealthRouteView; now: number; writable: boolean }) {
  const headingId = `health-${route.id}`;
  const columns = writable
    ? [...HEALTH_COLUMNS, { label: 'Actions', srOnly: true, gutter: true }]
    : HEALTH_COLUMNS;
  return (
    <section
      aria-labelledby={headingId}
      data-testid="health-route"
      data-route={route.publicModel}
      className="rounded-xl border border-slate-200 bg-white shadow-sm"
    >
      <h2 id={headingId} className="flex items-center gap-2 px-6 pt-5 text-base font-semibold">
        <span className="font-mono">{route.publicModel}</span>
        {!route.enabled && <StatusBadge status="disabled" />}
      </h2>
      <Table columns={columns}>
        {route.targets.map((target) => (
          <TargetRow key={target.targetId} routeId={route.id} target={target} now={now} writable={writable} />
        ))}
      </Table>
    </section>
  );
}

function TargetRow({
  routeId,
  target,
  now,
  writable,
}: {
  routeId: string;
  target: HealthTargetView;
  now: number;
  writable: boolean;
}) {
  const { health, account } = target;
  const accountName = account?.name ?? 'unknown account';
  const stale = health?.stale ?? false;
  const coolingMs = health?.coolingUntil ? Date.parse(health.coolingUntil) - now : 0;
  return (
    <tr
      data-testid="health-target"
      data-target-id={target.targetId}
      data-account={accountName}
      className={target.availability === 'disabled' ? 'bg-slate-50/60 text-slate-500' : undefined}
    >
      <td className="px-6 py-2 tabular-nums">{target.tier}</td>
      <td className="px-3 py-2 whitespace-nowrap">
        <span className="font-medium">{accountName}</span>
        {target.provider && <span className="ml-1 text-xs text-slate-400">{target.provider.name}</span>}
        {!target.enabled.account && <span className="ml-1 text-xs text-slate-500">(account off)</span>}
        {!target.enabled.provider && <span className="ml-1 text-xs text-slate-500">(provider off)</span>}
        {account?.credentialRejectedAt && (
          <CredentialRejected
            accountId={account.id}
            accountName={accountName}
            rejectedAt={account.credentialRejectedAt}
            error={account.credentialError}
            writable={writable}
          />
        )}
      </td>
      <td className="px-3 py-2 whitespace-nowrap font-mono text-xs">{target.upstreamModel}</td>
      <td className="px-3 py-2 text-right tabular-nums">{target.weight}</td>
      <td className="px-3 py-2 whitespace-nowrap">
        <StatusBadge status={target.availability} testId="target-availability" />
        {coolingMs > 0 && (
          <span
            className="ml-1 text-xs text-slate-500"
            title={health?.coolingUntil ? `429 cool-down until ${formatUtc(health.coolingUntil)}` : undefined}
          >
            {formatDuration(coolingMs)} left
          </span>
        )}
      </td>
      <td className="px-3 py-2 whitespace-nowrap">
        {health ? (
          <>
            <StatusBadge status={health.state} testId="breaker-state" />
            {health.consecutiveFailures > 0 && (
              <span className="ml-1 text-xs text-slate-500" title="consecutive failures">
                ×{health.consecutiveFailures}
              </span>
            )}
            {health.lastErrorClass && (
              <span className="block text-xs text-slate-500" title="last error">
                {health.lastErrorClass}
              </span>
            )}
          </>
        ) : (
          <span className="text-slate-400">—</span>
        )}
      </td>
      <td className="px-3 py-2 text-right tabular-nums" data-testid="error-rate">
        {health ? formatPercent(health.failureRate) : '—'}
      </td>
      <td className="px-3 py-2 text-right tabular-nums">{formatInteger(health?.requests ?? null)}</td>
      <td className="px-3 py-2 whitespace-nowrap text-right tabular-nums">
        {health?.latencyP50Ms == null ? '—' : formatInteger(health.latencyP50Ms)} /{' '}
        {health?.latencyP95Ms == null ? '—' : `${formatInteger(health.latencyP95Ms)} ms`}
      </td>

      <td className="px-3 py-2 whitespace-nowrap text-xs text-slate-600">
        {health ? (
          <span title={`${formatUtc(health.updatedAt)} by router ${health.instanceId}`}>
            {formatDuration(now - Date.parse(health.updatedAt))} ago
            {stale && (
              <span
                className="ml-1 rounded bg-amber-100 px-1 text-amber-800"
                title="the router stopped reporting"
              >
                stale
              </span>
            )}
          </span>
        ) : (
          'never'
        )}
        {target.instances.length > 1 && (
          <span className="ml-1 text-slate-400">({target.instances.length} routers)</span>
        )}
      </td>
      {writable && (
        <td className="px-6 py-2 text-right">
          <div className="flex flex-col items-end gap-1">
            <DrillButton
              label={target.enabled.target ? 'Disable target' : 'Enable target'}
              ariaLabel={`${target.enabled.target ? 'Disable' : 'Enable'} target ${accountName} ${target.upstreamModel}`}
              danger={target.enabled.target}
              confirm={`Routers stop sending requests for this route to ${accountName} ${target.upstreamModel} within about a second; the route fails over to its other targets, or fails if it has none. Enable it again here.`}
              run={() => setTargetEnabledAction(routeId, target.targetId, !target.enabled.target)}
            />
            {account && (
              <DrillButton
                label={target.enabled.account ? 'Disable account' : 'Enable account'}
                ariaLabel={`${target.enabled.account ? 'Disable' : 'Enable'} account ${accountName}`}
                danger={target.enabled.account}
                confirm={`Routers stop sending any request to ${accountName}, on every route, within about a second; routes fail over to their other targets. Enable it again here.`}
                run={() => setAccountEnabledAction(account.id, !target.enabled.account)}
              />
            )}
          </div>
        </td>
      )}
    </tr>
  );
}

function CredentialRejected({
  accountId,
  accountName,
  rejectedAt,
  error,
  writable,
}: {
  accountId: string;
  accountName: string;
  rejectedAt: string;
  error: string | null;
  writable: boolean;
}) {
  return (
    <div className="mt-1 flex items-center gap-2" data-testid="credential-rejected">
      <span className="text-xs text-red-700" title={error ?? undefined}>
        Credential rejected <LocalTime iso={rejectedAt} />
        {error ? `: ${error}` : ''}
      </span>
      {writable && (
        <DrillButton
          label="Reset credential"
          ariaLabel={`Reset credential of ${accountName}`}
          danger={false}
          run={() => resetCredentialAction(accountId)}
        />
      )}
    </div>
  );
}

/** One drill switch: runs a server action, then refetches the report so the table shows the new state. */
function DrillButton({
  label,
  ariaLabel,
  danger,
  confirm,
  run,
}: {
  label: string;
  ariaLabel: string;
  danger: boolean;
  /** What switching it off does; a dangerous switch asks first with this. */
  confirm?: string;
  run: () => Promise<DrillActionResult>;
}) {
  const queryClient = useQueryClient();
  if (danger && confirm) {
    return (
      <ConfirmButton
        label={label}
        ariaLabel={ariaLabel}
        title={`${ariaLabel}?`}
        description={confirm}
        confirmLabel={label}
        destructive
        done={`${ariaLabel}: done.`}
        run={async () => {
          const result = await run();
          return result.error ? { ok: false, message: result.error } : { ok: true };
        }}
        afterSuccess={() => void queryClient.invalidateQueries({ queryKey: HEALTH_QUERY_KEY })}
      />
    );
  }
  return <SwitchButton label={label} ariaLabel={ariaLabel} danger={danger} run={run} />;
}

/** A switch that needs no confirmation (switching back on, resetting a credential): runs at once. */
function SwitchButton({
  label,
  ariaLabel,
  danger,
  run,
}: {
  label: string;
  ariaLabel: string;
  danger: boolean;
  run: () => Promise<DrillActionResult>;
}) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: run,
    onSuccess: async (result) => {
      setError(result.error);
      await queryClient.invalidateQueries({ queryKey: HEALTH_QUERY_KEY });
    },
    onError: (failure) => setError(failure.message),
  });
  return (
    <span className="inline-flex items-center gap-1">
      <button
        type="button"
        aria-label={ariaLabel}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate()}
        className={`${buttonClass} ${
          danger
            ? 'border-red-200 text-red-700 hover:bg-red-50'
            : 'border-slate-300 text-slate-700 hover:bg-slate-50'
        }`}
      >
        {mutation.isPending ? '…' : label}
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </span>
  );
}
