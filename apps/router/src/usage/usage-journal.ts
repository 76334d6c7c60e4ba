import { type FileHandle, open, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger';
import type { UsageSpillFile } from './usage-spill-file';

const SEGMENT = /^usage-journal\.[0-9a-z-]+\.ndjson$/;

/** A journal file this process writes: the events numbered [start, end) of this run, in record order. */
interface Segment {
  file: string;
  handle: FileHandle;
  /** Sequence number (0-based, this run) one past the last event written into it. */
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
 * Write-ahead log of settled usage events against a process crash (SIGKILL, the OOM killer): each event the
 * sink takes is appended to a local NDJSON file a few milliseconds later, and dropped once its batch is durably
 * stored. Appends are plain writes (the page cache outlives the process; only a machine crash needs fsync,
 * which the spill does while the database is away), batched per event-loop turn and made off the request path.
 * What an earlier process left behind is synced and handed to the spill at start, whose idempotent replay
 * (the request id is the primary key) stores it once.
 *
 * Bounded on disk: a segment closes at `segmentBytes` and is deleted once every event in it is acknowledged;
 * the open segment is truncated whenever everything written to it is. So the journal holds what is not yet
 * stored plus at most one segment.
 */
export class UsageJournal implements UsageEventJournal {
  private buffered: string[] = [];
  private scheduled = false;
  private working: Promise<void> | null = null;
  /** Events written to a segment, and events acknowledged, this run. */
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
    if (this.scheduled || this.working || this.closed) return;
    // One write per event-loop turn: every event settled in this turn goes in the same write.
    this.scheduled = true;
    setImmediate(this.flushNow);
  }

  acknowledge(count: number): void {
    if (count === 0) return;
    this.acked += count;
    if (!this.scheduled && !this.working && !this.closed) {
      this.scheduled = true;
      setImmediate(this.flushNow);
    }
  }

  /** Resolves once everything appended and acknowledged so far is reflected on disk. */
  async idle(): Promise<void> {
    while (this.working || this.scheduled) {
      if (this.working) await this.working;
      else await new Promise((resolve) => setImmediate(resolve));
    }
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
    await this.idle();
    if (this.buffered.length > 0) {
      this.work(); // one last try; on failure those events are only in the sink's memory, as before the journal
      await this.working;
    }
    for (const segment of [...this.full, ...(this.current ? [this.current] : [])]) {
      if (segment.end <= this.acked) {
        await segment.handle.close();
        await removeFile(segment.file);
      } else {
        await segment.handle.datasync();
        await segment.handle.close();
      }
    }
    this.full = [];
    this.current = null;
  }

  private work(): void {
    if (this.working) return;
    this.working = this.writeAndTrim()
      .then(
        () => {
          if (this.failing) this.logger.info('usage journal writes work again');
          this.failing = false;
        },
        (error: unknown) => {
          // Not fatal: the events are still queued in memory for the database; only crash-safety is lost.
          if (!this.failing) {
            this.logger.error('usage journal write failed; a crash now could lose recent usage', {
              dir: this.dir,
              error: error instanceof Error ? error.message : String(error),
            });
          }
          this.failing = true;
        },
      )
      .finally(() => {
        this.working = null;
        if (this.buffered.length > 0 && !this.closed && !this.scheduled) {
          this.scheduled = true;
          setImmediate(this.flushNow);
        }
      });
  }

  private async writeAndTrim(): Promise<void> {
    if (this.buffered.length > 0) {
      const lines = this.buffered;
      this.buffered = [];
      // Numbered even if the write fails: acknowledgements count every event, so a segment's end must too (a
      // failed write's events are not journaled, but they are still queued for the database, as without one).
      this.written += lines.length;
      const segment = this.current ?? (await this.openSegment());
      const text = `${lines.join('\n')}\n`;
      await segment.handle.write(text, null, 'utf8');
      segment.end = this.written;
      segment.bytes += Buffer.byteLength(text);
      if (segment.bytes >= this.segmentBytes) {
        this.full.push(segment);
        this.current = null;
      }
    }
    while (this.full[0] && this.full[0].end <= this.acked) {
      const done = this.full.shift() as Segment;
      await done.handle.close();
      await removeFile(done.file);
    }
    const open = this.current;
    if (open && open.bytes > 0 && open.end <= this.acked && this.buffered.length === 0) {
      // Everything in it is stored: empty it in place (appends go on at offset 0) rather than rotate.
      await open.handle.truncate(0);
      open.bytes = 0;
    }
  }

  private async openSegment(): Promise<Segment> {
    const file = path.join(this.dir, `usage-journal.${this.runId}-${this.segmentCount++}.ndjson`);
    const handle = await open(file, 'a', 0o600);
    const segment: Segment = { file, handle, end: this.written, bytes: 0 };
    this.current = segment;
    return segment;
  }
}

/** Deletes a journal file; one already gone (another process's start adopted it) is not an error. */
async function removeFile(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
