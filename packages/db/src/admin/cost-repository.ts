import { Prisma, type PrismaClient } from '../client';
import type { HourlyUsageBucket } from './admin-records';

/** A dimension the rollups keep. Absent values (no key, no team, …) group as ''. */
export type CostDimension = 'team' | 'key' | 'model' | 'provider' | 'environment' | 'status';

/** Rollup dimensions, plus `tag`, which only raw events carry (so it is bounded to a short window). */
export type CostGroupBy = CostDimension | 'tag';

export type CostGranularity = 'hour' | 'day';

/** [from, to) in epoch ms, aligned by the caller to the granularity's UTC buckets. */
export interface CostQuery {
  from: number;
  to: number;
  granularity: CostGranularity;
  groupBy: CostGroupBy | null;
  /** Only this key's requests. */
  keyId?: string;
  /** Only usage of these teams; absent for every team (an empty list matches nothing). */
  teamIds?: readonly string[];
}

/** Totals of a set of usage events. Token and cost sums are bigint: they outgrow 2^53 on a busy gateway. */
export interface CostTotals {
  requests: number;
  /** Requests whose status was not `success`. */
  errors: number;
  streamRequests: number;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedInputTokens: bigint;
  /** Integer micro-USD. */
  costMicros: bigint;
}

/** One bucket of one group; `group` is null when the query is not grouped. */
export interface CostSeriesRow extends CostTotals {
  bucketStart: number;
  group: string | null;
}

export interface CostGroupTotals extends CostTotals {
  group: string;
}

export interface CostRepository {
  /** Non-empty buckets only, ordered by bucket then group. */
  series(query: CostQuery): Promise<CostSeriesRow[]>;
  /** Totals per group over the window, most expensive first; with `groupBy` null, one row with group ''. */
  totals(query: CostQuery, limit: number): Promise<CostGroupTotals[]>;
  /**
   * Requests, errors and cost per UTC hour for [from, to), every hour present (gaps as zeros), from rollups;
   * with `teamIds`, only those teams' usage.
   */
  hourlyUsage(from: number, to: number, teamIds?: readonly string[]): Promise<HourlyUsageBucket[]>;
}

const DIMENSION_COLUMN: Record<CostDimension, Prisma.Sql> = {
  team: Prisma.raw('team_id'),
  key: Prisma.raw('key_id'),
  model: Prisma.raw('model'),
  provider: Prisma.raw('provider_id'),
  environment: Prisma.raw('environment'),
  status: Prisma.raw('status::text'),
};

const ROLLUP_TABLE: Record<CostGranularity, Prisma.Sql> = {
  hour: Prisma.raw('usage_rollups_hourly'),
  day: Prisma.raw('usage_rollups_daily'),
};

interface TotalsRow {
  requests: bigint | number | null;
  errors: bigint | number | null;
  stream_requests: bigint | number | null;
  input_tokens: bigint | null;
  output_tokens: bigint | null;
  cached_input_tokens: bigint | null;
  cost_micros: bigint | null;
}

// Sums over rollups: each rollup row already counts many requests.
const ROLLUP_SUMS = Prisma.sql`
  sum(requests)::bigint AS requests,
  coalesce(sum(requests) FILTER (WHERE status <> 'success'), 0)::bigint AS errors,
  sum(stream_requests)::bigint AS stream_requests,
  sum(input_tokens)::bigint AS input_tokens,
  sum(output_tokens)::bigint AS output_tokens,
  sum(cached_input_tokens)::bigint AS cached_input_tokens,
  sum(cost_micros)::bigint AS cost_micros`;

// The same sums over raw events (one row per request).
const EVENT_SUMS = Prisma.sql`
  count(*)::bigint AS requests,
  count(*) FILTER (WHERE status <> 'success')::bigint AS errors,
  count(*) FILTER (WHERE stream)::bigint AS stream_requests,
  sum(input_tokens)::bigint AS input_tokens,
  sum(output_tokens)::bigint AS output_tokens,
  sum(cached_input_tokens)::bigint AS cached_input_tokens,
  sum(cost_micros)::bigint AS cost_micros`;

/** `AND team_id = ANY(…)` for a team-scoped read, nothing for an unscoped one. */
function teamCondition(teamIds: readonly string[] | undefined): Prisma.Sql {
  return teamIds === undefined ? Prisma.empty : Prisma.sql` AND team_id = ANY(${[...teamIds]}::text[])`;
}

function toTotals(row: TotalsRow): CostTotals {
  return {
    requests: Number(row.requests ?? 0),
    errors: Number(row.errors ?? 0),
    streamRequests: Number(row.stream_requests ?? 0),
    inputTokens: BigInt(row.input_tokens ?? 0n),
    outputTokens: BigInt(row.output_tokens ?? 0n),
    cachedInputTokens: BigInt(row.cached_input_tokens ?? 0n),
    costMicros: BigInt(row.cost_micros ?? 0n),
  };
}

/** FROM + WHERE of a query: rollups for dimensions, raw events (one row per tag) for `tag`. */
function source(query: CostQuery): {
  from: Prisma.Sql;
  sums: Prisma.Sql;
  group: Prisma.Sql;
  time: Prisma.Sql;
} {
  const from = new Date(query.from);
  const to = new Date(query.to);
  const ofKey = query.keyId === undefined ? Prisma.empty : Prisma.sql` AND key_id = ${query.keyId}`;
  if (query.groupBy === 'tag') {
    // An event with several tags counts under each of them; an untagged event under ''.
    return {
      from: Prisma.sql`usage_events LEFT JOIN LATERAL unnest(tags) AS t(tag) ON true
        WHERE created_at >= ${from} AND created_at < ${to}${ofKey}${teamCondition(query.teamIds)}`,
      sums: EVENT_SUMS,
      group: Prisma.sql`coalesce(t.tag, '')`,
      time: Prisma.sql`date_trunc(${query.granularity}, created_at, 'UTC')`,
    };
  }
  return {
    from: Prisma.sql`${ROLLUP_TABLE[query.granularity]}
      WHERE bucket_start >= ${from} AND bucket_start < ${to}${ofKey}${teamCondition(query.teamIds)}`,
    sums: ROLLUP_SUMS,
    group: query.groupBy === null ? Prisma.sql`''` : DIMENSION_COLUMN[query.groupBy],
    time: Prisma.sql`bucket_start`,
  };
}

export function createCostRepository(prisma: PrismaClient): CostRepository {
  return {
    async series(query) {
      const { from, sums, group, time } = source(query);
      const rows = await prisma.$queryRaw<(TotalsRow & { bucket: Date; grp: string })[]>`
        SELECT ${time} AS bucket, ${group} AS grp, ${sums}
        FROM ${from}
        GROUP BY 1, 2
        ORDER BY 1, 2`;
      return rows.map((row) => ({
        bucketStart: row.bucket.getTime(),
        group: query.groupBy === null ? null : row.grp,
        ...toTotals(row),
      }));
    },

    async totals(query, limit) {
      const { from, sums, group } = source(query);
      const rows = await prisma.$queryRaw<(TotalsRow & { grp: string })[]>`
        SELECT ${group} AS grp, ${sums}
        FROM ${from}
        GROUP BY 1
        ORDER BY cost_micros DESC NULLS LAST, requests DESC, grp
        LIMIT ${limit}`;
      return rows.map((row) => ({ group: row.grp, ...toTotals(row) }));
    },

    async hourlyUsage(fromMs, toMs, teamIds) {
      const from = new Date(fromMs);
      const last = new Date(toMs - 3_600_000);
      const rows = await prisma.$queryRaw<
        { hour: Date; requests: number; errors: number; cost_micros: bigint }[]
      >`
        WITH buckets AS (
          SELECT generate_series(${from}::timestamptz, ${last}::timestamptz, interval '1 hour') AS hour
        ), totals AS (
          SELECT bucket_start AS hour,
                 sum(requests) AS requests,
                 sum(requests) FILTER (WHERE status <> 'success') AS errors,
                 sum(cost_micros) AS cost_micros
          FROM usage_rollups_hourly
          WHERE bucket_start >= ${from}::timestamptz AND bucket_start <= ${last}::timestamptz${teamCondition(teamIds)}
          GROUP BY 1
        )
        SELECT b.hour,
               coalesce(t.requests, 0)::int AS requests,
               coalesce(t.errors, 0)::int AS errors,
               coalesce(t.cost_micros, 0)::bigint AS cost_micros
        FROM buckets b
        LEFT JOIN totals t ON t.hour = b.hour
        ORDER BY b.hour`;
      return rows.map((row) => ({
        hourStart: row.hour.getTime(),
        requests: row.requests,
        errors: row.errors,
        costMicros: BigInt(row.cost_micros),
      }));
    },
  };
}
