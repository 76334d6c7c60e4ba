import { formatUsdMicros } from '@switchyard/core';
import type { CostGroupBy, CostQuery, CostTotals } from '@switchyard/db/admin';
import { z } from 'zod';
import { csvField } from '../lib/csv-field';
import type { Actor } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso } from './iso-time';
import { readableTeamIds } from './permissions';

export const costGroupBys = ['team', 'key', 'model', 'provider', 'environment', 'status', 'tag'] as const;
export const costGranularities = ['hour', 'day'] as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The window when `from` is absent. */
export const DEFAULT_COST_WINDOW_MS = 7 * DAY_MS;
/** Most buckets one query may span: a month of hours, a year and a month of days. */
const MAX_BUCKETS = { hour: 31 * 24, day: 400 } as const;
/**
 * Tags are not a rollup dimension (a request may carry several), so grouping by tag reads raw events; the
 * window is bounded to keep that scan small.
 */
export const MAX_TAG_WINDOW_MS = 7 * DAY_MS;
/** Rows of the breakdown tables. */
const TOP_GROUPS = 50;
const TOP_ITEMS = 10;

export const costQuery = z.object({
  /** Start (inclusive), ISO 8601 with a zone; rounded down to the bucket. Default: `to` minus 7 days. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** End (exclusive), ISO 8601 with a zone; rounded up to the bucket. Default: now. */
  to: z.iso.datetime({ offset: true }).optional(),
  granularity: z.enum(costGranularities).default('hour'),
  groupBy: z.enum(costGroupBys).optional(),
});

export type CostQueryInput = z.infer<typeof costQuery>;

/** Totals with money as integer micro-USD in a decimal string. */
export interface CostTotalsView {
  requests: number;
  errors: number;
  streamRequests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costMicros: string;
}

/** One bucket (of one group, when grouped). `group` is the raw id ('' when absent), `label` a readable name. */
export interface CostPointView extends CostTotalsView {
  bucketStart: string;
  group: string | null;
  label: string | null;
}

export interface CostGroupView extends CostTotalsView {
  group: string;
  label: string;
}

/** The window actually read, after rounding to whole buckets. */
export interface CostWindowView {
  from: string;
  to: string;
  granularity: CostQuery['granularity'];
  groupBy: CostGroupBy | null;
}

export interface CostSeriesView extends CostWindowView {
  /** Ungrouped: every bucket of the window, empty ones as zeros. Grouped: non-empty buckets only. */
  items: CostPointView[];
}

export interface CostBreakdownView extends CostWindowView {
  totals: CostTotalsView;
  /** Totals per `groupBy` group, most expensive first (top 50); empty when not grouped. */
  groups: CostGroupView[];
  /** The 10 most expensive keys and models in the window. */
  topKeys: CostGroupView[];
  topModels: CostGroupView[];
}

function toTotalsView(totals: CostTotals): CostTotalsView {
  return {
    requests: totals.requests,
    errors: totals.errors,
    streamRequests: totals.streamRequests,
    inputTokens: Number(totals.inputTokens),
    outputTokens: Number(totals.outputTokens),
    cachedInputTokens: Number(totals.cachedInputTokens),
    costMicros: totals.costMicros.toString(),
  };
}

const ZERO: CostTotals = {
  requests: 0,
  errors: 0,
  streamRequests: 0,
  inputTokens: 0n,
  outputTokens: 0n,
  cachedInputTokens: 0n,
  costMicros: 0n,
};

/** The validated, bucket-aligned window of a query. */
export function resolveCostQuery(query: CostQueryInput, now: number): CostQuery {
  const unit = query.granularity === 'hour' ? HOUR_MS : DAY_MS;
  const rawTo = query.to === undefined ? now : Date.parse(query.to);
  const rawFrom = query.from === undefined ? rawTo - DEFAULT_COST_WINDOW_MS : Date.parse(query.from);
  const from = Math.floor(rawFrom / unit) * unit;
  const to = Math.ceil(rawTo / unit) * unit;
  if (from >= to) throw new AdminError('invalid_request', 'from: must be before to', 'from');
  const groupBy = query.groupBy ?? null;
  if ((to - from) / unit > MAX_BUCKETS[query.granularity]) {
    throw new AdminError(
      'invalid_request',
      `from: the window spans more than ${MAX_BUCKETS[query.granularity]} ${query.granularity} buckets; narrow it or use granularity=day`,
      'from',
    );
  }
  if (groupBy === 'tag' && to - from > MAX_TAG_WINDOW_MS) {
    throw new AdminError(
      'invalid_request',
      'groupBy: grouping by tag reads raw usage events and is limited to a 7-day window; narrow from/to',
      'groupBy',
    );
  }
  return { from, to, granularity: query.granularity, groupBy };
}

/** The query narrowed to the teams the actor may read (a member: their own team's usage only). */
function scopedCostQuery(actor: Actor, query: CostQuery): CostQuery {
  const teamIds = readableTeamIds(actor);
  return teamIds === undefined ? query : { ...query, teamIds };
}

function windowView(query: CostQuery): CostWindowView {
  return { from: iso(query.from), to: iso(query.to), granularity: query.granularity, groupBy: query.groupBy };
}

/** Readable names for group ids: key, team and provider names; '' reads "(none)". */
async function groupLabels(
  ctx: AdminContext,
  groupBy: CostGroupBy,
  groups: string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(groups.filter((group) => group !== ''))];
  let named: { id: string; name: string }[] = [];
  if (groupBy === 'key') named = await ctx.repos.apiKeys.findManyByIds(ids);
  else if (groupBy === 'team') named = await ctx.repos.teams.findManyByIds(ids);
  else if (groupBy === 'provider') named = await ctx.repos.providers.list();
  const labels = new Map(named.map((item) => [item.id, item.name]));
  return new Map(groups.map((group) => [group, group === '' ? '(none)' : (labels.get(group) ?? group)]));
}

/** Cost and tokens over time from the rollup tables (never raw events, except for `groupBy=tag`). */
export async function costSeries(
  ctx: AdminContext,
  actor: Actor,
  input: CostQueryInput,
  /** A key's page: only that key's requests (its caller checks the actor may read the key). */
  only: { keyId?: string } = {},
): Promise<CostSeriesView> {
  const query = { ...scopedCostQuery(actor, resolveCostQuery(input, ctx.now().getTime())), ...only };
  return { ...windowView(query), items: await seriesItems(ctx, query) };
}

/** The points of a resolved query's window. */
async function seriesItems(ctx: AdminContext, query: CostQuery): Promise<CostPointView[]> {
  const rows = await ctx.repos.cost.series(query);
  if (query.groupBy === null) {
    const unit = query.granularity === 'hour' ? HOUR_MS : DAY_MS;
    const byBucket = new Map(rows.map((row) => [row.bucketStart, row]));
    const items: CostPointView[] = [];
    for (let at = query.from; at < query.to; at += unit) {
      items.push({
        bucketStart: iso(at),
        group: null,
        label: null,
        ...toTotalsView(byBucket.get(at) ?? ZERO),
      });
    }
    return items;
  }
  const labels = await groupLabels(
    ctx,
    query.groupBy,
    rows.map((row) => row.group ?? ''),
  );
  return rows.map((row) => ({
    bucketStart: iso(row.bucketStart),
    group: row.group,
    label: labels.get(row.group ?? '') ?? row.group,
    ...toTotalsView(row),
  }));
}

export async function costBreakdown(
  ctx: AdminContext,
  actor: Actor,
  input: CostQueryInput,
): Promise<CostBreakdownView> {
  const query = scopedCostQuery(actor, resolveCostQuery(input, ctx.now().getTime()));
  const labelled = async (groupBy: CostGroupBy, limit: number): Promise<CostGroupView[]> => {
    const rows = await ctx.repos.cost.totals({ ...query, groupBy }, limit);
    const labels = await groupLabels(
      ctx,
      groupBy,
      rows.map((row) => row.group),
    );
    return rows.map((row) => ({
      group: row.group,
      label: labels.get(row.group) ?? row.group,
      ...toTotalsView(row),
    }));
  };
  const groups: Promise<CostGroupView[]> =
    query.groupBy === null ? Promise.resolve([]) : labelled(query.groupBy, TOP_GROUPS);
  // Totals come back in a fixed order (cost, requests, group), so when the query already groups by key or
  // model the top 10 are the first rows of the groups: no second scan of the window.
  const top = (groupBy: CostGroupBy): Promise<CostGroupView[]> =>
    query.groupBy === groupBy
      ? groups.then((rows) => rows.slice(0, TOP_ITEMS))
      : labelled(groupBy, TOP_ITEMS);
  const [totals, groupViews, topKeys, topModels] = await Promise.all([
    ctx.repos.cost.totals({ ...query, groupBy: null }, 1),
    groups,
    top('key'),
    top('model'),
  ]);
  return {
    ...windowView(query),
    totals: toTotalsView(totals[0] ?? ZERO),
    groups: groupViews,
    topKeys,
    topModels,
  };
}

/** Buckets the CSV export reads per query: a day of hours, a month of days. */
const CSV_SLICE_BUCKETS = { hour: 24, day: 31 } as const;

/**
 * The cost series as CSV (same filters), one line per bucket (and group): a header row, then money as
 * decimal USD from integer micro-USD (exact: "0.001234"), never a float. The query is checked and the actor's
 * scope applied before anything is sent; then the text streams: the header at once, the lines a slice of the
 * window at a time, so a week of hourly lines per key starts downloading without waiting for all of them.
 */
export async function costCsv(
  ctx: AdminContext,
  actor: Actor,
  input: CostQueryInput,
): Promise<AsyncIterable<string>> {
  return costCsvChunks(ctx, scopedCostQuery(actor, resolveCostQuery(input, ctx.now().getTime())));
}

async function* costCsvChunks(ctx: AdminContext, query: CostQuery): AsyncGenerator<string> {
  const grouped = query.groupBy !== null;
  const header = [
    'bucket_start',
    ...(grouped ? [query.groupBy ?? 'group', 'label'] : []),
    'requests',
    'errors',
    'stream_requests',
    'input_tokens',
    'output_tokens',
    'cached_input_tokens',
    'cost_usd',
  ];
  yield `${header.join(',')}\r\n`;
  const span = CSV_SLICE_BUCKETS[query.granularity] * (query.granularity === 'hour' ? HOUR_MS : DAY_MS);
  for (let from = query.from; from < query.to; from += span) {
    const items = await seriesItems(ctx, { ...query, from, to: Math.min(from + span, query.to) });
    if (items.length === 0) continue;
    const lines = items.map((item) =>
      [
        item.bucketStart,
        ...(grouped ? [item.group ?? '', item.label ?? ''] : []),
        item.requests,
        item.errors,
        item.streamRequests,
        item.inputTokens,
        item.outputTokens,
        item.cachedInputTokens,
        formatUsdMicros(BigInt(item.costMicros)),
      ]
        .map(csvField)
        .join(','),
    );
    yield `${lines.join('\r\n')}\r\n`;
  }
}
