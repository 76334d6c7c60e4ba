import { STORED_TEXT_LIMITS, storableText, type UsageEventRecord } from '@switchyard/core';
import type { PrismaClient } from './client';
import { newId } from './ids';
import { createSmallPool } from './small-pool';
import type { SqlDataRefusal } from './sql-data-refusal';
import { isStorableUsageRow, storableUsageEvent } from './storable-usage-event';
import { isPositionalUsageRow, USAGE_ROW_VERSION, usageRowJson, usageRowObject } from './usage-row';
import { encodeUsageBatch, type UsageBatchWriteResult, writeUsageBatch } from './write-usage-batch';

export interface InsertUsageEventsResult {
  /** Rows actually inserted; events whose request id is already stored (replays) are skipped. */
  inserted: number;
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
 * Rows are positional (usageRowJson): element i + 1 is column i of USAGE_ROW_COLUMNS, read by offset. A row of
 * another version (or a keyed object) reads a NULL request id, so it is refused and dead-lettered, never misread.
 */
const INSERT_USAGE_SQL = `
    WITH input AS (
      SELECT CASE WHEN e->>0 = '${USAGE_ROW_VERSION}' THEN e->>1 END AS request_id, e->>2 AS key_id, e->>3 AS team_id,
        e->>4 AS environment, e->>5 AS requested_model, e->>6 AS route_id, e->>7 AS served_provider_id,
        e->>8 AS served_account_id, e->>9 AS served_model, e->>10 AS status, e->>11 AS error_class,
        (e->>12)::int4 AS http_status, (e->>13)::int4 AS latency_ms, (e->>14)::int4 AS ttft_ms,
        (e->>15)::int4 AS input_tokens, (e->>16)::int4 AS output_tokens, (e->>17)::int4 AS cached_input_tokens,
        (e->>18)::int8 AS cost_micros, (e->>19)::int4 AS reasoning_tokens, (e->>20)::int4 AS cache_write_tokens,
        (e->>21)::bool AS cost_estimated, (e->>22)::bool AS unpriced, e->>23 AS owner_id,
        ARRAY(SELECT jsonb_array_elements_text(nullif(e->24, 'null'))) AS tags, e->>25 AS end_user,
        nullif(e->26, 'null') AS metadata, (e->>27)::bool AS stream, nullif(e->28, 'null') AS attempts,
        e->>29 AS surface, e->>30 AS upstream_protocol, e->>31 AS traffic_class, (e->>32)::int8 AS created_at_ms,
        nullif(e->33, 'null') AS payload
      FROM jsonb_array_elements($1::jsonb) AS e
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
 * One usage event as the row the insert statement reads: a positional JSON array (see usageRowJson for the format;
 * the statement reads element i + 1 as column i of USAGE_ROW_COLUMNS). Callers that hold events for a while (the
 * router's batching queue) keep this string instead of the object graph: cheaper to retain, to hand to another
 * thread, and to join into a batch. Whatever strings the event carries, the row is one PostgreSQL stores (see
 * storableUsageEvent); a clean event, nearly every one, pays one scan of its JSON and a few length reads.
 */
export function serializeUsageEvent(event: UsageEventRecord): string {
  const json = usageRowJson(event);
  return isStorableUsageRow(event, json) ? json : usageRowJson(storableUsageEvent(event));
}

/** Longest raw event kept in a dead letter; a usage row is a few KiB, so only a pathological one is cut. */
const DEAD_LETTER_EVENT_CHARS = 262_144;
/** Longest PostgreSQL error message kept in a dead letter. */
const DEAD_LETTER_ERROR_CHARS = 2_048;

const INSERT_DEAD_LETTER_SQL = `
    INSERT INTO usage_dead_letters (id, request_id, event, error, sql_state) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (request_id) DO NOTHING`;

/**
 * A dead letter's parameters: its own text made storable, so parking a row can never be refused in turn. A
 * positional row is stored keyed by column name (as rows were before), for the operator who reads it.
 */
function deadLetterValues(row: string, refusal: SqlDataRefusal): (string | null)[] {
  let requestId: string | null = null;
  let event = row;
  try {
    let parsed: unknown = JSON.parse(row);
    if (isPositionalUsageRow(parsed)) {
      parsed = usageRowObject(parsed);
      event = JSON.stringify(parsed);
    }
    const id = (parsed as { request_id?: unknown } | null)?.request_id;
    if (typeof id === 'string' && id.length > 0) requestId = storableText(id, STORED_TEXT_LIMITS.identifier);
  } catch {
    // Not JSON: kept with no request id.
  }
  return [
    newId('udl'),
    requestId,
    storableText(event, DEAD_LETTER_EVENT_CHARS),
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

export { positionalUsageRow, usageRowObject } from './usage-row';
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
