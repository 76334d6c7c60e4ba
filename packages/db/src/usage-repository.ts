import { STORED_TEXT_LIMITS, storableText, type UsageEventRecord } from '@switchyard/core';
import type { PrismaClient } from './client';
import { newId } from './ids';
import { createSmallPool } from './small-pool';
import type { SqlDataRefusal } from './sql-data-refusal';
import { isStorableUsageRow, storableUsageEvent } from './storable-usage-event';
import { encodeUsageBatch, type UsageBatchWriteResult, writeUsageBatch } from './write-usage-batch';

export interface InsertUsageEventsResult {
  /** Rows actually inserted; events whose request id is already stored (replays) are skipped. */
  inserted: number;
}

/** One row as it crosses to PostgreSQL: snake_case keys matching the recordset columns below. */
function toRow(e: UsageEventRecord): Record<string, unknown> {
  return {
    request_id: e.requestId,
    key_id: e.keyId,
    team_id: e.teamId,
    environment: e.environment,
    requested_model: e.requestedModel,
    route_id: e.routeId,
    served_provider_id: e.servedProviderId,
    served_account_id: e.servedAccountId,
    served_model: e.servedModel,
    status: e.status,
    error_class: e.errorClass,
    http_status: e.httpStatus,
    latency_ms: e.latencyMs,
    ttft_ms: e.ttftMs,
    input_tokens: e.inputTokens,
    output_tokens: e.outputTokens,
    cached_input_tokens: e.cachedInputTokens,
    // bigint does not survive JSON; PostgreSQL parses the string into int8 exactly.
    cost_micros: e.costMicros.toString(),
    reasoning_tokens: e.reasoningTokens,
    cache_write_tokens: e.cacheWriteTokens,
    cost_estimated: e.costEstimated,
    unpriced: e.unpriced,
    owner_id: e.ownerId,
    tags: e.tags,
    end_user: e.endUser,
    metadata: e.metadata,
    stream: e.stream,
    attempts: e.attempts,
    surface: e.surface,
    upstream_protocol: e.upstreamProtocol,
    traffic_class: e.trafficClass ?? null,
    created_at_ms: e.createdAt,
    // Bodies of an opted-in request (request_payloads); null for every other row.
    payload: e.payload ?? null,
  };
}

/** The rollup tables' key, in the order both upserts take their row locks (see INSERT_USAGE_SQL). */
const ROLLUP_KEY = 'bucket_start, key_id, team_id, model, provider_id, status, environment';

/**
 * The totals of the events in `inserted`, grouped by the rollup key at one bucket size, merged into `table`.
 * Mirrors core's `rollupKeys`/`rollupTotals`: model is the served one or the requested one, UTC buckets, and
 * '' for an absent dimension (NULL cannot take part in a primary key). Rows go in key order so two routers
 * flushing at once lock shared rows in the same order and cannot deadlock. Used as a data-modifying CTE of a
 * statement whose `inserted` CTE returns the new usage_events rows (here, and in bench/src/seed-usage.ts).
 */
export function usageRollupUpsertSql(table: string, unit: 'hour' | 'day'): string {
  const add = (column: string) => `${column} = ${table}.${column} + excluded.${column}`;
  return `INSERT INTO ${table} (${ROLLUP_KEY}, requests, stream_requests, input_tokens, output_tokens,
        cached_input_tokens, cost_micros, latency_ms_sum, latency_ms_max, ttft_ms_sum, ttft_count)
      SELECT date_trunc('${unit}', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', coalesce(key_id, ''),
        coalesce(team_id, ''), coalesce(served_model, requested_model), coalesce(served_provider_id, ''), status,
        coalesce(environment, ''), count(*), count(*) FILTER (WHERE stream), sum(input_tokens), sum(output_tokens),
        sum(cached_input_tokens), sum(cost_micros), sum(latency_ms), max(latency_ms), coalesce(sum(ttft_ms), 0),
        count(ttft_ms)
      FROM inserted
      GROUP BY 1, 2, 3, 4, 5, 6, 7
      ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET ${[
        'requests',
        'stream_requests',
        'input_tokens',
        'output_tokens',
        'cached_input_tokens',
        'cost_micros',
        'latency_ms_sum',
        'ttft_ms_sum',
        'ttft_count',
      ]
        .map(add)
        .join(', ')},
        latency_ms_max = greatest(${table}.latency_ms_max, excluded.latency_ms_max)
      RETURNING 1`;
}

/**
 * One statement, one round trip: insert the batch (skipping request ids already stored), fold exactly the
 * rows that were new into the hourly and daily rollups, store the bodies of opted-in requests (request_payloads,
 * also skipped when already stored), and move keys' `last_used_at` forward. A replayed or
 * retried batch inserts nothing, so it adds nothing to the rollups either. The outer SELECT reads the CTEs in
 * a fixed order (hourly before daily), which fixes the order in which the statement takes rollup row locks.
 */
const INSERT_USAGE_SQL = `
    WITH input AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(request_id text, key_id text, team_id text, environment text,
        requested_model text, route_id text, served_provider_id text, served_account_id text, served_model text,
        status text, error_class text, http_status int4, latency_ms int4, ttft_ms int4, input_tokens int4,
        output_tokens int4, cached_input_tokens int4, cost_micros int8, reasoning_tokens int4,
        cache_write_tokens int4, cost_estimated bool, unpriced bool, owner_id text, tags text[], end_user text,
        metadata jsonb, stream bool, attempts jsonb, surface text, upstream_protocol text, traffic_class text,
        created_at_ms int8, payload jsonb)
    ),
    inserted AS (
      INSERT INTO usage_events (request_id, key_id, team_id, environment, requested_model, route_id,
        served_provider_id, served_account_id, served_model, status, error_class, http_status, latency_ms, ttft_ms,
        input_tokens, output_tokens, cached_input_tokens, cost_micros, reasoning_tokens, cache_write_tokens,
        cost_estimated, unpriced, owner_id, tags, end_user, metadata, stream, attempts, surface, upstream_protocol,
        traffic_class, created_at)
      SELECT request_id, key_id, team_id, environment, requested_model, route_id, served_provider_id,
        served_account_id, served_model, status::"UsageStatus", error_class, http_status, latency_ms, ttft_ms,
        input_tokens, output_tokens, cached_input_tokens, cost_micros, coalesce(reasoning_tokens, 0),
        coalesce(cache_write_tokens, 0), coalesce(cost_estimated, false), coalesce(unpriced, false), owner_id,
        coalesce(tags, '{}'), end_user, metadata, stream, attempts, surface, upstream_protocol, traffic_class,
        to_timestamp(created_at_ms / 1000.0)
      FROM input
      ON CONFLICT (request_id) DO NOTHING
      RETURNING key_id, team_id, environment, requested_model, served_model, served_provider_id, status, stream,
        input_tokens, output_tokens, cached_input_tokens, cost_micros, latency_ms, ttft_ms, created_at
    ),
    payloads AS (
      INSERT INTO request_payloads (request_id, request_body, request_truncated, response_body, response_truncated,
        created_at)
      SELECT request_id, payload->>'request', (payload->>'requestTruncated')::bool, payload->>'response',
        (payload->>'responseTruncated')::bool, to_timestamp(created_at_ms / 1000.0)
      FROM input WHERE payload IS NOT NULL AND jsonb_typeof(payload) = 'object'
      ON CONFLICT (request_id) DO NOTHING
    ),
    hourly AS (${usageRollupUpsertSql('usage_rollups_hourly', 'hour')}),
    daily AS (${usageRollupUpsertSql('usage_rollups_daily', 'day')}),
    touched AS (
      UPDATE api_keys AS k SET last_used_at = latest.last_used_at
      FROM (
        SELECT key_id, to_timestamp(max(created_at_ms) / 1000.0) AS last_used_at
        FROM input WHERE key_id IS NOT NULL GROUP BY key_id
      ) AS latest
      WHERE k.id = latest.key_id AND (k.last_used_at IS NULL OR k.last_used_at < latest.last_used_at)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM hourly)::int AS hourly,
      (SELECT count(*) FROM daily)::int AS daily`;

/**
 * One usage event as the JSON object the insert statement reads. Callers that hold events for a while (the
 * router's batching queue) keep this string instead of the object graph: cheaper to retain, to hand to another
 * thread, and to join into a batch. Whatever strings the event carries, the row is one PostgreSQL stores (see
 * storableUsageEvent); a clean event, nearly every one, pays one scan of its JSON and a few length reads.
 */
export function serializeUsageEvent(event: UsageEventRecord): string {
  const json = JSON.stringify(toRow(event));
  return isStorableUsageRow(event, json) ? json : JSON.stringify(toRow(storableUsageEvent(event)));
}

/** Longest raw event kept in a dead letter; a usage row is a few KiB, so only a pathological one is cut. */
const DEAD_LETTER_EVENT_CHARS = 262_144;
/** Longest PostgreSQL error message kept in a dead letter. */
const DEAD_LETTER_ERROR_CHARS = 2_048;

const INSERT_DEAD_LETTER_SQL = `
    INSERT INTO usage_dead_letters (id, request_id, event, error, sql_state) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (request_id) DO NOTHING`;

/** A dead letter's parameters: its own text made storable, so parking a row can never be refused in turn. */
function deadLetterValues(row: string, refusal: SqlDataRefusal): (string | null)[] {
  let requestId: string | null = null;
  try {
    const parsed: unknown = JSON.parse(row);
    const id = (parsed as { request_id?: unknown } | null)?.request_id;
    if (typeof id === 'string' && id.length > 0) requestId = storableText(id, STORED_TEXT_LIMITS.identifier);
  } catch {
    // Not JSON: kept with no request id.
  }
  return [
    newId('udl'),
    requestId,
    storableText(row, DEAD_LETTER_EVENT_CHARS),
    storableText(refusal.message, DEAD_LETTER_ERROR_CHARS),
    refusal.sqlState,
  ];
}

/**
 * Stores a batch of usage events in one statement: rows whose `request_id` already exists are skipped (the
 * request id is the idempotency key, so replaying a spilled batch never double counts), the rows that were new
 * are added to `usage_rollups_hourly` and `usage_rollups_daily` in the same transaction, and each key's
 * `last_used_at` moves forward to its newest event in the batch (never backwards). Touching only `last_used_at`
 * does not fire the config-change trigger.
 *
 * The batch crosses as ONE jsonb parameter: 21 array parameters cost ~4x the CPU per event (array formatting and
 * per-parameter driver work) and blocked the router's event loop for milliseconds per flush (measured in bench/).
 */
export async function insertUsageEvents(
  prisma: PrismaClient,
  events: readonly UsageEventRecord[],
): Promise<InsertUsageEventsResult> {
  if (events.length === 0) return { inserted: 0 };
  const rowsJson = `[${events.map(serializeUsageEvent).join(',')}]`;
  const rows = await prisma.$queryRawUnsafe<{ inserted: number }[]>(INSERT_USAGE_SQL, rowsJson);
  return { inserted: rows[0]?.inserted ?? 0 };
}

export type { UsageBatchWriteResult } from './write-usage-batch';
export { encodeUsageBatch } from './write-usage-batch';

/** Writes usage batches over one plain `pg` pool: no ORM between the router and its hottest statement. */
export interface UsageBatchWriter {
  /**
   * Stores a batch of `serializeUsageEvent` strings, encoded by `encodeUsageBatch`; idempotent by request id.
   * Rows PostgreSQL refuses for their data are dead-lettered and the rest written (see writeUsageBatch); rejects
   * only when the database cannot be used right now, and then the whole batch should be retried.
   */
  write(batch: Uint8Array): Promise<UsageBatchWriteResult>;
  /**
   * Opens the writer's connection and plans its statement (an empty batch) now, so the first batch after start
   * does not pay for either. Never rejects: a database that is away is reported by the first write.
   */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** The writer's name in `pg_stat_activity.application_name`. */
export const USAGE_WRITER_APPLICATION_NAME = 'switchyard-usage-writer';

/**
 * A usage writer on node-postgres directly. Prisma's raw-query path costs ~45 µs of CPU per row in a batch
 * (parameter mapping and result conversion in its query engine); this statement's only parameter is the
 * batch's bytes, sent as they are in binary format (pg does that for a Buffer), so the driver's work is a copy
 * outside the JavaScript heap.
 */
export function createUsageBatchWriter(
  databaseUrl: string,
  options: { onError?: (error: Error) => void } = {},
): UsageBatchWriter {
  // One connection kept open through quiet spells: the first row after one must land as fast as any other (a
  // console user looks a request up right after sending it). Reconnecting made that write 5-10x slower, and a
  // server at max_connections refused it, so the row waited in the spill for seconds (issue 14).
  const pool = createSmallPool(databaseUrl, {
    onError: options.onError,
    keepConnection: true,
    applicationName: USAGE_WRITER_APPLICATION_NAME,
  });
  const statements = {
    async insert(batch: Uint8Array) {
      // Named: PostgreSQL plans it once per connection instead of per batch (half its CPU per row, measured).
      const result = await pool.query<{ inserted: number }>({
        name: 'switchyard_insert_usage',
        text: INSERT_USAGE_SQL,
        values: [Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength)],
      });
      return result.rows[0]?.inserted ?? 0;
    },
    async deadLetter(row: string, refusal: SqlDataRefusal) {
      await pool.query(INSERT_DEAD_LETTER_SQL, deadLetterValues(row, refusal));
    },
  };
  return {
    write: (batch) => writeUsageBatch(batch, statements),
    warm: () =>
      statements.insert(encodeUsageBatch([])).then(
        () => {},
        () => {},
      ),
    close: () => pool.end(),
  };
}
