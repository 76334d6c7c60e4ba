'use client';

import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { AttemptsTable } from '@/components/attempts-table';
import { LocalTime } from '@/components/local-time';
import { StatusBadge } from '@/components/ui/badge';
import { filterInputClass as inputClass } from '@/components/ui/styles';
import { Table, type TableColumn } from '@/components/ui/table';
import { fetchAdmin } from '@/lib/fetch-admin';
import { formatInteger, formatMicrosUsd, formatMs } from '@/lib/format';
import { formatProtocols } from '@/lib/format-protocols';
import { usageSurfaces } from '@/lib/usage-surfaces';
import type { HourlyUsageView, UsageEventView } from '@/server/usage';
import { HourlyChart } from './hourly-chart';
import { EVENTS_PAGE_SIZE, HOURLY_WINDOW_HOURS } from './usage-settings';

const EVENTS_REFRESH_MS = 3_000;
const HOURLY_REFRESH_MS = 15_000;

const statuses = ['success', 'error', 'interrupted', 'client_cancelled', 'rejected'] as const;

interface EventsPage {
  items: UsageEventView[];
  nextCursor: string | null;
}

interface HourlySeries {
  hours: number;
  items: HourlyUsageView[];
}

const USAGE_COLUMNS: readonly TableColumn[] = [
  { label: 'Time', gutter: true },
  { label: 'Key' },
  { label: 'Model' },
  { label: 'Protocol' },
  { label: 'Served model' },
  { label: 'Account' },
  { label: 'Status' },
  { label: 'Attempts', align: 'right' },
  { label: 'HTTP', align: 'right' },
  { label: 'Latency', align: 'right' },
  { label: 'TTFT', align: 'right' },
  { label: 'Tokens in', align: 'right' },
  { label: 'Tokens out', align: 'right' },
  { label: 'Cost', align: 'right', gutter: true },
];

export function UsageDashboard({
  initialEvents,
  initialHourly,
}: {
  initialEvents: EventsPage;
  initialHourly: HourlySeries;
}) {
  const [model, setModel] = useState('');
  const [status, setStatus] = useState('');
  const [surface, setSurface] = useState('');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (requestId: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(requestId)) next.add(requestId);
      return next;
    });
  const filtered = model !== '' || status !== '' || surface !== '';

  const query = new URLSearchParams({ limit: String(EVENTS_PAGE_SIZE) });
  if (model !== '') query.set('model', model);
  if (status !== '') query.set('status', status);
  if (surface !== '') query.set('surface', surface);

  const events = useQuery({
    queryKey: ['usage-events', model, status, surface],
    queryFn: () => fetchAdmin<EventsPage>(`/usage/events?${query}`),
    initialData: filtered ? undefined : initialEvents,
    refetchInterval: EVENTS_REFRESH_MS,
  });
  const hourly = useQuery({
    queryKey: ['usage-hourly', HOURLY_WINDOW_HOURS],
    queryFn: () => fetchAdmin<HourlySeries>(`/usage/hourly?hours=${HOURLY_WINDOW_HOURS}`),
    initialData: initialHourly,
    refetchInterval: HOURLY_REFRESH_MS,
  });

  const totals = hourly.data.items.reduce(
    (sum, bucket) => ({
      requests: sum.requests + bucket.requests,
      cost: sum.cost + BigInt(bucket.costMicros),
    }),
    { requests: 0, cost: 0n },
  );

  return (
    <>
      <section
        aria-labelledby="hourly-heading"
        className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      >
        <div className="flex flex-wrap items-baseline justify-between gap-4">
          <h2 id="hourly-heading" className="text-base font-semibold">
            Last {HOURLY_WINDOW_HOURS} hours
          </h2>
          <p className="text-sm text-slate-600">
            <span data-testid="hourly-requests">{formatInteger(totals.requests)}</span> requests ·{' '}
            <span data-testid="hourly-cost">{formatMicrosUsd(totals.cost)}</span>
          </p>
        </div>
        <HourlyChart buckets={hourly.data.items} />
      </section>

      <section
        aria-labelledby="events-heading"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <div className="flex flex-wrap items-end justify-between gap-4 px-6 pt-5">
          <h2 id="events-heading" className="text-base font-semibold">
            Latest requests
            {events.isFetching && (
              <span className="ml-2 text-xs font-normal text-slate-400">refreshing…</span>
            )}
          </h2>
          <div className="flex gap-3">
            <div>
              <label htmlFor="filter-model" className="block text-xs font-medium text-slate-600">
                Model
              </label>
              <input
                id="filter-model"
                value={model}
                onChange={(event) => setModel(event.target.value.trim())}
                placeholder="any"
                className={inputClass}
              />
            </div>
            <div>
              <label htmlFor="filter-status" className="block text-xs font-medium text-slate-600">
                Status
              </label>
              <select
                id="filter-status"
                value={status}
                onChange={(event) => setStatus(event.target.value)}
                className={inputClass}
              >
                <option value="">any</option>
                {statuses.map((value) => (
                  <option key={value} value={value}>
                    {value}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="filter-surface" className="block text-xs font-medium text-slate-600">
                Protocol
              </label>
              <select
                id="filter-surface"
                value={surface}
                onChange={(event) => setSurface(event.target.value)}
                className={inputClass}
              >
                <option value="">any</option>
                {usageSurfaces.map((value) => (
                  <option key={value} value={value}>
                    {value}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </div>
        {events.error && (
          <p role="alert" className="mx-6 mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {events.error.message}
          </p>
        )}
        <Table columns={USAGE_COLUMNS}>
          {(events.data?.items ?? []).map((event) => (
            <Fragment key={event.requestId}>
              <tr data-testid="usage-row" data-request-id={event.requestId}>
                <td className="px-6 py-2 whitespace-nowrap text-slate-600" title={event.requestId}>
                  <LocalTime iso={event.createdAt} />
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  {event.keyName ?? <span className="text-slate-400">{event.keyId ?? '—'}</span>}
                  {event.keyPrefix && (
                    <span className="ml-1 font-mono text-xs text-slate-400">{event.keyPrefix}</span>
                  )}
                </td>
                <td className="px-3 py-2 whitespace-nowrap font-mono text-xs">{event.requestedModel}</td>
                <td className="px-3 py-2 whitespace-nowrap font-mono text-xs" data-testid="usage-protocol">
                  {formatProtocols(event.surface, event.upstreamProtocol)}
                </td>
                <td className="px-3 py-2 whitespace-nowrap font-mono text-xs text-slate-600">
                  {event.servedModel ?? '—'}
                </td>
                <td className="px-3 py-2 whitespace-nowrap" data-testid="served-account">
                  {event.servedAccountName ?? event.servedAccountId ?? '—'}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  <StatusBadge status={event.status} />
                  {event.errorClass && (
                    <span className="ml-1 text-xs text-slate-500">{event.errorClass}</span>
                  )}
                </td>
                <td className="px-3 py-2 text-right">
                  {event.attempts.length === 0 ? (
                    <span className="text-slate-400">0</span>
                  ) : (
                    <button
                      type="button"
                      aria-expanded={expanded.has(event.requestId)}
                      aria-controls={`attempts-${event.requestId}`}
                      aria-label={`${expanded.has(event.requestId) ? 'Hide' : 'Show'} ${event.attempts.length} ${event.attempts.length === 1 ? 'attempt' : 'attempts'} of ${event.requestId}`}
                      onClick={() => toggle(event.requestId)}
                      className="rounded px-1.5 py-0.5 tabular-nums text-indigo-700 hover:bg-indigo-50"
                    >
                      {event.attempts.length} {expanded.has(event.requestId) ? '▾' : '▸'}
                    </button>
                  )}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{event.httpStatus}</td>
                <td className="px-3 py-2 whitespace-nowrap text-right tabular-nums">
                  {formatMs(event.latencyMs)}
                </td>
                <td className="px-3 py-2 whitespace-nowrap text-right tabular-nums">
                  {formatMs(event.ttftMs)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatInteger(event.inputTokens)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatInteger(event.outputTokens)}</td>
                <td className="px-6 py-2 whitespace-nowrap text-right tabular-nums">
                  {event.costEstimated && <StatusBadge status="estimated" testId="cost-estimated" />}
                  {event.unpriced && <StatusBadge status="unpriced" testId="cost-unpriced" />}{' '}
                  {formatMicrosUsd(event.costMicros)}
                </td>
              </tr>
              {expanded.has(event.requestId) && (
                <tr id={`attempts-${event.requestId}`} data-testid="usage-attempts">
                  <td colSpan={USAGE_COLUMNS.length} className="bg-slate-50 px-6 py-3">
                    <p className="mb-2 text-xs text-slate-600" data-testid="usage-detail-protocol">
                      Caller spoke <span className="font-mono">{event.surface ?? '—'}</span>; served over{' '}
                      <span className="font-mono">{event.upstreamProtocol ?? '—'}</span>
                    </p>
                    <AttemptsTable attempts={event.attempts} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </Table>
        {events.data?.items.length === 0 && (
          <p className="px-6 py-8 text-sm text-slate-500">
            {filtered ? 'No requests match these filters.' : 'No requests yet.'}
          </p>
        )}
      </section>
    </>
  );
}
