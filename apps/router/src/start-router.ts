import cluster from 'node:cluster';
import { hostname } from 'node:os';
import path from 'node:path';
import { RetryBudget, RetryTokenRegistry } from '@switchyard/core';
import {
  createBudgetReportStore,
  createCredentialCipher,
  createHealthStore,
  createSmallPool,
  digestApiKey,
  listenForConfigChanges,
  loadConfigSnapshot,
  loadConfigVersion,
  parseMasterKey,
  refreshBudgetSpend,
  serializeUsageEvent,
} from '@switchyard/db';
import { Agent } from 'undici';
import { Billing } from './billing/billing';
import { BudgetAlerts } from './billing/budget-alerts';
import { startBudgetReporter } from './billing/budget-reporter';
import type { BudgetStore } from './billing/budget-store';
import { MemoryBudgetStore } from './billing/memory-budget-store';
import { RedisBudgetStore } from './billing/redis-budget-store';
import { configureTokenCountThread, tokenCountsSettled } from './billing/token-count-thread';
import { workerMetrics } from './cluster/cluster-metrics';
import type { WorkerMessage } from './cluster/worker-messages';
import { SnapshotStore } from './config/snapshot-store';
import { type RouterEnv, routerSettings } from './env';
import { type ActiveHealthChecks, startActiveHealthChecks } from './failover/active-health-checks';
import { startHealthReporter } from './failover/health-reporter';
import { LadderHealthView } from './failover/ladder-health-view';
import { UpstreamHealth } from './failover/upstream-health';
import { MemoryRateLimitStore } from './limits/memory-rate-limit-store';
import { RedisRateLimitStore } from './limits/redis-rate-limit-store';
import { RequestRateLimits } from './limits/request-rate-limits';
import type { Logger } from './logger';
import { RouterMetrics } from './metrics/router-metrics';
import { createMetricsServer, serveMetrics } from './metrics/serve-metrics';
import type { FailoverState, RouterContext } from './router-context';
import { createRouterServer } from './server';
import { loadTracing } from './tracing/load-tracing';
import { BatchedUsageSink } from './usage/batched-usage-sink';
import { replaySpillUntilStored } from './usage/replay-spill-until-stored';
import { UsageJournal } from './usage/usage-journal';
import { startUsageRetention } from './usage/usage-retention-job';
import { UsageSpillFile } from './usage/usage-spill-file';
import { startUsageWriterThread } from './usage/usage-writer-thread';
import { adoptRetiredWorkerSpills, workerSpillDir } from './usage/worker-spill-dir';

/**
 * Composition root of one router process: wire the real stores, serve, and shut down without losing usage.
 * `worker` is this process's ROUTER_WORKERS slot (it names its spill directory and its instance), or null when the
 * router runs as one process.
 */
export async function startRouter(env: RouterEnv, logger: Logger, worker: number | null): Promise<void> {
  let cipher: ReturnType<typeof createCredentialCipher>;
  try {
    cipher = createCredentialCipher(parseMasterKey(env.SWITCHYARD_MASTER_KEY));
  } catch (error) {
    process.stderr.write(
      `Invalid router configuration:\n  SWITCHYARD_MASTER_KEY: ${(error as Error).message}\n`,
    );
    process.exit(1);
  }
  // Configuration reads (snapshot, version, budget spend) over plain pg: no Prisma in the router (see
  // loadConfigSnapshot). Two connections, so a version check need not wait for a full load in flight.
  const configDb = createSmallPool(env.DATABASE_URL, {
    onError: (error) => logger.warn('config database connection failed', { error: error.message }),
    max: 2,
  });

  const settings = routerSettings(env);
  const health = new UpstreamHealth(settings.breaker);
  // One Redis connection for everything shared between router instances (budgets, rate limits). ioredis is loaded
  // only when it is used (the build keeps this import dynamic): without REDIS_URL it would be idle RSS.
  const redis = env.REDIS_URL
    ? (await import('./redis/redis-client')).createRedisConnection(env.REDIS_URL, { logger })
    : null;
  const budgetStore: BudgetStore = redis
    ? new RedisBudgetStore({
        redis,
        fallback: env.LIMITS_REDIS_FAILURE_POLICY === 'open' ? new MemoryBudgetStore() : null,
        logger,
      })
    : new MemoryBudgetStore();
  const budgetReports = createBudgetReportStore(env.DATABASE_URL, {
    onError: (error) => logger.warn('budget database connection failed', { error: error.message }),
  });
  const budgetAlerts = new BudgetAlerts({
    repository: budgetReports,
    logger,
    webhookTimeoutMs: env.BUDGET_WEBHOOK_TIMEOUT_MS,
    retryDelaysMs: env.BUDGET_WEBHOOK_RETRY_MS,
    maxAttempts: env.BUDGET_WEBHOOK_MAX_ATTEMPTS,
    pollIntervalMs: env.BUDGET_WEBHOOK_POLL_MS,
  });
  const billing = new Billing({
    store: budgetStore,
    alerts: budgetAlerts,
    leaseMs: env.BUDGET_RESERVATION_LEASE_MS ?? null,
    defaultMaxOutputTokens: env.BUDGET_DEFAULT_MAX_OUTPUT_TOKENS,
    failurePolicy: env.LIMITS_REDIS_FAILURE_POLICY,
    logger,
  });
  const rateLimitMemory = new MemoryRateLimitStore();
  const rateLimits = new RequestRateLimits({
    memory: rateLimitMemory,
    redis: redis ? new RedisRateLimitStore(redis) : null,
    failurePolicy: env.LIMITS_REDIS_FAILURE_POLICY,
    logger,
  });
  // Refilled buckets equal new ones: forgetting them bounds memory to the keys active in the last minute.
  const rateLimitPrune = setInterval(() => rateLimitMemory.prune(Date.now()), 60_000);
  rateLimitPrune.unref();
  // Per-account active health checks, scheduled from each snapshot (created below, once the pools exist).
  let activeChecks: ActiveHealthChecks | null = null;
  const snapshots = new SnapshotStore({
    load: () =>
      loadConfigSnapshot(configDb, cipher, {
        onInvalidPolicy: (routeId, trafficClass, message) =>
          logger.error('stored route policy is invalid; using the default for its class', {
            routeId,
            trafficClass,
            error: message,
          }),
        onCredentialError: (accountId, error) =>
          logger.error('upstream credential cannot be decrypted; account disabled', {
            accountId,
            error: error.message,
          }),
      }),
    subscribe: (onChange) =>
      listenForConfigChanges(env.DATABASE_URL, () => onChange(), { log: (message) => logger.warn(message) }),
    onLoad: (snapshot) => {
      health.syncAccounts(snapshot.accounts, Date.now());
      activeChecks?.sync(snapshot.accounts);
      for (const pair of health.syncRoutes(snapshot.routes)) {
        logger.error('stored breaker thresholds are invalid; the BREAKER_* defaults apply', {
          target: pair.replace('\u0000', ' '),
        });
      }
      billing.sync(snapshot);
    },
    version: () => loadConfigVersion(configDb),
    refreshSpend: async (snapshot) => {
      const at = Date.now();
      billing.syncSpend(await refreshBudgetSpend(configDb, snapshot.budgets, at), at);
    },
    refreshIntervalMs: env.SNAPSHOT_REFRESH_MS,
    fullRefreshIntervalMs: env.SNAPSHOT_FULL_REFRESH_MS,
    logger,
  });
  // Batches go to PostgreSQL from a worker thread: the payload and the driver's objects then live on another
  // heap, so the router's young GCs stay short (measured in bench/).
  // Dead letters are counted once the metrics exist (a write only happens after they do).
  const usageWriter = startUsageWriterThread(env.DATABASE_URL, logger, (events) =>
    metrics.deadLettered(events),
  );
  // Started by the first usage estimate, not now, and ended again after TOKEN_COUNT_IDLE_MS without one.
  configureTokenCountThread(env.TOKEN_COUNT_IDLE_MS);
  await usageWriter.ready;
  const spillRoot = path.resolve(env.USAGE_SPILL_DIR);
  const spill = new UsageSpillFile(
    workerSpillDir(spillRoot, worker ?? 0),
    env.USAGE_SPILL_MAX_BYTES,
    (file) =>
      logger.error('usage spill held a partial line (a write cut off by a crash); skipped it', { file }),
  );
  await spill.open();
  if ((worker ?? 0) === 0) {
    const adopted = await adoptRetiredWorkerSpills(spill, spillRoot, env.ROUTER_WORKERS);
    if (adopted > 0)
      logger.warn('usage left by workers of a run with more ROUTER_WORKERS is stored here', {
        events: adopted,
      });
  }
  const journal = new UsageJournal(spill.dir, env.USAGE_JOURNAL_SEGMENT_BYTES, logger);
  // Even with the journal off now: what an earlier run journaled is still to be stored.
  const journaled = await journal.open(spill);
  const writeUsage = async (rows: readonly string[]) => {
    await usageWriter.write(rows);
  };
  const usage = new BatchedUsageSink({
    spill,
    ...(env.USAGE_JOURNAL === 'on' ? { journal } : {}),
    serialize: serializeUsageEvent,
    write: writeUsage,
    flushIntervalMs: env.USAGE_FLUSH_MS,
    maxBatch: env.USAGE_BATCH_SIZE,
    logger,
  });
  // One pool per distinct connect timeout (policies use a handful of values), capped by the env's.
  const dispatchers = new Map<number, Agent>();
  const dispatcherFor = (connectMs: number): Agent => {
    const timeout = Math.min(connectMs, env.UPSTREAM_CONNECT_TIMEOUT_MS);
    let agent = dispatchers.get(timeout);
    if (!agent) {
      agent = new Agent({
        connections: env.UPSTREAM_CONNECTIONS,
        keepAliveTimeout: 30_000,
        connect: { timeout },
      });
      dispatchers.set(timeout, agent);
    }
    return agent;
  };
  const healthStore = createHealthStore(env.DATABASE_URL, {
    onError: (error) => logger.warn('health database connection failed', { error: error.message }),
  });
  const failover: FailoverState = {
    health,
    view: new LadderHealthView(health, () => snapshots.current(), env.BREAKER_PANIC_MIN_SUCCESS_RATE),
    retryBudget: new RetryBudget(),
    retryTokens: new RetryTokenRegistry(),
    inFlight: 0,
    onCredentialRejected: (account, message) => {
      const accountId = account.id;
      logger.error('upstream rejected an account credential; the account gets no traffic until reset', {
        accountId,
        detail: message,
      });
      const epoch = account.credentialEpoch ?? 0;
      healthStore.markCredentialRejected(accountId, epoch, message, Date.now()).catch((error: unknown) =>
        logger.warn('could not persist a rejected credential', {
          accountId,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    },
  };
  const instanceId =
    env.ROUTER_INSTANCE_ID === undefined
      ? `${hostname()}:${process.pid}`
      : worker === null
        ? env.ROUTER_INSTANCE_ID
        : `${env.ROUTER_INSTANCE_ID}/worker-${worker}`;
  const healthReporter = startHealthReporter({
    instanceId,
    health,
    store: healthStore,
    intervalMs: env.HEALTH_REPORT_MS,
    settings,
    logger,
  });
  const budgetReporter = startBudgetReporter({
    instanceId,
    store: budgetStore,
    reports: budgetReports,
    intervalMs: env.BUDGET_REPORT_MS,
    logger,
  });
  const retention =
    env.USAGE_RETENTION_DAYS > 0
      ? startUsageRetention({
          databaseUrl: env.DATABASE_URL,
          retentionDays: env.USAGE_RETENTION_DAYS,
          intervalMs: 3_600_000,
          logger,
          now: Date.now,
          random: Math.random,
        })
      : null;
  // Always on: captured bodies must expire even where raw usage is kept forever.
  const payloadRetention = startUsageRetention({
    databaseUrl: env.DATABASE_URL,
    table: 'request_payloads',
    retentionDays: env.PAYLOAD_RETENTION_DAYS,
    intervalMs: 3_600_000,
    logger,
    now: Date.now,
    random: Math.random,
  });
  activeChecks = startActiveHealthChecks({
    defaultIntervalMs: env.HEALTH_CHECK_INTERVAL_MS,
    timeoutMs: env.HEALTH_CHECK_TIMEOUT_MS,
    table: () => snapshots.current(),
    health,
    dispatcher: dispatcherFor(env.HEALTH_CHECK_TIMEOUT_MS),
    onCredentialRejected: failover.onCredentialRejected,
    logger,
  });
  const metrics = new RouterMetrics({
    failover,
    usage,
    spillBytes: () => spill.bytes(),
    budgetUsage: (now) => budgetStore.usage(now),
    table: () => snapshots.current(),
    configVersion: () => snapshots.configVersion(),
    now: Date.now,
  });
  const tracing = await loadTracing(
    {
      endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: env.OTEL_SERVICE_NAME,
      exportDelayMs: env.OTEL_BSP_SCHEDULE_DELAY,
    },
    logger,
  );
  const ctx: RouterContext = {
    snapshots,
    usage,
    dispatcherFor,
    failover,
    billing,
    rateLimits,
    limits: {
      maxBodyBytes: env.ROUTER_MAX_BODY_BYTES,
      maxAttempts: env.ROUTER_MAX_ATTEMPTS,
      headersTimeoutMs: env.UPSTREAM_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: env.UPSTREAM_BODY_TIMEOUT_MS,
      maxResponseBytes: env.UPSTREAM_MAX_RESPONSE_BYTES,
      maxSseEventBytes: env.UPSTREAM_MAX_SSE_EVENT_BYTES,
      bodyIdleTimeoutMs: env.ROUTER_BODY_IDLE_TIMEOUT_MS,
      payloadCaptureBytes: env.PAYLOAD_CAPTURE_MAX_BYTES,
    },
    logger,
    metrics,
    tracing,
    digestKey: digestApiKey,
    worker,
    now: Date.now,
    random: Math.random,
  };

  // A worker's scrape is every worker's, aggregated by the primary, which also serves ROUTER_METRICS_PORT itself.
  const scrape = serveMetrics(
    worker === null ? metrics.registry : workerMetrics(metrics.registry),
    env.ROUTER_METRICS_TOKEN ?? null,
    logger,
  );
  const metricsServer =
    env.ROUTER_METRICS_PORT === undefined || worker !== null ? null : createMetricsServer(scrape);
  if (metricsServer !== null) {
    const metricsHost = env.ROUTER_METRICS_HOST ?? env.ROUTER_HOST;
    await new Promise<void>((resolve, reject) => {
      metricsServer.once('error', reject);
      metricsServer.listen(env.ROUTER_METRICS_PORT, metricsHost, resolve);
    });
    const bound = metricsServer.address();
    const metricsPort = typeof bound === 'object' && bound ? bound.port : env.ROUTER_METRICS_PORT;
    logger.info('metrics listening', { scrapeUrl: `http://${metricsHost}:${metricsPort}/metrics` });
  }
  const server = createRouterServer(ctx, {
    headersTimeoutMs: env.ROUTER_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.ROUTER_REQUEST_TIMEOUT_MS,
    maxConnections: env.ROUTER_MAX_CONNECTIONS,
    accessLog: env.LOG_LEVEL === 'debug',
    metrics: env.ROUTER_METRICS_PORT === undefined ? scrape : null,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.ROUTER_PORT, env.ROUTER_HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.ROUTER_PORT;
  logger.info('router listening', { url: `http://${env.ROUTER_HOST}:${port}` });
  if (spill.events() > 0) {
    logger.warn('usage events spilled or journaled by an earlier run are waiting; storing them first', {
      events: spill.events(),
      journaled,
    });
    // Before the first snapshot reads budget spend from the database, so that spend includes them (until
    // then the router answers "starting"; the listening server is also what keeps this process alive).
    const replayed = await replaySpillUntilStored({
      spill,
      write: writeUsage,
      maxBatch: env.USAGE_BATCH_SIZE,
      logger,
    });
    logger.info('usage left by an earlier run is stored', { events: replayed });
  }
  await snapshots.start();
  usage.resume();
  budgetAlerts.start();
  if (worker === null) logger.info('config snapshot ready');
  else {
    // The primary says "config snapshot ready" once every worker has sent this.
    logger.info('router worker ready');
    const ready: WorkerMessage = { type: 'switchyard:ready' };
    process.send?.(ready);
  }

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
    // Answered requests whose usage is still being counted settle (and record) before the sink closes.
    metricsServer?.close();
    await tokenCountsSettled();
    await usage.close(15_000);
    await journal.close();
    await spill.close();
    await usageWriter.close();
    clearInterval(rateLimitPrune);
    await retention?.stop();
    await payloadRetention.stop();
    await snapshots.stop();
    await activeChecks?.stop();
    await healthReporter.stop();
    await healthStore.close();
    await budgetReporter.stop();
    await budgetAlerts.drain();
    await budgetReports.close();
    await budgetStore.close();
    await redis?.close();
    await Promise.all([...dispatchers.values()].map((agent) => agent.close()));
    await configDb.end();
    await tracing?.shutdown();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // The primary is gone (killed): no one hands this worker connections any more, and no one would restart it.
  if (worker !== null) {
    // node:cluster's own 'disconnect' listener makes a worker whose primary vanished exit at once (cutting answers
    // mid-stream, leaving usage in the journal until the next start) unless the worker counts as one exiting
    // after a disconnect: marked so, it drains like on SIGTERM instead.
    if (cluster.worker) cluster.worker.exitedAfterDisconnect = true;
    process.on('disconnect', () => void shutdown('primary exited'));
    if (!process.connected) void shutdown('primary exited');
  }
}
