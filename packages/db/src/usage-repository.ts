import type { UsageEventRecord } from '@switchyard/core';
import type { PrismaClient } from './client';

export interface InsertUsageEventsResult {
  /** Rows actually inserted; events whose request id is already stored (replays) are skipped. */
  inserted: number;
}

/**
 * Stores a batch of usage events in one statement: rows whose `request_id` already exists are skipped (the
 * request id is the idempotency key, so replaying a spilled batch never double counts), and each key's
 * `last_used_at` moves forward to its newest event in the batch (never backwards). Touching only `last_used_at`
 * does not fire the config-change trigger.
 */
export async function insertUsageEvents(
  prisma: PrismaClient,
  events: readonly UsageEventRecord[],
): Promise<InsertUsageEventsResult> {
  if (events.length === 0) return { inserted: 0 };
  const column = <T>(pick: (event: UsageEventRecord) => T) => events.map(pick);
  const rows = await prisma.$queryRaw<{ inserted: number }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${column((e) => e.requestId)}::text[],
        ${column((e) => e.keyId)}::text[],
        ${column((e) => e.teamId)}::text[],
        ${column((e) => e.environment)}::text[],
        ${column((e) => e.requestedModel)}::text[],
        ${column((e) => e.routeId)}::text[],
        ${column((e) => e.servedProviderId)}::text[],
        ${column((e) => e.servedAccountId)}::text[],
        ${column((e) => e.servedModel)}::text[],
        ${column((e) => e.status)}::text[],
        ${column((e) => e.errorClass)}::text[],
        ${column((e) => e.httpStatus)}::int4[],
        ${column((e) => e.latencyMs)}::int4[],
        ${column((e) => e.ttftMs)}::int4[],
        ${column((e) => e.inputTokens)}::int4[],
        ${column((e) => e.outputTokens)}::int4[],
        ${column((e) => e.cachedInputTokens)}::int4[],
        ${column((e) => e.costMicros.toString())}::text[],
        ${column((e) => e.stream)}::bool[],
        ${column((e) => JSON.stringify(e.attempts))}::text[],
        ${column((e) => new Date(e.createdAt).toISOString())}::text[]
      ) AS t(request_id, key_id, team_id, environment, requested_model, route_id, served_provider_id,
             served_account_id, served_model, status, error_class, http_status, latency_ms, ttft_ms, input_tokens,
             output_tokens, cached_input_tokens, cost_micros, stream, attempts, created_at)
    ),
    inserted AS (
      INSERT INTO usage_events (request_id, key_id, team_id, environment, requested_model, route_id,
        served_provider_id, served_account_id, served_model, status, error_class, http_status, latency_ms, ttft_ms,
        input_tokens, output_tokens, cached_input_tokens, cost_micros, stream, attempts, created_at)
      SELECT request_id, key_id, team_id, environment, requested_model, route_id, served_provider_id,
        served_account_id, served_model, status::"UsageStatus", error_class, http_status, latency_ms, ttft_ms,
        input_tokens, output_tokens, cached_input_tokens, cost_micros::bigint, stream, attempts::jsonb,
        created_at::timestamptz
      FROM input
      ON CONFLICT (request_id) DO NOTHING
      RETURNING 1
    ),
    touched AS (
      UPDATE api_keys AS k SET last_used_at = latest.last_used_at
      FROM (
        SELECT key_id, max(created_at::timestamptz) AS last_used_at FROM input WHERE key_id IS NOT NULL GROUP BY key_id
      ) AS latest
      WHERE k.id = latest.key_id AND (k.last_used_at IS NULL OR k.last_used_at < latest.last_used_at)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM inserted)::int AS inserted`;
  return { inserted: rows[0]?.inserted ?? 0 };
}
