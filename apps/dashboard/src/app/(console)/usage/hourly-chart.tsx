'use client';

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatMicrosUsd, formatUtcHour, microsToUsdNumber } from '@/lib/format';
import type { HourlyUsageView } from '@/server/usage';

export function HourlyChart({ buckets }: { buckets: HourlyUsageView[] }) {
  const data = buckets.map((bucket) => ({
    hour: formatUtcHour(bucket.hourStart),
    requests: bucket.requests,
    errors: bucket.errors,
    cost: microsToUsdNumber(bucket.costMicros),
    costLabel: formatMicrosUsd(bucket.costMicros),
  }));
  return (
    <div
      className="mt-4 h-72"
      data-testid="hourly-chart"
      role="img"
      aria-label="Requests and cost per hour (UTC)"
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="hour" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
          <YAxis yAxisId="requests" allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
          <YAxis
            yAxisId="cost"
            orientation="right"
            tick={{ fontSize: 12 }}
            width={80}
            tickFormatter={(value: number) => formatMicrosUsd(BigInt(Math.round(value * 1_000_000)))}
          />
          <Tooltip
            formatter={(value, name, item) =>
              name === 'Cost' ? [(item.payload as { costLabel: string }).costLabel, name] : [value, name]
            }
            labelFormatter={(label) => `${label} UTC`}
          />
          <Legend />
          <Bar
            yAxisId="requests"
            dataKey="requests"
            name="Requests"
            fill="#6366f1"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
          <Bar
            yAxisId="requests"
            dataKey="errors"
            name="Errors"
            fill="#f87171"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
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
      </ResponsiveContainer>
    </div>
  );
}
