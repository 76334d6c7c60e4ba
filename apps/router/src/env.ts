import type { RouterSettings } from '@switchyard/core';
import { z } from 'zod';
import { DEFAULT_TOKEN_COUNT_IDLE_MS } from './billing/token-count-thread';
import { DEFAULT_WEBHOOK_MAX_ATTEMPTS, DEFAULT_WEBHOOK_RETRY_DELAYS_MS } from './billing/webhook-retry-delay';

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();

const schema = z.object({
  DATABASE_URL: z.string().url({ message: 'must be a postgres:// URL' }),
  SWITCHYARD_MASTER_KEY: z.string().min(1, 'is required to decrypt upstream credentials'),
  ROUTER_HOST: z.string().default('0.0.0.0'),
  ROUTER_PORT: port.default(8080),
  /**
   * Router processes serving ROUTER_PORT (node:cluster: a primary forks this many workers and restarts one that
   * dies). More than one needs REDIS_URL, so budgets and rate limits are shared instead of enforced per process.
   */
  ROUTER_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Not a setting: the primary gives each worker its slot (0-based), which names its spill directory. */
  ROUTER_WORKER_SLOT: z.coerce.number().int().min(0).optional(),
  /** A separate port for GET /metrics (bound to ROUTER_METRICS_HOST); unset: /metrics is served on ROUTER_PORT. */
  ROUTER_METRICS_PORT: port.optional(),
  /** Address the separate metrics port binds to; defaults to ROUTER_HOST. */
  ROUTER_METRICS_HOST: z.string().optional(),
  /** When set, GET /metrics requires `Authorization: Bearer <token>` (401 otherwise). */
  ROUTER_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  ROUTER_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  ROUTER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  UPSTREAM_CONNECT_TIMEOUT_MS: positiveMs.default(10_000),
  UPSTREAM_HEADERS_TIMEOUT_MS: positiveMs.default(120_000),
  UPSTREAM_BODY_TIMEOUT_MS: positiveMs.default(120_000),
  UPSTREAM_CONNECTIONS: z.coerce.number().int().positive().default(256),
  /** Largest non-streaming upstream answer read; over it the attempt fails with 502 "response too large". */
  UPSTREAM_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  /**
   * Largest single SSE event of an upstream stream, in UTF-8 bytes (passed through or translated); over it the
   * stream counts as broken.
   */
  UPSTREAM_MAX_SSE_EVENT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Longest time a client may take to send its request headers. */
  ROUTER_HEADERS_TIMEOUT_MS: positiveMs.default(20_000),
  /** Longest time a client may take to send its whole request (headers and body). */
  ROUTER_REQUEST_TIMEOUT_MS: positiveMs.default(120_000),
  /** Longest pause while a client sends its request body; then 408 and the connection is closed. */
  ROUTER_BODY_IDLE_TIMEOUT_MS: positiveMs.default(10_000),
  /**
   * Open client connections at most; the next one gets 503 and is closed at once. Keep it under the
   * process's file-descriptor limit minus the upstream pools (UPSTREAM_CONNECTIONS per origin).
   */
  ROUTER_MAX_CONNECTIONS: z.coerce.number().int().positive().default(4_096),
  /** How often the snapshot is checked against the database; only budget spend is re-read unless config changed. */
  SNAPSHOT_REFRESH_MS: positiveMs.default(30_000),
  /** A full snapshot load at least this often, even when the configuration version says nothing changed. */
  SNAPSHOT_FULL_REFRESH_MS: positiveMs.default(600_000),
  USAGE_FLUSH_MS: positiveMs.default(200),
  /**
   * How long the token-count thread (usage estimates for upstreams that report none) lives with nothing to count;
   * ending it gives its encoder's ~150 MiB back to the OS. 0: it is kept for good once started.
   */
  TOKEN_COUNT_IDLE_MS: z.coerce.number().int().min(0).default(DEFAULT_TOKEN_COUNT_IDLE_MS),
  /** Where usage events go while PostgreSQL is away (synced NDJSON, replayed when it is back). */
  USAGE_SPILL_DIR: z.string().min(1).default('.data/usage-spill'),
  /** Spill size at which paid requests are refused with 503 rather than risk losing usage records. */
  USAGE_SPILL_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024 * 1024),
  /**
   * `on` (default): every settled usage event is also appended to a local journal in USAGE_SPILL_DIR (plain
   * writes, no fsync) until it is stored, so a crash of the router loses none. `off` only for an A/B benchmark.
   */
  USAGE_JOURNAL: z.enum(['on', 'off']).default('on'),
  /** Size at which a journal file is closed (and deleted once its events are stored); bounds the journal. */
  USAGE_JOURNAL_SEGMENT_BYTES: z.coerce
    .number()
    .int()
    .min(4096)
    .default(4 * 1024 * 1024),
  USAGE_BATCH_SIZE: z.coerce.number().int().positive().default(500),
  /** Raw usage events older than this many days are deleted (hourly, in small batches); rollups are kept. 0 keeps them forever. */
  USAGE_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  /** Captured request/response bodies (keys or routes with capturePayloads) are deleted after this many days. */
  PAYLOAD_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  /** Bytes kept of each captured body (request, response); the rest is cut and the row flagged truncated. */
  PAYLOAD_CAPTURE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024)
    .default(64 * 1024),
  /** Circuit breaker per (account, upstream model): consecutive failures that open it. */
  BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
  /** …or this failure rate (0–1] over BREAKER_WINDOW_MS with at least BREAKER_MIN_REQUESTS outcomes. */
  BREAKER_FAILURE_RATE: z.coerce.number().gt(0).max(1).default(0.5),
  BREAKER_WINDOW_MS: positiveMs.default(30_000),
  BREAKER_MIN_REQUESTS: z.coerce.number().int().min(1).default(20),
  /** How long an open breaker rejects before letting one probe through. */
  BREAKER_COOLDOWN_MS: positiveMs.default(10_000),
  /**
   * Panic routing: when every target of a route is unavailable and some are only breaker-open, requests go to
   * the open one with the best success rate in its breaker window, if that rate is at least this (0–1). A target
   * that succeeds at nothing never gets panic traffic; 1 sends panic traffic only to a target with no recent failure.
   */
  BREAKER_PANIC_MIN_SUCCESS_RATE: z.coerce.number().min(0).max(1).default(0.1),
  /** Active health checks: one cheap request per upstream account on this interval; 0 (default) turns them off. */
  HEALTH_CHECK_INTERVAL_MS: z.coerce.number().int().min(0).default(0),
  HEALTH_CHECK_TIMEOUT_MS: positiveMs.default(5_000),
  /** How often this instance publishes its upstream health (breakers, cool-downs, latency) for the console. */
  HEALTH_REPORT_MS: positiveMs.default(2_000),
  /** Name of this router instance in the health table; defaults to hostname:pid. */
  ROUTER_INSTANCE_ID: z.string().min(1).max(200).optional(),
  /**
   * Redis shared by every router instance (budgets and rate limits); unset: each instance keeps its own
   * counters in memory.
   */
  REDIS_URL: z.string().url({ message: 'must be a redis:// URL' }).optional(),
  /**
   * With REDIS_URL, what happens while Redis is unreachable: `closed` (default) refuses requests that a
   * budget or limit applies to with 503 `usage_unavailable`; `open` serves them, enforcing in memory only.
   */
  LIMITS_REDIS_FAILURE_POLICY: z.enum(['open', 'closed']).default('closed'),
  /**
   * How long a budget reservation holds before it is given back if its request never settles (a crash).
   * Default: the request's own total deadline (its route policy) plus 30 s.
   */
  BUDGET_RESERVATION_LEASE_MS: positiveMs.optional(),
  /** Output tokens a worst-case reservation assumes when neither the request nor the price sheet bounds them. */
  BUDGET_DEFAULT_MAX_OUTPUT_TOKENS: z.coerce.number().int().positive().default(4_096),
  /** How often this instance publishes its budget spend and reservations for the console. */
  BUDGET_REPORT_MS: positiveMs.default(5_000),
  /** Longest wait for a budget alert webhook to answer. */
  BUDGET_WEBHOOK_TIMEOUT_MS: positiveMs.default(5_000),
  /** Waits before each retry of a failed alert webhook, comma-separated ms; the last repeats. */
  BUDGET_WEBHOOK_RETRY_MS: z
    .string()
    .default(DEFAULT_WEBHOOK_RETRY_DELAYS_MS.join(','))
    .transform((text, ctx) => {
      const delays = text.split(',').map((part) => Number(part.trim()));
      if (delays.some((ms) => !Number.isInteger(ms) || ms <= 0)) {
        ctx.addIssue({ code: 'custom', message: 'must be comma-separated positive whole milliseconds' });
        return z.NEVER;
      }
      return delays;
    }),
  /** Attempts, across all router instances, before an undelivered alert is given up. */
  BUDGET_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(DEFAULT_WEBHOOK_MAX_ATTEMPTS),
  /** How often each router looks for alerts due for webhook delivery (left by any instance). */
  BUDGET_WEBHOOK_POLL_MS: positiveMs.default(5_000),
  /**
   * OpenTelemetry: the OTLP/HTTP collector's base URL (spans go to `<url>/v1/traces`, JSON). Unset (default): no
   * tracing, and the OpenTelemetry SDK is never loaded.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, message: 'must be an http(s):// URL' })
    .optional(),
  /** The `service.name` of this router's spans. */
  OTEL_SERVICE_NAME: z.string().min(1).default('switchyard-router'),
  /** Longest a finished span waits in the export batch (the SDK's OTEL_BSP_SCHEDULE_DELAY). */
  OTEL_BSP_SCHEDULE_DELAY: positiveMs.default(5_000),
  /**
   * Lines below this level are not written. `debug` adds one line per request (method, URL, status, duration,
   * headers with their secrets redacted) and per client-error attempt: for diagnosis, not for production load.
   */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** `json` (default): one JSON object a line; `pretty`: one readable line each, for a terminal. */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
});

/** Cross-field rules node:http and the request path rely on. */
const checked = schema.superRefine((env, ctx) => {
  if (env.ROUTER_HEADERS_TIMEOUT_MS > env.ROUTER_REQUEST_TIMEOUT_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['ROUTER_HEADERS_TIMEOUT_MS'],
      message: 'must not exceed ROUTER_REQUEST_TIMEOUT_MS',
    });
  }
  if (env.ROUTER_WORKERS > 1 && env.REDIS_URL === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['ROUTER_WORKERS'],
      message:
        'more than one worker needs REDIS_URL: budgets and rate limits must be shared by every worker, ' +
        'never enforced per process (set REDIS_URL, or ROUTER_WORKERS=1)',
    });
  }
});

export type RouterEnv = z.infer<typeof schema>;

/** Every setting the router reads. */
export const ROUTER_ENV_NAMES = Object.keys(schema.shape) as (keyof RouterEnv)[];

/**
 * Validates the environment once at start-up; the only reader of process.env in the router. A blank value
 * (compose's `${VAR:-}`, an empty line in an env file) means the setting is unset: its default, or "off".
 */
export function loadRouterEnv(source: Record<string, string | undefined> = process.env): RouterEnv {
  const given = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value === undefined || value.trim() !== ''),
  );
  const parsed = checked.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid router configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * The settings this environment gives where stored configuration is silent (breaker thresholds, health checks)
 * or overridden (the attempts cap): one place, applied by the router and published for the console's readback.
 */
export function routerSettings(env: RouterEnv): RouterSettings {
  return {
    maxAttempts: env.ROUTER_MAX_ATTEMPTS,
    breaker: {
      consecutiveFailures: env.BREAKER_FAILURES,
      failureRateThreshold: env.BREAKER_FAILURE_RATE,
      windowMs: env.BREAKER_WINDOW_MS,
      minimumRequests: env.BREAKER_MIN_REQUESTS,
      coolDownMs: env.BREAKER_COOLDOWN_MS,
    },
    healthCheck: { intervalMs: env.HEALTH_CHECK_INTERVAL_MS, timeoutMs: env.HEALTH_CHECK_TIMEOUT_MS },
  };
}
