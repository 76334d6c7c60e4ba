import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
// Only the writer's module, not the package index (Prisma's client is not needed here and is slow to load).
import { createUsageBatchWriter } from '@switchyard/db/usage-repository';

/** A batch to write, and the reply the main thread waits for. */
export interface WriteRequest {
  id: number;
  /** The batch as `encodeUsageBatch` made it: its memory is transferred, not copied, across threads. */
  batch: Uint8Array;
}
export type WriteReply =
  | { id: number; ok: true; inserted: number; deadLettered: number }
  | { id: number; ok: false; error: string }
  | { id: 0; connectionError: string }
  | { id: 0; ready: true };

// Runs in a worker thread with its own heap. The batch payload and everything the driver builds around it
// live and die here: on the router's thread they were the main source of objects surviving young GCs (the
// scavenges then copied them, pausing requests for milliseconds; measured in bench/).
const { databaseUrl, nice } = workerData as { databaseUrl: string; nice: number };
const port = parentPort;
if (!port) throw new Error('usage-writer-worker must run as a worker thread');
// On Linux a nice value belongs to a thread: pid 0 here lowers only this writer thread, so when both are
// runnable on one core the request thread goes first. Elsewhere (or without permission) it stays as is.
try {
  os.setPriority(0, nice);
} catch {
  // Not fatal: the writer just competes at the router's own priority.
}
const writer = createUsageBatchWriter(databaseUrl, {
  onError: (error) => port.postMessage({ id: 0, connectionError: error.message } satisfies WriteReply),
});

port.on('message', (message: WriteRequest | 'close') => {
  if (message === 'close') {
    void writer.close().finally(() => port.close());
    return;
  }
  writer.write(message.batch).then(
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
});
// Loaded and listening: the router waits for this before it takes traffic.
port.postMessage({ id: 0, ready: true } satisfies WriteReply);
// Connect and plan now rather than on the first batch (a batch that arrives meanwhile waits for the connection).
void writer.warm();
