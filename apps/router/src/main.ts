import {
  createCredentialCipher,
  createPrismaClient,
  digestApiKey,
  listenForConfigChanges,
  loadConfigSnapshot,
  parseMasterKey,
  serializeUsageEvent,
} from '@switchyard/db';
import { Agent } from 'undici';
import { SnapshotStore } from './config/snapshot-store';
import { loadRouterEnv } from './env';
import { createLogger } from './logger';
import type { RouterContext } from './router-context';
import { createRouterServer } from './server';
import { BatchedUsageSink } from './usage/batched-usage-sink';
import { startWorkerUsageWriter } from './usage/worker-usage-writer';

/** Composition root: validate env, wire the real stores, serve, and shut down without losing usage. */
async function main(): Promise<void> {
  let env: ReturnType<typeof loadRouterEnv>;
  try {
    env = loadRouterEnv();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(env.LOG_LEVEL);
  let cipher: ReturnType<typeof createCredentialCipher>;
  try {
    cipher = createCredentialCipher(parseMasterKey(env.SWITCHYARD_MASTER_KEY));
  } catch (error) {
    process.stderr.write(
      `Invalid router configuration:\n  SWITCHYARD_MASTER_KEY: ${(error as Error).message}\n`,
    );
    process.exit(1);
  }
  const prisma = createPrismaClient(env.DATABASE_URL);

  const snapshots = new SnapshotStore({
    load: () =>
      loadConfigSnapshot(prisma, cipher, {
        onCredentialError: (accountId, error) =>
          logger.error('upstream credential cannot be decrypted; account disabled', {
            accountId,
            error: error.message,
          }),
      }),
    subscribe: (onChange) =>
      listenForConfigChanges(env.DATABASE_URL, () => onChange(), { log: (message) => logger.warn(message) }),
    refreshIntervalMs: env.SNAPSHOT_REFRESH_MS,
    logger,
  });
  const usageWriter = startWorkerUsageWriter(env.DATABASE_URL, logger);
  const usage = new BatchedUsageSink({
    serialize: serializeUsageEvent,
    write: (rowsJson) => usageWriter.write(rowsJson),
    flushIntervalMs: env.USAGE_FLUSH_MS,
    maxBatch: env.USAGE_BATCH_SIZE,
    logger,
  });
  const dispatcher = new Agent({
    connections: env.UPSTREAM_CONNECTIONS,
    keepAliveTimeout: 30_000,
    connect: { timeout: env.UPSTREAM_CONNECT_TIMEOUT_MS },
  });
  const ctx: RouterContext = {
    snapshots,
    usage,
    dispatcher,
    limits: {
      maxBodyBytes: env.ROUTER_MAX_BODY_BYTES,
      maxAttempts: env.ROUTER_MAX_ATTEMPTS,
      headersTimeoutMs: env.UPSTREAM_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: env.UPSTREAM_BODY_TIMEOUT_MS,
    },
    logger,
    digestKey: digestApiKey,
    now: Date.now,
    random: Math.random,
  };

  const server = createRouterServer(ctx);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.ROUTER_PORT, env.ROUTER_HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.ROUTER_PORT;
  logger.info('router listening', { url: `http://${env.ROUTER_HOST}:${port}` });
  await snapshots.start();
  logger.info('config snapshot ready');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal, usagePending: usage.pending() });
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => {
        server.closeAllConnections();
        resolve();
      }, 10_000).unref();
    });
    await usage.close(15_000);
    await usageWriter.close();
    await snapshots.stop();
    await dispatcher.close();
    await prisma.$disconnect();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main();
