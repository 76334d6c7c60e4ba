import cluster, { type Worker } from 'node:cluster';
import type { RouterEnv } from '../env';
import type { Logger } from '../logger';
import { createMetricsServer, serveMetrics } from '../metrics/serve-metrics';
import { primaryMetrics } from './cluster-metrics';
import { isWorkerMessage, type PrimaryMessage } from './worker-messages';

/** A worker that lived at least this long before it died is restarted at once; a crash loop backs off. */
const STABLE_MS = 30_000;
const FIRST_RESTART_DELAY_MS = 250;
const MAX_RESTART_DELAY_MS = 10_000;

/**
 * The primary of ROUTER_WORKERS > 1: forks one router process per slot onto the shared ROUTER_PORT (node:cluster
 * hands each new connection to the next worker), restarts a worker that dies, aggregates the workers' metrics,
 * and on SIGTERM or SIGINT stops every worker gracefully (each drains its connections and stores its usage) before
 * it exits. It serves no requests and opens no database connection. A worker that dies before all have started
 * once stops the whole router (a configuration or port problem a restart would only repeat).
 */
export function runPrimary(env: RouterEnv, logger: Logger): void {
  const workers = env.ROUTER_WORKERS;
  const bySlot = new Map<number, Worker>();
  const ready = new Set<number>();
  const quickExits = new Map<number, number>();
  const startedAt = new Map<number, number>();
  let serving = false;
  let stopping = false;
  const metrics = primaryMetrics();
  const metricsServer =
    env.ROUTER_METRICS_PORT === undefined
      ? null
      : createMetricsServer(serveMetrics(metrics, env.ROUTER_METRICS_TOKEN ?? null, logger));

  const fork = (slot: number) => {
    const worker = cluster.fork({ ROUTER_WORKER_SLOT: String(slot) });
    bySlot.set(slot, worker);
    startedAt.set(slot, Date.now());
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.type === 'switchyard:ready') return onReady(slot, worker);
      metrics.metrics().then(
        (text) =>
          answer(worker, {
            type: 'switchyard:metrics',
            id: message.id,
            ok: true,
            text,
            contentType: metrics.contentType,
          }),
        (error: unknown) =>
          answer(worker, {
            type: 'switchyard:metrics',
            id: message.id,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
          }),
      );
    });
  };
  const onReady = (slot: number, worker: Worker) => {
    ready.add(slot);
    if (serving) {
      logger.info('router worker is back', { worker: slot, pid: worker.process.pid });
    } else if (ready.size === workers) {
      serving = true;
      logger.info('config snapshot ready', { workers });
    }
  };

  cluster.on('exit', (worker, code, signal) => {
    const slot = [...bySlot].find(([, w]) => w === worker)?.[0];
    if (slot === undefined) return;
    bySlot.delete(slot);
    ready.delete(slot);
    if (stopping) {
      if (bySlot.size === 0) finish();
      return;
    }
    const pid = worker.process.pid;
    if (!serving) {
      logger.error('a router worker exited before every worker had started; stopping', {
        worker: slot,
        pid,
        code,
        signal,
      });
      void stop('a worker failed to start', 1);
      return;
    }
    const lived = Date.now() - (startedAt.get(slot) ?? 0);
    const quick = lived < STABLE_MS ? (quickExits.get(slot) ?? 0) + 1 : 0;
    quickExits.set(slot, quick);
    const delayMs = restartDelayMs(quick);
    logger.error('router worker exited; starting a new one in its slot', {
      worker: slot,
      pid,
      code,
      signal,
      restartInMs: delayMs,
    });
    setTimeout(() => {
      if (!stopping) fork(slot);
    }, delayMs);
  });

  let exitCode = 0;
  const finish = () => {
    const done = () => {
      logger.info('stopped', { workers });
      process.exit(exitCode);
    };
    if (metricsServer) metricsServer.close(done);
    else done();
  };
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    logger.info('shutting down', { reason, workers: bySlot.size });
    if (bySlot.size === 0) return finish();
    // Each worker drains its connections and stores its usage (its own SIGTERM handler), then exits.
    for (const worker of bySlot.values()) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGINT', () => void stop('SIGINT', 0));

  const listening = metricsServer
    ? new Promise<void>((resolve, reject) => {
        const host = env.ROUTER_METRICS_HOST ?? env.ROUTER_HOST;
        metricsServer.once('error', reject);
        metricsServer.listen(env.ROUTER_METRICS_PORT, host, () => {
          const bound = metricsServer.address();
          const port = typeof bound === 'object' && bound ? bound.port : env.ROUTER_METRICS_PORT;
          logger.info('metrics listening', { scrapeUrl: `http://${host}:${port}/metrics`, workers });
          resolve();
        });
      })
    : Promise.resolve();
  listening.then(
    () => {
      logger.info('starting router workers', { workers });
      for (let slot = 0; slot < workers; slot++) fork(slot);
    },
    (error: unknown) => {
      logger.error('metrics port unavailable', {
        error: error instanceof Error ? error.message : String(error),
      });
      process.exit(1);
    },
  );
}

/**
 * How long to wait before replacing a worker that died, given how many times in a row its slot's worker died
 * within STABLE_MS of starting (0: it had run long enough, replace it at once): 0.25 s doubling up to 10 s.
 */
export function restartDelayMs(quickExits: number): number {
  return quickExits === 0
    ? 0
    : Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (quickExits - 1));
}

function answer(worker: Worker, message: PrimaryMessage): void {
  if (worker.isConnected()) worker.send(message);
}
