import { Worker } from 'node:worker_threads';
import { encodeUsageBatch } from '@switchyard/db/usage-repository';
import type { Logger } from '../logger';
import { workerScript } from '../worker-script';
import type { MemoryRequest, WriteReply, WriteRequest, WriterMemory } from './usage-writer-worker';

const WORKER_SCRIPT = workerScript(import.meta.url, 'usage-writer-worker');

/**
 * The writer thread's nice value (Linux: per thread). Writing usage is bookkeeping with slack (a batch every
 * 200 ms, spilled to disk if late); requests on the main thread must win when both want the same core.
 */
const WRITER_NICE = 10;

/** Writes usage batches from a worker thread; `write` resolves once the batch is stored. */
export interface UsageWriterThread {
  /**
   * Resolves once the first thread has loaded its code (rejects if it exits first). Until then a write waits
   * in the thread's inbox, so a database outage right after start-up would only be noticed that much later.
   */
  ready: Promise<void>;
  /** Writes serialized usage events (idempotent by request id). */
  write(rows: readonly string[]): Promise<void>;
  /** What the thread's heap holds now (diagnostics: what a batch leaves behind there). */
  memory(): Promise<WriterMemory>;
  close(): Promise<void>;
}

/**
 * Starts the usage writer thread now, so it is ready before the first batch. If the thread dies, pending
 * writes fail (the batched sink keeps, spills and retries them) and the next write starts a new thread.
 */
export function startUsageWriterThread(
  databaseUrl: string,
  logger: Logger,
  onDeadLettered: (events: number) => void = () => {},
): UsageWriterThread {
  // V8 flags are process-wide: the thread has `gc` exactly when this thread does (see usage-writer-worker.ts).
  if (typeof globalThis.gc !== 'function')
    logger.warn('the usage writer thread cannot collect its heap: node was started without --expose-gc', {
      hint: 'run the router by its start script (apps/router/package.json), which sets the flag',
    });
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (memory?: WriterMemory) => void; reject: (error: Error) => void }
  >();

  let markReady: () => void = () => {};
  let failReady: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });

  const spawnWorker = (): Worker => {
    const w = new Worker(WORKER_SCRIPT.filename, {
      eval: WORKER_SCRIPT.eval,
      execArgv: [],
      workerData: { databaseUrl, nice: WRITER_NICE },
    });
    w.on('message', (reply: WriteReply) => {
      if ('ready' in reply) {
        // Held referenced until now, so a process waiting only for `ready` does not exit first.
        w.unref();
        markReady();
        return;
      }
      if ('connectionError' in reply) {
        logger.warn('usage database connection failed', { error: reply.connectionError });
        return;
      }
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if ('memory' in reply) return waiter.resolve(reply.memory);
      if (!reply.ok) return waiter.reject(new Error(reply.error));
      if (reply.deadLettered > 0) {
        // Written, but not all as usage rows: an operator must account for these by hand (console: Dead letters).
        logger.error('usage events refused by PostgreSQL were set aside in usage_dead_letters', {
          events: reply.deadLettered,
        });
        onDeadLettered(reply.deadLettered);
      }
      waiter.resolve();
    });
    w.on('error', (error) => logger.error('usage writer thread failed', { error: error.message }));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      failReady(new Error(`usage writer thread exited with code ${code} before it was ready`));
      if (pending.size > 0) {
        const error = new Error(`usage writer thread exited with code ${code}`);
        for (const waiter of pending.values()) waiter.reject(error);
        pending.clear();
      }
    });
    return w;
  };

  const ask = <T>(message: (id: number) => WriteRequest | MemoryRequest, transfer: ArrayBuffer[] = []) => {
    worker ??= spawnWorker();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (memory?: WriterMemory) => void, reject });
      (worker as Worker).postMessage(message(id), transfer);
    });
  };

  worker = spawnWorker();
  return {
    ready,
    write(rows) {
      // Encoded here into memory outside the heap and moved, not copied, to the thread: neither heap ever holds
      // the batch as one string.
      const batch = encodeUsageBatch(rows);
      return ask<void>((id) => ({ id, batch }) satisfies WriteRequest, [batch.buffer]);
    },
    memory: () => ask<WriterMemory>((id) => ({ id, memory: true }) satisfies MemoryRequest),
    async close() {
      const w = worker;
      if (!w) return;
      worker = null;
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage('close');
      const timer = setTimeout(() => void w.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
