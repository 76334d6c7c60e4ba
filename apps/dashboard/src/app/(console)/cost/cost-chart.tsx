'use client';

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { type BarSeries, BarsAndCostChart } from '@/components/bars-and-cost-chart';
import { ChartFrame } from '@/components/chart-frame';
import { bucketStarts, seriesColors } from '@/lib/chart-series';
import { formatMicrosUsd, formatUsdNumber, microsToUsdNumber } from '@/lib/format';
import type { CostPointView } from '@/server/cost';

/** Groups drawn separately; the rest are summed as "other" so the chart stays readable. */
const MAX_GROUPS = 6;

const TOKEN_BARS: BarSeries[] = [
  { dataKey: 'input', name: 'Input tokens', stackId: 'tokens', fill: '#a5b4fc' },
  { dataKey: 'output', name: 'Output tokens', stackId: 'tokens', fill: '#6366f1' },
];

function tick(iso: string, granularity: 'hour' | 'day'): string {
  return granularity === 'hour' ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/** Ungrouped: tokens per bucket as bars and cost as a line. Grouped: cost per bucket stacked by group. */
export function CostChart({
  items,
  from,
  to,
  granularity,
  grouped,
}: {
  items: CostPointView[];
  /** The window the server read (rounded to whole buckets): every bucket in it gets a column, empty or not. */
  from: string;
  to: string;
  granularity: 'hour' | 'day';
  grouped: boolean;
}) {
  if (!grouped) {
    const data = items.map((item) => ({
      bucket: tick(item.bucketStart, granularity),
      input: item.inputTokens,
      output: item.outputTokens,
      cost: microsToUsdNumber(item.costMicros),
      costLabel: formatMicrosUsd(item.costMicros),
    }));
    return (
      <ChartFrame className="mt-4 h-80" testId="cost-chart" label="Cost and tokens over time (UTC)">
        <BarsAndCostChart data={data} bars={TOKEN_BARS} leftAxis={{ width: 64 }} />
      </ChartFrame>
    );
  }

  // Pivot: one row per bucket, one column per top group (by total cost), the rest summed as "other".
  const totals = new Map<string, bigint>();
  for (const item of items) {
    const label = item.label ?? '';
    totals.set(label, (totals.get(label) ?? 0n) + BigInt(item.costMicros));
  }
  const ranked = [...totals.entries()]
    .sort((a, b) => (a[1] === b[1] ? 0 : a[1] > b[1] ? -1 : 1))
    .map(([label]) => label);
  const shown = ranked.slice(0, MAX_GROUPS);
  const series = ranked.length > MAX_GROUPS ? [...shown, 'other'] : shown;
  const colors = seriesColors(series);
  const rows = new Map<string, Record<string, number | string>>(
    bucketStarts(from, to, granularity).map((start) => {
      const bucket = tick(start, granularity);
      return [bucket, { bucket }];
    }),
  );
  for (const item of items) {
    const bucket = tick(item.bucketStart, granularity);
    const row = rows.get(bucket) ?? { bucket };
    const column = shown.includes(item.label ?? '') ? (item.label ?? '') : 'other';
    row[column] = ((row[column] as number | undefined) ?? 0) + microsToUsdNumber(item.costMicros);
    rows.set(bucket, row);
  }
  return (
    <ChartFrame className="mt-4 h-80" testId="cost-chart" label="Cost per group over time (UTC)">
      <BarChart data={[...rows.values()]} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
        <XAxis dataKey="bucket" tick={{ fontSize: 12, fill: 'currentColor' }} interval="preserveStartEnd" />
        <YAxis tick={{ fontSize: 12, fill: 'currentColor' }} width={80} tickFormatter={formatUsdNumber} />
        <Tooltip
          formatter={(value) => formatUsdNumber(Number(value))}
          labelFormatter={(label) => `${label} UTC`}
        />
        <Legend />
        {series.map((name) => (
          <Bar
            key={name}
            dataKey={name}
            name={name}
            stackId="cost"
            fill={colors.get(name)}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
