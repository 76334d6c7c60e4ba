import { closeSync, fdatasyncSync, ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger';
import type { UsageSpillFile } from './usage-spill-file';

const SEGMENT = /^usage-journal\.[0-9a-z-]+\.ndjson$/;

/** A journal file this process writes, holding events of this run up to (not including) sequence `end`. */
interface Segment {
  file: string;
  fd: number;
  /** Sequence number (0-based, this run, in record order) one past the last event written into it. */
  end: number;
  bytes: number;
}

/** What the usage sink needs of a journal: hand it each event, tell it when a prefix is durably stored. */
export interface UsageEventJournal {
  append(line: string): void;
  /** The next `count` events, in record order, are stored (in the database or the synced spill). */
  acknowledge(count: number): void;
}

/**
 * Write-ahead log of settled usage events against a crash of the router process (SIGKILL, the OOM killer): every
 * event the sink takes is appended to a local NDJSON file in the same event-loop turn's check phase, and dropped
 * once its batch is stored. What an earlier process left behind is synced and handed to the spill at start,
 * whose idempotent replay (the request id is the primary key) stores it once.
 *
 * Appends are plain `write(2)`s: the page cache outlives the process, and only a machine crash would need fsync
 * (which the spill does while the database is away). They are synchronous but batched, one per event-loop turn
 * (setImmediate) for every event settled in it, never on a request's own path: a page-cache append is a few
 * microseconds, and an asynchronous one waits for a thread-pool thread to be scheduled, which on a loaded
 * machine can take longer than the crash guarantee allows (a response completed 10 ms before a SIGKILL must be
 * journaled; the crash test missed it that way under load). The directory must be on a local disk.
 *
 * Bounded on disk: a segment closes at `segmentBytes` and is deleted once every event in it is acknowledged;
 * the open segment is truncated whenever everything written to it is. So the journal holds what is not yet
 * stored plus at most one segment.
 */
export class UsageJournal implements UsageEventJournal {
  private buffered: string[] = [];
  private scheduled = false;
  /** Events given a sequence number (written, or lost to a failed write), and events acknowledged, this run. */
  private written = 0;
  private acked = 0;
  private current: Segment | null = null;
  private full: Segment[] = [];
  private segmentCount = 0;
  private readonly runId = Date.now().toString(36);
  private failing = false;
  private closed = false;
  private readonly flushNow = () => {
    this.scheduled = false;
    this.work();
  };

  constructor(
    readonly dir: string,
    /** Size at which a segment closes (and can be deleted once stored). */
    readonly segmentBytes: number,
    private readonly logger: Logger,
  ) {}

  /**
   * Hands every journal an earlier process left in `dir` to the spill for replay (synced first). Call after
   * `spill.open()` and before the first append. Resolves with the events handed over.
   */
  async open(spill: UsageSpillFile): Promise<number> {
    let events = 0;
    for (const name of (await readdir(this.dir)).sort()) {
      if (!SEGMENT.test(name)) continue;
      const file = path.join(this.dir, name);
      if ((await stat(file)).size === 0) await unlink(file);
      else events += await spill.adopt(file);
    }
    return events;
  }

  append(line: string): void {
    this.buffered.push(line);
    this.schedule();
  }

  acknowledge(count: number): void {
    if (count === 0) return;
    this.acked += count;
    this.schedule();
  }

  /** Resolves once everything appended and acknowledged so far is reflected on disk. */
  async idle(): Promise<void> {
    while (this.scheduled) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Bytes in this run's journal files. */
  bytes(): number {
    let bytes = this.current?.bytes ?? 0;
    for (const segment of this.full) bytes += segment.bytes;
    return bytes;
  }

  /**
   * Writes what is buffered and closes the files. Files whose events are all stored are deleted; the rest are
   * synced and stay for the next start to replay.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.work();
    for (const segment of [...this.full, ...(this.current ? [this.current] : [])]) {
      if (segment.end > this.acked) fdatasyncSync(segment.fd);
      closeSync(segment.fd);
      if (segment.end <= this.acked) removeFile(segment.file);
    }
    this.full = [];
    this.current = null;
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    // One write per event-loop turn: every event settled in this turn goes in the same write.
    this.scheduled = true;
    setImmediate(this.flushNow);
  }

  private work(): void {
    try {
      this.writeAndTrim();
      if (this.failing) this.logger.info('usage journal writes work again');
      this.failing = false;
    } catch (error) {
      // Not fatal: the events are still queued in memory for the database; only crash-safety is lost.
      if (!this.failing) {
        this.logger.error('usage journal write failed; a crash now could lose recent usage', {
          dir: this.dir,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      this.failing = true;
    }
  }

  private writeAndTrim(): void {
    if (this.buffered.length > 0) {
      const lines = this.buffered;
      this.buffered = [];
      // Numbered even if the write fails: acknowledgements count every event, so a segment's end must too (a
      // failed write's events are not journaled, but they are still queued for the database, as without one).
      this.written += lines.length;
      const segment = this.current ?? this.openSegment();
      const text = `${lines.join('\n')}\n`;
      writeSync(segment.fd, text, null, 'utf8');
      segment.end = this.written;
      segment.bytes += Buffer.byteLength(text);
      if (segment.bytes >= this.segmentBytes) {
        this.full.push(segment);
        this.current = null;
      }
    }
    while (this.full[0] && this.full[0].end <= this.acked) {
      const done = this.full.shift() as Segment;
      closeSync(done.fd);
      removeFile(done.file);
    }
    const open = this.current;
    if (open && open.bytes > 0 && open.end <= this.acked) {
      // Everything in it is stored: empty it in place (O_APPEND: writes go on at offset 0) rather than rotate.
      ftruncateSync(open.fd, 0);
      open.bytes = 0;
    }
  }

  private openSegment(): Segment {
    const file = path.join(this.dir, `usage-journal.${this.runId}-${this.segmentCount++}.ndjson`);
    const segment: Segment = { file, fd: openSync(file, 'a', 0o600), end: this.written, bytes: 0 };
    this.current = segment;
    return segment;
  }
}

/** Deletes a journal file; one already gone (another process's start adopted it) is not an error. */
function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
