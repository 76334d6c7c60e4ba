import type { UsageEventRecord } from '@switchyard/core';

/**
 * The first element of every positional usage row. Rows written before it were JSON objects keyed by column
 * (`{"request_id":…}`); the insert statement refuses a row of any other version (its request id reads as NULL), so
 * such a row is dead-lettered, never misread.
 */
export const USAGE_ROW_VERSION = 2;

/** The row's columns in element order (element 0 is the version, element i + 1 is column i). */
export const USAGE_ROW_COLUMNS = [
  'request_id',
  'key_id',
  'team_id',
  'environment',
  'requested_model',
  'route_id',
  'served_provider_id',
  'served_account_id',
  'served_model',
  'status',
  'error_class',
  'http_status',
  'latency_ms',
  'ttft_ms',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cost_micros',
  'reasoning_tokens',
  'cache_write_tokens',
  'cost_estimated',
  'unpriced',
  'owner_id',
  'tags',
  'end_user',
  'metadata',
  'stream',
  'attempts',
  'surface',
  'upstream_protocol',
  'traffic_class',
  'created_at_ms',
  'payload',
] as const;

/**
 * One usage event as a positional row: a JSON array `[2, request_id, key_id, …, payload]` in USAGE_ROW_COLUMNS
 * order. No keys: JSON.stringify of the 33-key object it replaced cost ~650 instructions a key on the request thread, the array
 * costs only its values. `cost_micros` is a decimal string (bigint does not survive JSON; PostgreSQL parses it into
 * int8 exactly), `created_at_ms` epoch milliseconds, absent values null. Does not make strings storable (see
 * serializeUsageEvent).
 */
export function usageRowJson(e: UsageEventRecord): string {
  return JSON.stringify([
    USAGE_ROW_VERSION,
    e.requestId,
    e.keyId,
    e.teamId,
    e.environment,
    e.requestedModel,
    e.routeId,
    e.servedProviderId,
    e.servedAccountId,
    e.servedModel,
    e.status,
    e.errorClass,
    e.httpStatus,
    e.latencyMs,
    e.ttftMs,
    e.inputTokens,
    e.outputTokens,
    e.cachedInputTokens,
    e.costMicros.toString(),
    e.reasoningTokens,
    e.cacheWriteTokens,
    e.costEstimated,
    e.unpriced,
    e.ownerId,
    e.tags,
    e.endUser,
    e.metadata,
    e.stream,
    e.attempts,
    e.surface,
    e.upstreamProtocol,
    e.trafficClass ?? null,
    e.createdAt,
    // Bodies of an opted-in request (request_payloads); null for every other row.
    e.payload ?? null,
  ]);
}

/** True for a parsed positional row of the current version. */
export function isPositionalUsageRow(row: unknown): row is unknown[] {
  return Array.isArray(row) && row[0] === USAGE_ROW_VERSION;
}

/** A parsed positional row keyed by column name, as an operator reads it (dead letters). */
export function usageRowObject(row: readonly unknown[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  USAGE_ROW_COLUMNS.forEach((column, i) => {
    named[column] = row[i + 1] ?? null;
  });
  return named;
}

/**
 * A row an earlier router wrote as a keyed object, as a positional row with the same stored values: a missing key
 * becomes null, as jsonb_to_recordset read it. Anything else (an array, a scalar) is returned as it was.
 */
export function positionalUsageRow(line: string, parsed: unknown): string {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
  const named = parsed as Record<string, unknown>;
  return JSON.stringify([
    USAGE_ROW_VERSION,
    ...USAGE_ROW_COLUMNS.map((column) => (Object.hasOwn(named, column) ? named[column] : null)),
  ]);
}
