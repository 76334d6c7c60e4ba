'use client';

import { type BarSeries, BarsAndCostChart } from '@/components/bars-and-cost-chart';
import { ChartFrame } from '@/components/chart-frame';
import { formatMicrosUsd, formatUtcHour, microsToUsdNumber } from '@/lib/format';
import type { HourlyUsageView } from '@/server/usage';

const BARS: BarSeries[] = [
  { dataKey: 'requests', name: 'Requests', fill: '#6366f1', radius: [3, 3, 0, 0] },
  { dataKey: 'errors', name: 'Errors', fill: '#f87171', radius: [3, 3, 0, 0] },
];

export function HourlyChart({ buckets }: { buckets: HourlyUsageView[] }) {
  const data = buckets.map((bucket) => ({
    bucket: formatUtcHour(bucket.hourStart),
    requests: bucket.requests,
    errors: bucket.errors,
    cost: microsToUsdNumber(bucket.costMicros),
    costLabel: formatMicrosUsd(bucket.costMicros),
  }));
  return (
    <ChartFrame className="mt-4 h-72" testId="hourly-chart" label="Requests and cost per hour (UTC)">
      <BarsAndCostChart data={data} bars={BARS} leftAxis={{ width: 48, allowDecimals: false }} />
    </ChartFrame>
  );
}
