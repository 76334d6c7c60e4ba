'use client';

import {
  Bar,
  type BarProps,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatUsdNumber } from '@/lib/format';

/** One row per time bucket: the bucket's axis label, cost in dollars for the line, and the exact cost for the tooltip. */
export interface BarsAndCostRow {
  bucket: string;
  cost: number;
  costLabel: string;
  [series: string]: string | number;
}

/** A bar series on the left axis; `dataKey` names a column of the rows. */
export type BarSeries = Pick<BarProps, 'dataKey' | 'name' | 'fill' | 'stackId' | 'radius'> & {
  dataKey: string;
};

/** Counts as bars on the left axis and cost as a line on the right, per UTC time bucket. Goes in a `ChartFrame`. */
export function BarsAndCostChart({
  data,
  bars,
  leftAxis,
}: {
  data: BarsAndCostRow[];
  bars: BarSeries[];
  leftAxis: { width: number; allowDecimals?: boolean };
}) {
  return (
    <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
      <XAxis dataKey="bucket" tick={{ fontSize: 12, fill: 'currentColor' }} interval="preserveStartEnd" />
      <YAxis
        yAxisId="counts"
        allowDecimals={leftAxis.allowDecimals}
        tick={{ fontSize: 12, fill: 'currentColor' }}
        width={leftAxis.width}
      />
      <YAxis
        yAxisId="cost"
        orientation="right"
        tick={{ fontSize: 12, fill: 'currentColor' }}
        width={80}
        tickFormatter={formatUsdNumber}
      />
      <Tooltip
        formatter={(value, name, item) =>
          name === 'Cost' ? [(item.payload as BarsAndCostRow).costLabel, name] : [value, name]
        }
        labelFormatter={(label) => `${label} UTC`}
      />
      <Legend />
      {bars.map((bar) => (
        <Bar key={bar.dataKey} yAxisId="counts" isAnimationActive={false} {...bar} />
      ))}
      <Line
        yAxisId="cost"
        dataKey="cost"
        name="Cost"
        stroke="#059669"
        strokeWidth={2}
        dot={false}
        type="monotone"
        isAnimationActive={false}
      />
    </ComposedChart>
  );
}
