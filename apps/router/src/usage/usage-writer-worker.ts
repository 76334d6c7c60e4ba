import { parentPort, workerData } from 'node:worker_threads';
import { createPrismaClient, insertSerializedUsageEvents } from '@switchyard/db';

/** A batch to write, and the reply the main thread waits for. */
export interface WriteRequest {
  id: number;
  /** JSON array of serialized usage events (one string: a cheap copy across threads). */
  rowsJson: string;
}
export type WriteReply =
  | { id: number; ok: true; inserted: number }
  | { id: number; ok: false; error: string };

// Runs in a worker thread: serialising the batch for PostgreSQL and the driver's work happen here, off the
// router's event loop, so a flush never stalls in-flight requests.
const { databaseUrl } = workerData as { databaseUrl: string };
const prisma = createPrismaClient(databaseUrl, { maxConnections: 2 });
const port = parentPort;
if (!port) throw new Error('usage-writer-worker must run as a worker thread');

port.on('message', (message: WriteRequest | 'close') => {
  if (message === 'close') {
    void prisma.$disconnect().finally(() => port.close());
    return;
  }
  insertSerializedUsageEvents(prisma, message.rowsJson).then(
    (result) =>
      port.postMessage({ id: message.id, ok: true, inserted: result.inserted } satisfies WriteReply),
    (error: unknown) =>
      port.postMessage({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      } satisfies WriteReply),
  );
});
