import type { UsageEventRecord } from '@switchyard/core';

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
