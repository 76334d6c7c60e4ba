import cluster from 'node:cluster';
import { workerLogger } from './cluster/worker-logger';
import { loadRouterEnv, type RouterEnv } from './env';
import { createLogger } from './logger';

/**
 * Entry point: validates the environment, then runs the router in this process or, with ROUTER_WORKERS above 1,
 * becomes the cluster primary that forks the workers (each runs this file again and starts a router). The router's
 * modules (Prisma, undici, the pipeline) are imported only where a router starts, so the primary, which serves no
 * request, stays small.
 */
async function main(): Promise<void> {
  let env: RouterEnv;
  try {
    env = loadRouterEnv();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(env.LOG_LEVEL, { format: env.LOG_FORMAT });
  if (env.ROUTER_WORKERS > 1 && cluster.isPrimary) {
    const { runPrimary } = await import('./cluster/run-primary');
    runPrimary(env, logger);
    return;
  }
  const { startRouter } = await import('./start-router');
  if (!cluster.isWorker) return startRouter(env, logger, null);
  const worker = env.ROUTER_WORKER_SLOT ?? 0;
  await startRouter(env, workerLogger(logger, worker), worker);
}

void main();
