import type { UsageEventRecord } from '@switchyard/core';
import type { PrismaClient } from './client';
import { createSmallPool } from './small-pool';

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
    stream: e.stream,
    attempts: e.attempts,
    created_at_ms: e.createdAt,
  };
}

const INSERT_USAGE_SQL = `
    WITH input AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(request_id text, key_id text, team_id text, environment text,
        requested_model text, route_id text, served_provider_id text, served_account_id text, served_model text,
        status text, error_class text, http_status int4, latency_ms int4, ttft_ms int4, input_tokens int4,
        output_tokens int4, cached_input_tokens int4, cost_micros int8, stream bool, attempts jsonb,
        created_at_ms int8)
    ),
    inserted AS (
      INSERT INTO usage_events (request_id, key_id, team_id, environment, requested_model, route_id,
        served_provider_id, served_account_id, served_model, status, error_class, http_status, latency_ms, ttft_ms,
        input_tokens, output_tokens, cached_input_tokens, cost_micros, stream, attempts, created_at)
      SELECT request_id, key_id, team_id, environment, requested_model, route_id, served_provider_id,
        served_account_id, served_model, status::"UsageStatus", error_class, http_status, latency_ms, ttft_ms,
        input_tokens, output_tokens, cached_input_tokens, cost_micros, stream, attempts,
        to_timestamp(created_at_ms / 1000.0)
      FROM input
      ON CONFLICT (request_id) DO NOTHING
      RETURNING 1
    ),
    touched AS (
      UPDATE api_keys AS k SET last_used_at = latest.last_used_at
      FROM (
        SELECT key_id, to_timestamp(max(created_at_ms) / 1000.0) AS last_used_at
        FROM input WHERE key_id IS NOT NULL GROUP BY key_id
      ) AS latest
      WHERE k.id = latest.key_id AND (k.last_used_at IS NULL OR k.last_used_at < latest.last_used_at)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM inserted)::int AS inserted`;

/**
 * One usage event as the JSON object the insert statement reads. Callers that hold events for a while (the
 * router's batching queue) keep this string instead of the object graph: cheaper to retain, to hand to another
 * thread, and to join into a batch.
 */
export function serializeUsageEvent(event: UsageEventRecord): string {
  return JSON.stringify(toRow(event));
}

/**
 * Stores a batch of usage events in one statement: rows whose `request_id` already exists are skipped (the
 * request id is the idempotency key, so replaying a spilled batch never double counts), and each key's
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
  return insertSerializedUsageEvents(prisma, `[${events.map(serializeUsageEvent).join(',')}]`);
}

/** Same as insertUsageEvents, for a JSON array of `serializeUsageEvent` strings. */
export async function insertSerializedUsageEvents(
  prisma: PrismaClient,
  rowsJson: string,
): Promise<InsertUsageEventsResult> {
  const rows = await prisma.$queryRawUnsafe<{ inserted: number }[]>(INSERT_USAGE_SQL, rowsJson);
  return { inserted: rows[0]?.inserted ?? 0 };
}

/** Writes usage batches over one plain `pg` pool: no ORM between the router and its hottest statement. */
export interface UsageBatchWriter {
  /** Stores a JSON array of `serializeUsageEvent` strings; idempotent by request id. */
  write(rowsJson: string): Promise<InsertUsageEventsResult>;
  close(): Promise<void>;
}

/**
 * A usage writer on node-postgres directly. Prisma's raw-query path costs ~45 µs of CPU per row in a batch
 * (parameter mapping and result conversion in its query engine); this statement's only parameter is one
 * string, so the driver's work is a copy, and the router can afford to run it on its own event loop.
 */
export function createUsageBatchWriter(
  databaseUrl: string,
  options: { onError?: (error: Error) => void } = {},
): UsageBatchWriter {
  const pool = createSmallPool(databaseUrl, options.onError);
  return {
    async write(rowsJson) {
      const result = await pool.query<{ inserted: number }>({ text: INSERT_USAGE_SQL, values: [rowsJson] });
      return { inserted: result.rows[0]?.inserted ?? 0 };
    },
    close: () => pool.end(),
  };
}
