import type { UsageEventRecord } from '@switchyard/core';

/**
 * Durably writes one batch of serialized usage events (in record order); must be idempotent by request id (a
 * retried batch may repeat rows). The rows are handed over as they are queued: no string of the whole batch is
 * built on the request thread.
 */
export type UsageBatchWrite = (rows: readonly string[]) => Promise<void>;

/** Where settled requests go. `record` never blocks the request path and never throws. */
export interface UsageSink {
  record(event: UsageEventRecord): void;
  /** Events accepted but not yet durably written. */
  pending(): number;
  /** Events spilled to disk while the database was away, awaiting replay. */
  spilled(): number;
  /** False when usage cannot be recorded safely (spill full): paid requests must be refused. */
  accepting(): boolean;
  /** Writes everything pending; resolves when done or when `timeoutMs` passes. */
  flush(timeoutMs?: number): Promise<void>;
  close(timeoutMs?: number): Promise<void>;
}
