import type { WorkerReply, WorkerRequest, WorkerResult, WorkerTask } from './load-task';
import { runClosedLoop } from './run-closed-loop';
import { runPacedLoad } from './run-paced-load';
import { runRoundTrips } from './run-round-trips';
import { runStreamTtfb } from './run-stream-ttfb';

/**
 * The load generator's own process (forked by `LoadWorker` in load-worker.ts): on a 2-core box the client, the mock and the
 * router compete for CPU, so the client must not share an event loop with the process that measures
 * memory or with anything else; it also lets the bench pin it to a CPU.
 */
function runTask(task: WorkerTask): Promise<WorkerResult> {
  switch (task.kind) {
    case 'paced':
      return runPacedLoad(task);
    case 'stream-ttfb':
      return runStreamTtfb(task);
    case 'closed':
      return runClosedLoop(task);
    case 'round-trip':
      return runRoundTrips(task);
  }
}

const send = (reply: WorkerReply) => process.send?.(reply);

process.on('message', (message: WorkerRequest) => {
  runTask(message.task).then(
    (result) => send({ id: message.id, result }),
    (error: unknown) =>
      send({
        id: message.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
process.on('disconnect', () => process.exit(0));
