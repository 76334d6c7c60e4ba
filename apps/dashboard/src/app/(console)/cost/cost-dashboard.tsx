'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { buttonClass, filterInputClass as inputClass } from '@/components/ui/styles';
import { HIDE_BELOW, Table, type TableColumn } from '@/components/ui/table';
import { fetchAdmin } from '@/lib/fetch-admin';
import { formatInteger, formatMicrosUsd } from '@/lib/format';
import type { CostBreakdownView, CostGroupView, CostSeriesView } from '@/server/cost';
import { CostChart } from './cost-chart';
import {
  COST_GROUP_OPTIONS,
  COST_RANGES,
  type CostRange,
  costParams,
  DEFAULT_COST_RANGE,
} from './cost-settings';

const REFRESH_MS = 60_000;

const GROUP_COLUMNS: readonly TableColumn[] = [
  { label: 'Name', gutter: true },
  { label: 'Requests', align: 'right' },
  // In a half-width card below 1536 px these two give way, so Cost stays on screen.
  { label: 'Errors', align: 'right', hideBelow: '2xl' },
  { label: 'Tokens in', align: 'right', hideBelow: '2xl' },
  { label: 'Tokens out', align: 'right' },
  { label: 'Cost', align: 'right', gutter: true },
];

export function CostDashboard({
  initialSeries,
  initialBreakdown,
}: {
  initialSeries: CostSeriesView;
  initialBreakdown: CostBreakdownView;
}) {
  const [range, setRange] = useState<CostRange>(DEFAULT_COST_RANGE);
  const [granularity, setGranularity] = useState<'hour' | 'day'>('hour');
  const [groupBy, setGroupBy] = useState('');
  const isDefault = range === DEFAULT_COST_RANGE && granularity === 'hour' && groupBy === '';
  // The window is fixed when the settings change, so the query key (and the CSV link) stays stable.
  const params = useMemo(
    () => costParams(range, granularity, groupBy, Date.now()).toString(),
    [range, granularity, groupBy],
  );

  const series = useQuery({
    queryKey: ['cost-series', params],
    queryFn: () => fetchAdmin<CostSeriesView>(`/cost/series?${params}`),
    initialData: isDefault ? initialSeries : undefined,
    refetchInterval: REFRESH_MS,
  });
  const breakdown = useQuery({
    queryKey: ['cost-breakdown', params],
    queryFn: () => fetchAdmin<CostBreakdownView>(`/cost/breakdown?${params}`),
    initialData: isDefault ? initialBreakdown : undefined,
    refetchInterval: REFRESH_MS,
  });
  const totals = breakdown.data?.totals;
  const error = series.error ?? breakdown.error;

  return (
    <>
      <section
        aria-labelledby="cost-heading"
        className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      >
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <h2 id="cost-heading" className="text-base font-semibold">
              Cost and tokens
              {(series.isFetching || breakdown.isFetching) && (
                <span className="ml-2 text-xs font-normal text-slate-400">refreshing…</span>
              )}
            </h2>
            {totals && (
              <p className="mt-1 text-sm text-slate-600">
                <span data-testid="cost-total">{formatMicrosUsd(totals.costMicros)}</span> ·{' '}
                {formatInteger(totals.requests)} requests · {formatInteger(totals.inputTokens)} in /{' '}
                {formatInteger(totals.outputTokens)} out tokens
              </p>
            )}
          </div>
          <div className="flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor="cost-range" className="block text-xs font-medium text-slate-600">
                Range
              </label>
              <select
                id="cost-range"
                value={range}
                onChange={(e) => setRange(e.target.value as CostRange)}
                className={inputClass}
              >
                {COST_RANGES.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="cost-granularity" className="block text-xs font-medium text-slate-600">
                Per
              </label>
              <select
                id="cost-granularity"
                value={granularity}
                onChange={(e) => setGranularity(e.target.value as 'hour' | 'day')}
                className={inputClass}
              >
                <option value="hour">hour</option>
                <option value="day">day</option>
              </select>
            </div>
            <div>
              <label htmlFor="cost-group" className="block text-xs font-medium text-slate-600">
                Group by
              </label>
              <select
                id="cost-group"
                value={groupBy}
                onChange={(e) => setGroupBy(e.target.value)}
                className={inputClass}
              >
                {COST_GROUP_OPTIONS.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            </div>
            <a
              href={`/api/admin/v1/cost/export.csv?${params}`}
              download="switchyard-cost.csv"
              data-testid="cost-csv"
              className={buttonClass('secondary')}
            >
              Export CSV
            </a>
          </div>
        </div>
        {error && (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error.message}
          </p>
        )}
        {series.data && (
          <CostChart
            items={series.data.items}
            from={series.data.from}
            to={series.data.to}
            granularity={series.data.granularity}
            grouped={series.data.groupBy !== null}
          />
        )}
      </section>

      <div className="grid gap-6 *:min-w-0 lg:grid-cols-2">
        {breakdown.data && breakdown.data.groupBy !== null && (
          <GroupTable
            title={`By ${breakdown.data.groupBy}`}
            rows={breakdown.data.groups}
            testId="cost-groups"
          />
        )}
        <GroupTable title="Top keys" rows={breakdown.data?.topKeys ?? []} testId="cost-top-keys" />
        <GroupTable title="Top models" rows={breakdown.data?.topModels ?? []} testId="cost-top-models" />
      </div>
    </>
  );
}

function GroupTable({ title, rows, testId }: { title: string; rows: CostGroupView[]; testId: string }) {
  return (
    <section className="rounded-xl border border-slate-200 bg-white shadow-sm" data-testid={testId}>
      <h3 className="px-6 pt-5 text-base font-semibold">{title}</h3>
      {rows.length === 0 ? (
        <p className="px-6 py-6 text-sm text-slate-500">No usage in this window.</p>
      ) : (
        <Table columns={GROUP_COLUMNS}>
          {rows.map((row) => (
            <tr key={row.group}>
              <td className="px-6 py-2 whitespace-nowrap" title={row.group}>
                <span className="block max-w-[14rem] truncate">{row.label}</span>
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatInteger(row.requests)}</td>
              <td className={`px-3 py-2 text-right tabular-nums ${HIDE_BELOW['2xl']}`}>
                {formatInteger(row.errors)}
              </td>
              <td className={`px-3 py-2 text-right tabular-nums ${HIDE_BELOW['2xl']}`}>
                {formatInteger(row.inputTokens)}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatInteger(row.outputTokens)}</td>
              <td className="px-6 py-2 text-right tabular-nums">{formatMicrosUsd(row.costMicros)}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
