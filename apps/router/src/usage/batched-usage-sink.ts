import type { UsageEventRecord } from '@switchyard/core';
import type { Logger } from '../logger';
import type { UsageEventJournal } from './usage-journal';
import type { UsageBatchWrite, UsageSink } from './usage-sink';
import type { UsageSpillFile } from './usage-spill-file';

export interface BatchedUsageSinkOptions {
  /**
   * Turns an event into the compact string the queue holds until its batch is written. Queued events outlive
   * young-generation GCs; one flat string per event is far cheaper to retain and hand over than the object graph.
   */
  serialize: (event: UsageEventRecord) => string;
  /** Durably writes one batch of serialized events; must be idempotent by request id. */
  write: UsageBatchWrite;
  flushIntervalMs: number;
  maxBatch: number;
  logger: Logger;
  /**
   * Where events go while the database is away. Without it, unwritten events wait in memory (and are lost if
   * the process dies); with it, they are synced to disk within one flush interval of a failed write and
   * replayed when the database answers again.
   */
  spill?: UsageSpillFile;
  /**
   * Where each event is also written as it is recorded, until it is stored (in the database or the synced
   * spill): what the queue holds then survives a crash of this process. Told of each stored prefix of the queue.
   */
  journal?: UsageEventJournal;
}

/**
 * Bounded-latency batching: events queue in memory and a single writer drains them in batches. A failed
 * batch stays at the head of the queue and is retried with capped backoff, so nothing is dropped while
 * the database is away (the request id makes retries harmless). With a spill file, a failed write instead
 * moves everything queued to disk, and until the database is back each flush spills rather than writes;
 * the spill is replayed (with backoff) through the same idempotent insert.
 */
export class BatchedUsageSink implements UsageSink {
  private queue: string[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;
  /** The last write failed and a spill file exists: spill on each flush, replay with backoff. */
  private degraded = false;
  private nextReplayAt = 0;

  constructor(private readonly options: BatchedUsageSinkOptions) {}

  record(event: UsageEventRecord): void {
    const line = this.options.serialize(event);
    this.queue.push(line);
    this.options.journal?.append(line);
    if (this.queue.length >= this.options.maxBatch && !this.writing) this.drain();
    else this.schedule(this.options.flushIntervalMs);
  }

  pending(): number {
    return this.queue.length;
  }

  /** Replays what an earlier process spilled, without waiting for the first event. */
  resume(): void {
    if (this.spilled() > 0) this.schedule(0);
  }

  /** Events on disk awaiting replay. */
  spilled(): number {
    return this.options.spill?.events() ?? 0;
  }

  /** False when the spill is full: taking more paid requests could lose their records. */
  accepting(): boolean {
    return !this.options.spill?.isFull();
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
    const spill = this.options.spill;
    if (spill && (this.degraded || spill.events() > 0)) {
      this.drainDegraded(spill);
      return;
    }
    if (this.writing || this.queue.length === 0) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.queue.slice(0, this.options.maxBatch);
    this.writing = this.options
      .write(batch)
      .then(() => {
        this.queue.splice(0, batch.length);
        this.options.journal?.acknowledge(batch.length);
        this.failures = 0;
      })
      .catch((error: unknown) => {
        this.failures++;
        if (this.options.spill) this.degraded = true;
        this.options.logger.warn(
          this.options.spill
            ? 'usage batch write failed; spilling to disk until the database is back'
            : 'usage batch write failed; will retry',
          {
            pending: this.queue.length,
            attempt: this.failures,
            error: error instanceof Error ? error.message : String(error),
          },
        );
      })
      .finally(() => {
        this.writing = null;
        if (this.degraded) return this.drain();
        if (this.queue.length === 0) return;
        if (this.failures > 0) {
          if (!this.closed) this.schedule(Math.min(5_000, 100 * 2 ** Math.min(this.failures, 6)));
        } else if (this.queue.length >= this.options.maxBatch || this.closed) {
          this.drain(); // a backlog (or shutdown): keep writing full batches back to back
        } else {
          // What arrived during the write waits for the next interval like any other event; draining it at
          // once chained tiny batches back to back, each paying a whole statement (measured in bench/).
          this.schedule(this.options.flushIntervalMs);
        }
      });
  }

  /**
   * Database away (or an old spill not yet replayed): move the queue to disk, then try a replay if its backoff
   * allows. A replay that writes everything ends degraded mode; live events go back to direct writes.
   */
  private drainDegraded(spill: UsageSpillFile): void {
    if (this.writing) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.queue.slice();
    this.writing = spill
      .append(batch)
      .then(
        () => {
          this.queue.splice(0, batch.length);
          this.options.journal?.acknowledge(batch.length);
        },
        (error: unknown) => {
          this.options.logger.error('usage spill append failed; events stay in memory', {
            pending: this.queue.length,
            error: error instanceof Error ? error.message : String(error),
          });
        },
      )
      .then(async () => {
        if (Date.now() < this.nextReplayAt) return;
        try {
          const replayed = await spill.replay(this.options.write, this.options.maxBatch);
          if (replayed > 0)
            this.options.logger.info('usage spill replayed into the database', { events: replayed });
          this.degraded = false;
          this.failures = 0;
        } catch (error) {
          this.failures++;
          this.nextReplayAt = Date.now() + Math.min(5_000, 250 * 2 ** Math.min(this.failures, 5));
          if (spill.isFull()) {
            this.options.logger.error(
              'usage spill is full; refusing paid requests until the database is back',
              {
                spilledEvents: spill.events(),
                spilledBytes: spill.bytes(),
              },
            );
          }
          this.options.logger.debug('usage spill replay failed', {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      })
      .finally(() => {
        this.writing = null;
        if (this.closed) return;
        if (this.queue.length > 0 || this.degraded || spill.events() > 0)
          this.schedule(this.options.flushIntervalMs);
      });
  }
}
