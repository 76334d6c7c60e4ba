import type { UsageEventRecord } from '@switchyard/core';
import type { Logger } from '../logger';
import type { UsageSink } from './usage-sink';

export interface BatchedUsageSinkOptions {
  /**
   * Turns an event into the compact string the queue holds until its batch is written. Queued events outlive
   * young-generation GCs; one flat string per event is far cheaper to retain and hand over than the object graph.
   */
  serialize: (event: UsageEventRecord) => string;
  /**
   * Durably writes one batch, given as a JSON array of serialized events; must be idempotent by request id (a
   * retried batch may repeat rows).
   */
  write: (rowsJson: string) => Promise<void>;
  flushIntervalMs: number;
  maxBatch: number;
  logger: Logger;
}

/**
 * Bounded-latency batching: events queue in memory and a single writer drains them in batches. A failed
 * batch stays at the head of the queue and is retried with capped backoff, so nothing is dropped while
 * the database is away (the request id makes retries harmless).
 */
export class BatchedUsageSink implements UsageSink {
  private queue: string[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: BatchedUsageSinkOptions) {}

  record(event: UsageEventRecord): void {
    this.queue.push(this.options.serialize(event));
    if (this.queue.length >= this.options.maxBatch && !this.writing) this.drain();
    else this.schedule(this.options.flushIntervalMs);
  }

  pending(): number {
    return this.queue.length;
  }

  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.queue.length > 0 || this.writing) && Date.now() < deadline) {
      if (!this.writing) this.drain();
      const pause = this.failures > 0 ? Math.min(1_000, 100 * this.failures) : 0;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.writing,
        new Promise((r) => {
          timer = setTimeout(r, Math.max(1, deadline - Date.now()));
        }),
      ]);
      clearTimeout(timer);
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
    }
  }

  async close(timeoutMs = 10_000): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush(timeoutMs);
    if (this.queue.length > 0) {
      this.options.logger.error('usage sink closed with unwritten events', { pending: this.queue.length });
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.writing || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, delayMs);
    this.timer.unref();
  }

  private drain(): void {
    if (this.writing || this.queue.length === 0) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.queue.slice(0, this.options.maxBatch);
    this.writing = this.options
      .write(`[${batch.join(',')}]`)
      .then(() => {
        this.queue.splice(0, batch.length);
        this.failures = 0;
      })
      .catch((error: unknown) => {
        this.failures++;
        this.options.logger.warn('usage batch write failed; will retry', {
          pending: this.queue.length,
          attempt: this.failures,
          error: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        this.writing = null;
        if (this.queue.length === 0) return;
        if (this.failures === 0) this.drain();
        else if (!this.closed) this.schedule(Math.min(5_000, 100 * 2 ** Math.min(this.failures, 6)));
      });
  }
}
