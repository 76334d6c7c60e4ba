import pg from 'pg';

/** Ids the router's background jobs take as PostgreSQL advisory locks; one number per job. */
export const USAGE_RETENTION_LOCK = 0x5359_5245_54; // "SYRET"
export const PAYLOAD_RETENTION_LOCK = 0x5359_5041_59; // "SYPAY"

/**
 * Tables pruned by age: raw usage events (rollups stay) and captured payloads. Each has `request_id` as its key
 * and an index on `created_at`; each is pruned under its own advisory lock, so the two jobs never wait on each other.
 */
export type RetainedTable = 'usage_events' | 'request_payloads';

const RETENTION_LOCKS: Record<RetainedTable, number> = {
  usage_events: USAGE_RETENTION_LOCK,
  request_payloads: PAYLOAD_RETENTION_LOCK,
};

export interface PruneUsageEventsOptions {
  /** Raw events created strictly before this instant are deleted. */
  olderThan: Date;
  /** Rows per DELETE statement: small enough that no statement holds locks or WAL for long. */
  batchSize?: number;
  /** Pause between statements, so autovacuum and the usage writer get their turn. */
  pause?: () => Promise<void>;
  /** Stops between batches (shutdown). */
  signal?: AbortSignal;
}

export interface PruneUsageEventsResult {
  /** False when another instance holds the retention lock; nothing was deleted. */
  ran: boolean;
  deleted: number;
  /** DELETE statements issued. */
  batches: number;
}

/**
 * Deletes raw usage events older than the retention horizon, oldest first, in batches by `created_at` (served
 * by its index). Rollups are not touched: they are the long-term record. Only one router instance prunes at a
 * time: the run holds a session advisory lock, taken with `pg_try_advisory_lock` so a second instance skips
 * instead of queueing. It uses its own short-lived connection, never the usage writer's, which must stay free.
 */
export function pruneUsageEvents(
  databaseUrl: string,
  options: PruneUsageEventsOptions,
): Promise<PruneUsageEventsResult> {
  return pruneOlderThan(databaseUrl, 'usage_events', options);
}

/** Deletes captured request payloads older than the horizon, as pruneUsageEvents does for usage events. */
export function pruneRequestPayloads(
  databaseUrl: string,
  options: PruneUsageEventsOptions,
): Promise<PruneUsageEventsResult> {
  return pruneOlderThan(databaseUrl, 'request_payloads', options);
}

/** Deletes rows of `table` created before the horizon, in batches, under the table's advisory lock. */
export async function pruneOlderThan(
  databaseUrl: string,
  table: RetainedTable,
  options: PruneUsageEventsOptions,
): Promise<PruneUsageEventsResult> {
  const lockId = RETENTION_LOCKS[table];
  const batchSize = options.batchSize ?? 5_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`pruneOlderThan: batchSize must be a positive integer; got ${batchSize}.`);
  }
  const client = new pg.Client({ connectionString: databaseUrl, statement_timeout: 60_000 });
  // An idle-connection error after the run must not crash the router.
  client.on('error', () => {});
  await client.connect();
  try {
    const lock = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      lockId,
    ]);
    if (!lock.rows[0]?.locked) return { ran: false, deleted: 0, batches: 0 };
    let deleted = 0;
    let batches = 0;
    try {
      for (;;) {
        if (options.signal?.aborted) break;
        const result = await client.query(
          // `table` is one of the closed set above, never caller text.
          `DELETE FROM ${table} WHERE request_id IN (
             SELECT request_id FROM ${table} WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
          [options.olderThan, batchSize],
        );
        batches++;
        deleted += result.rowCount ?? 0;
        if ((result.rowCount ?? 0) < batchSize) break;
        await options.pause?.();
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [lockId]);
    }
    return { ran: true, deleted, batches };
  } finally {
    await client.end().catch(() => {});
  }
}
