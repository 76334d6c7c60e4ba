import type { UsageEventRecord, UsageStatus } from './usage-event';

/** Rollup bucket sizes. Buckets are UTC hours and UTC days. */
export type RollupGranularity = 'hour' | 'day';

/**
 * The identity of one rollup row: a time bucket and the dimensions the console groups by. Every field is
 * part of the row's unique key; `null` is a value of its own ("no team"), distinct from any id.
 */
export interface RollupKey {
  granularity: RollupGranularity;
  /** Epoch ms of the UTC hour or UTC day the request arrived in. */
  bucketStart: number;
  keyId: string | null;
  teamId: string | null;
  /** The model that served the request, or the requested one when none did (refused, failed before routing). */
  model: string;
  providerId: string | null;
  status: UsageStatus;
  environment: string | null;
}

/** Additive totals of one rollup row: merging two rows is adding fields (max for the maximum). */
export interface RollupTotals {
  requests: number;
  streamRequests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Integer micro-USD. */
  costMicros: bigint;
  latencyMsSum: number;
  latencyMsMax: number;
  /** Sum of TTFT over the requests that had one, and how many did (an average needs both). */
  ttftMsSum: number;
  ttftCount: number;
}

/** The fields of a usage event a rollup reads; a {@link UsageEventRecord} satisfies it. */
export type RollupSource = Pick<
  UsageEventRecord,
  | 'keyId'
  | 'teamId'
  | 'environment'
  | 'requestedModel'
  | 'servedModel'
  | 'servedProviderId'
  | 'status'
  | 'inputTokens'
  | 'outputTokens'
  | 'cachedInputTokens'
  | 'costMicros'
  | 'latencyMs'
  | 'ttftMs'
  | 'stream'
  | 'createdAt'
>;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The first whole UTC hour that starts at or after `at`: from there the hourly rollups can stand in for raw
 * events; before it (a period starting at :30 or :45) the rollup bucket also holds the previous period.
 */
export function firstWholeHourFrom(at: number): number {
  return Math.ceil(at / HOUR_MS) * HOUR_MS;
}

/**
 * The hourly and daily rollup rows one usage event belongs to. Pure and deterministic, so the database
 * layer can upsert `rollupTotals(event)` into both rows in the transaction that inserts the event (guarded
 * by the event's unique request id, so a replay adds nothing), and a test can rebuild every row from raw
 * events. Buckets are UTC; a console showing another zone's days sums hourly rows (zones with a
 * non-whole-hour offset then see days shifted by that fraction).
 */
export function rollupKeys(event: RollupSource): { hourly: RollupKey; daily: RollupKey } {
  const dims = {
    keyId: event.keyId,
    teamId: event.teamId,
    model: event.servedModel ?? event.requestedModel,
    providerId: event.servedProviderId,
    status: event.status,
    environment: event.environment,
  };
  return {
    hourly: { granularity: 'hour', bucketStart: floorTo(event.createdAt, HOUR_MS), ...dims },
    daily: { granularity: 'day', bucketStart: floorTo(event.createdAt, DAY_MS), ...dims },
  };
}

/** One event's contribution to a rollup row. */
export function rollupTotals(event: RollupSource): RollupTotals {
  return {
    requests: 1,
    streamRequests: event.stream ? 1 : 0,
    inputTokens: event.inputTokens,
    outputTokens: event.outputTokens,
    cachedInputTokens: event.cachedInputTokens,
    costMicros: event.costMicros,
    latencyMsSum: event.latencyMs,
    latencyMsMax: event.latencyMs,
    ttftMsSum: event.ttftMs ?? 0,
    ttftCount: event.ttftMs === null ? 0 : 1,
  };
}

/** Totals of an empty row; the identity of {@link mergeRollupTotals}. */
export function emptyRollupTotals(): RollupTotals {
  return {
    requests: 0,
    streamRequests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    costMicros: 0n,
    latencyMsSum: 0,
    latencyMsMax: 0,
    ttftMsSum: 0,
    ttftCount: 0,
  };
}

/** Combines two rows of the same key (associative and commutative, so rows can merge in any order). */
export function mergeRollupTotals(a: RollupTotals, b: RollupTotals): RollupTotals {
  return {
    requests: a.requests + b.requests,
    streamRequests: a.streamRequests + b.streamRequests,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    costMicros: a.costMicros + b.costMicros,
    latencyMsSum: a.latencyMsSum + b.latencyMsSum,
    latencyMsMax: Math.max(a.latencyMsMax, b.latencyMsMax),
    ttftMsSum: a.ttftMsSum + b.ttftMsSum,
    ttftCount: a.ttftCount + b.ttftCount,
  };
}

/** A stable, unambiguous string for a key (a map key, or a natural key in the database). */
export function rollupKeyString(key: RollupKey): string {
  return JSON.stringify([
    key.granularity,
    key.bucketStart,
    key.keyId,
    key.teamId,
    key.model,
    key.providerId,
    key.status,
    key.environment,
  ]);
}

/** Rolls raw events up into hourly and daily rows, keyed by {@link rollupKeyString}. */
export function rollupEvents(
  events: Iterable<RollupSource>,
): Map<string, { key: RollupKey; totals: RollupTotals }> {
  const rows = new Map<string, { key: RollupKey; totals: RollupTotals }>();
  for (const event of events) {
    const totals = rollupTotals(event);
    const { hourly, daily } = rollupKeys(event);
    for (const key of [hourly, daily]) {
      const id = rollupKeyString(key);
      const row = rows.get(id);
      if (row) row.totals = mergeRollupTotals(row.totals, totals);
      else rows.set(id, { key, totals });
    }
  }
  return rows;
}

function floorTo(ms: number, size: number): number {
  return Math.floor(ms / size) * size;
}
