import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { positionalUsageRow } from '@switchyard/db/usage-repository';
import type { UsageBatchWrite } from './usage-sink';

const CURRENT = 'usage-spill.ndjson';
const REPLAYING = /^usage-spill\.\d+\.replaying\.ndjson$/;

/**
 * The usage sink's overflow while PostgreSQL is away: an append-only NDJSON file, one serialized usage
 * event per line, synced to disk before `append` resolves, so a spilled event survives `kill -9` and a
 * restart replays it. Replay moves the current file aside (appends go on into a fresh one), writes it in
 * batches through the same idempotent insert as live events, and deletes it only when every batch landed;
 * a replay cut short is simply repeated (the request id makes repeats harmless).
 */
export class UsageSpillFile {
  private handle: FileHandle | null = null;
  private currentBytes = 0;
  private asideBytes = 0;
  private currentEvents = 0;
  private asideEvents = 0;
  private replaying: Promise<number> | null = null;
  /** Files adopted so far, to keep their replay names unique. */
  private adopted = 0;

  constructor(
    readonly dir: string,
    /** Spill size at which the router stops taking paid requests rather than risk losing records. */
    readonly maxBytes: number,
    private readonly onCorruptLine?: (file: string) => void,
  ) {}

  /** Creates the directory and counts what earlier processes left behind. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.dir)) {
      if (name !== CURRENT && !REPLAYING.test(name)) continue;
      const file = path.join(this.dir, name);
      const { size } = await stat(file);
      const events = await countLines(file);
      if (name === CURRENT) {
        this.currentBytes = size;
        this.currentEvents = events;
      } else {
        this.asideBytes += size;
        this.asideEvents += events;
      }
    }
  }

  /** Appends events and syncs them to disk. */
  async append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    this.handle ??= await open(path.join(this.dir, CURRENT), 'a', 0o600);
    const text = `${lines.join('\n')}\n`;
    await this.handle.appendFile(text, 'utf8');
    await this.handle.datasync();
    this.currentBytes += Buffer.byteLength(text);
    this.currentEvents += lines.length;
  }

  /**
   * Takes over a file of serialized events, one a line (a usage journal an earlier process left behind): syncs
   * it to disk and moves it into the replay set, as if it had been spilled. Call after `open()`. Resolves with
   * the events it holds.
   */
  async adopt(file: string): Promise<number> {
    const handle = await open(file, 'r+');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    const { size } = await stat(file);
    const events = await countLines(file);
    await rename(
      file,
      path.join(
        this.dir,
        `usage-spill.${Date.now()}${String(this.adopted++).padStart(6, '0')}.replaying.ndjson`,
      ),
    );
    this.asideBytes += size;
    this.asideEvents += events;
    return events;
  }

  /** Events on disk, not yet known to be stored in the database. */
  events(): number {
    return this.currentEvents + this.asideEvents;
  }

  bytes(): number {
    return this.currentBytes + this.asideBytes;
  }

  isFull(): boolean {
    return this.bytes() >= this.maxBytes;
  }

  /**
   * Writes every spilled event through `write` (at most `maxBatch` serialized events per call). Resolves with the number of events replayed; rejects, keeping the files, when a write fails.
   * Concurrent calls share one replay.
   */
  replay(write: UsageBatchWrite, maxBatch: number): Promise<number> {
    this.replaying ??= this.replayOnce(write, maxBatch).finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  async close(): Promise<void> {
    await this.replaying?.catch(() => undefined);
    await this.handle?.close();
    this.handle = null;
  }

  private async replayOnce(write: UsageBatchWrite, maxBatch: number): Promise<number> {
    if (this.currentEvents > 0) {
      await this.handle?.close();
      this.handle = null;
      await rename(
        path.join(this.dir, CURRENT),
        path.join(this.dir, `usage-spill.${Date.now()}.replaying.ndjson`),
      );
      this.asideBytes += this.currentBytes;
      this.asideEvents += this.currentEvents;
      this.currentBytes = 0;
      this.currentEvents = 0;
    }
    let replayed = 0;
    const aside = (await readdir(this.dir)).filter((name) => REPLAYING.test(name)).sort();
    for (const name of aside) {
      const file = path.join(this.dir, name);
      const { size } = await stat(file);
      let batch: string[] = [];
      let events = 0;
      let counted = 0;
      const lines = createInterface({
        input: createReadStream(file, 'utf8'),
        crlfDelay: Number.POSITIVE_INFINITY,
      });
      for await (const line of lines) {
        if (line.length === 0) continue;
        counted++;
        const row = replayableRow(line);
        if (row === null) {
          // Only a write cut off by a crash leaves a partial line; its sync never completed.
          this.onCorruptLine?.(name);
          continue;
        }
        batch.push(row);
        events++;
        if (batch.length >= maxBatch) {
          await write(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await write(batch);
      await unlink(file);
      this.asideBytes = Math.max(0, this.asideBytes - size);
      this.asideEvents = Math.max(0, this.asideEvents - counted);
      replayed += events;
    }
    return replayed;
  }
}

/**
 * The line as the insert statement reads it, or null when it is not JSON. A row an earlier router spilled or
 * journaled as a keyed object becomes a positional row with the same values (the journal's files are adopted into
 * the spill, so this is where both are read back after an upgrade).
 */
function replayableRow(line: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  return positionalUsageRow(line, parsed);
}

async function countLines(file: string): Promise<number> {
  let count = 0;
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) if (line.length > 0) count++;
  return count;
}
