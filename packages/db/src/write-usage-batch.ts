import { type SqlDataRefusal, sqlDataRefusal } from './sql-data-refusal';

/** What one batch write did. */
export interface UsageBatchWriteResult {
  /** Rows inserted; rows whose request id was already stored (replays) are skipped. */
  inserted: number;
  /** Rows PostgreSQL refused even alone, now in `usage_dead_letters`. */
  deadLettered: number;
}

/** jsonb's binary format: this version byte, then the document as JSON text (UTF-8). */
const JSONB_BINARY_VERSION = 1;

/**
 * A batch of serialized usage events (`serializeUsageEvent` strings) as the insert statement's parameter: a
 * jsonb array in binary format, written straight into bytes outside the JavaScript heap. No string of the whole
 * batch is ever built (150-350 KB at 500 events: V8 puts each in large-object space, freed only by a
 * mark-compact), and the bytes can be handed to another thread by transfer instead of a copy.
 */
export function encodeUsageBatch(rows: readonly string[]): Buffer<ArrayBuffer> {
  let bytes = 2 + Math.max(0, rows.length - 1); // brackets and commas
  for (const row of rows) bytes += Buffer.byteLength(row, 'utf8');
  // Its own ArrayBuffer (never the shared pool), so it can be transferred.
  const batch = Buffer.allocUnsafeSlow(1 + bytes);
  batch[0] = JSONB_BINARY_VERSION;
  let offset = 1;
  batch[offset++] = 0x5b; // [
  rows.forEach((row, i) => {
    if (i > 0) batch[offset++] = 0x2c; // ,
    offset += batch.write(row, offset, 'utf8');
  });
  batch[offset] = 0x5d; // ]
  return batch;
}

/** The JSON text of an encoded batch (only for the rare batch PostgreSQL refuses). */
export function usageBatchJson(batch: Uint8Array): string {
  return Buffer.from(batch.buffer, batch.byteOffset + 1, batch.byteLength - 1).toString('utf8');
}

/** The two statements a batch write needs. */
export interface UsageBatchStatements {
  /** Inserts an encoded batch (see encodeUsageBatch) in one statement; resolves with the rows inserted. */
  insert(batch: Uint8Array): Promise<number>;
  /** Parks one serialized row PostgreSQL refused alone; idempotent by its request id. */
  deadLetter(row: string, refusal: SqlDataRefusal): Promise<void>;
}

/**
 * Writes a batch so that no row can hold back the others. The whole batch goes in one statement (the only cost on
 * the normal path). If PostgreSQL refuses it for its DATA (see sqlDataRefusal), the batch is halved and each half
 * written the same way, down to single rows: a row refused alone is dead-lettered, every other row is written, in
 * about (bad rows × log2 batch) statements. Any other error (connection, deadlock, shutdown) rejects as before, so
 * the caller keeps the batch and retries it later; rows already written by then are skipped by request id.
 */
export async function writeUsageBatch(
  batch: Uint8Array,
  statements: UsageBatchStatements,
): Promise<UsageBatchWriteResult> {
  try {
    return { inserted: await statements.insert(batch), deadLettered: 0 };
  } catch (error) {
    const refusal = sqlDataRefusal(error);
    if (!refusal) throw error;
    const rowsJson = usageBatchJson(batch);
    const rows = splitRows(rowsJson);
    if (rows === null) {
      // Not a JSON array at all: nothing in it can be written, and it must not be retried forever.
      await statements.deadLetter(rowsJson, refusal);
      return { inserted: 0, deadLettered: 1 };
    }
    return bisect(rows, refusal, statements);
  }
}

async function bisect(
  rows: string[],
  refusal: SqlDataRefusal,
  statements: UsageBatchStatements,
): Promise<UsageBatchWriteResult> {
  if (rows.length === 1) {
    await statements.deadLetter(rows[0] as string, refusal);
    return { inserted: 0, deadLettered: 1 };
  }
  const middle = rows.length >>> 1;
  const result: UsageBatchWriteResult = { inserted: 0, deadLettered: 0 };
  for (const half of [rows.slice(0, middle), rows.slice(middle)]) {
    let written: UsageBatchWriteResult;
    try {
      written = { inserted: await statements.insert(encodeUsageBatch(half)), deadLettered: 0 };
    } catch (error) {
      const halfRefusal = sqlDataRefusal(error);
      if (!halfRefusal) throw error;
      written = await bisect(half, halfRefusal, statements);
    }
    result.inserted += written.inserted;
    result.deadLettered += written.deadLettered;
  }
  return result;
}

/** The rows of a serialized batch, each as JSON text again; null when the batch is not a JSON array. */
function splitRows(rowsJson: string): string[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rowsJson);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return null;
  return parsed.map((row) => JSON.stringify(row) ?? 'null');
}
