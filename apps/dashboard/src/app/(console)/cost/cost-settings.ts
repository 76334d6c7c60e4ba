/** Shared by the server page (first render) and the client dashboard. */
export const COST_RANGES = [
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

export type CostRange = (typeof COST_RANGES)[number]['value'];

export const DEFAULT_COST_RANGE: CostRange = '7d';

export const COST_GROUP_OPTIONS = [
  { value: '', label: 'nothing' },
  { value: 'team', label: 'team' },
  { value: 'key', label: 'key' },
  { value: 'model', label: 'model' },
  { value: 'provider', label: 'provider' },
  { value: 'environment', label: 'environment' },
  { value: 'status', label: 'status' },
  { value: 'tag', label: 'tag (last 7 days max)' },
] as const;

/** The admin API query for a range, granularity and grouping. */
export function costParams(
  range: CostRange,
  granularity: 'hour' | 'day',
  groupBy: string,
  now: number,
): URLSearchParams {
  const ms = COST_RANGES.find((option) => option.value === range)?.ms ?? COST_RANGES[1].ms;
  const params = new URLSearchParams({ from: new Date(now - ms).toISOString(), granularity });
  if (groupBy !== '') params.set('groupBy', groupBy);
  return params;
}
