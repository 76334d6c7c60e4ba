import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
// Only the writer's module, not the package index (Prisma's client is not needed here and is slow to load).
import { createUsageBatchWriter } from '@switchyard/db/usage-repository';
import { lowerThreadPriority } from '../lower-thread-priority';

/** A batch to write, and the reply the main thread waits for. */
export interface WriteRequest {
  id: number;
  /** The batch as `encodeUsageBatch` made it: its memory is transferred, not copied, across threads. */
  batch: Uint8Array;
}
/** Asks the thread what its heap holds (see UsageWriterThread.memory). */
export interface MemoryRequest {
  id: number;
  memory: true;
}
/** What the writer thread's heap holds, in bytes. */
export interface WriterMemory {
  /** Memory outside the heap owned by heap objects (batch bytes, the driver's buffers), not yet freed. */
  external: number;
  /** Large-object space: any single object over ~128 KiB (a whole batch as one string would be one). */
  largeObjects: number;
  heapPhysical: number;
}
export type WriteReply =
  | { id: number; ok: true; inserted: number; deadLettered: number }
  | { id: number; ok: false; error: string }
  | { id: number; memory: WriterMemory }
  | { id: 0; connectionError: string }
  | { id: 0; ready: true };

// Runs in a worker thread with its own heap. The batch payload and everything the driver builds around it
// live and die here: on the router's thread they were the main source of objects surviving young GCs (the
// scavenges then copied them, pausing requests for milliseconds; measured in bench/).
const { databaseUrl, nice } = workerData as { databaseUrl: string; nice: number };
const port = parentPort;
if (!port) throw new Error('usage-writer-worker must run as a worker thread');
lowerThreadPriority(nice);
const writer = createUsageBatchWriter(databaseUrl, {
  onError: (error) => port.postMessage({ id: 0, connectionError: error.message } satisfies WriteReply),
});

/**
 * A batch's bytes and the driver's copy of them (its Bind message) live outside the heap and are freed only when
 * the small heap objects owning them are collected, and those are old by then (a scavenge frees nothing of them,
 * measured). This thread allocates so little on its heap that V8 starts a mark-compact only once ~64 MiB of such
 * memory has piled up (its external-memory trigger; 59 MiB in the writer at 1,000 req/s, the router's RSS peak),
 * so after every COLLECT_AFTER_BYTES of batches the thread collects itself. A full GC of its ~8 MiB heap stops
 * only this thread: about once per 2 s at 1,000 req/s, p50 30 ms of wall time on a loaded host (docs/benchmarks.md).
 */
const COLLECT_AFTER_BYTES = 2 * 1024 * 1024;
let writtenSinceCollect = 0;
/**
 * V8's full collection, the only way to ask for one from JavaScript: `gc` exists when the process was started with
 * `--expose-gc` (the router's start script; V8 flags are process-wide, so this thread has it too). A router started
 * without the flag skips these collections: the thread's memory outside the heap then waits for V8's own trigger.
 */
const collectGarbage = typeof globalThis.gc === 'function' ? globalThis.gc : null;

function memory(): WriterMemory {
  const heap = v8.getHeapStatistics();
  const large = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'large_object_space');
  return {
    external: heap.external_memory,
    largeObjects: large?.space_size ?? 0,
    heapPhysical: heap.total_physical_size,
  };
}

port.on('message', (message: WriteRequest | MemoryRequest | 'close') => {
  if (message === 'close') {
    void writer.close().finally(() => port.close());
    return;
  }
  if ('memory' in message) {
    port.postMessage({ id: message.id, memory: memory() } satisfies WriteReply);
    return;
  }
  writtenSinceCollect += message.batch.byteLength;
  const replied = writer.write(message.batch).then(
    (result) =>
      port.postMessage({
        id: message.id,
        ok: true,
        inserted: result.inserted,
        deadLettered: result.deadLettered,
      } satisfies WriteReply),
    (error: unknown) =>
      port.postMessage({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      } satisfies WriteReply),
  );
  if (collectGarbage && writtenSinceCollect >= COLLECT_AFTER_BYTES) {
    writtenSinceCollect = 0;
    // Once the write is done and this turn's references to it are gone.
    void replied.then(() => setImmediate(() => collectGarbage()));
  }
});
// Loaded and listening: the router waits for this before it takes traffic.
port.postMessage({ id: 0, ready: true } satisfies WriteReply);
// Connect and plan now rather than on the first batch (a batch that arrives meanwhile waits for the connection).
void writer.warm();
