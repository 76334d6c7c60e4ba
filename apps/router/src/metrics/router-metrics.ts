import type {
  CircuitState,
  ResolvedTarget,
  RoutingTable,
  TrafficClass,
  UpstreamErrorClass,
  UsageEventRecord,
} from '@switchyard/core';
import { type Aggregator, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { BudgetUsageRow } from '../billing/budget-store';
import type { FailoverState } from '../router-context';
import type { Surface } from '../surfaces/surface';
import type { UsageSink } from '../usage/usage-sink';
import { CellCounter } from './cell-counter';
import { CellHistogram } from './cell-histogram';

/** How often the event-loop delay metrics sample (ms): each sample is one wake-up of the request thread. */
const EVENT_LOOP_SAMPLE_MS = 100;

/** What the scrape-time gauges read; each is called only when /metrics is scraped. */
export interface MetricsSources {
  failover: FailoverState;
  usage: UsageSink;
  /** Bytes of usage events spilled to disk awaiting replay. */
  spillBytes: () => number;
  /** Spend and live reservations per budget (the budget store's; Redis with several routers). */
  budgetUsage: (now: number) => Promise<readonly BudgetUsageRow[]>;
  table: () => RoutingTable | null;
  /** The configuration version the current snapshot was read at (decimal), null when unknown. */
  configVersion: () => string | null;
  now: () => number;
}

/** Seconds: from a cache hit (~1 ms) to a long generation (2 min). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const TTFB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BREAKER_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };
/** A scrape must not hang on an unreachable Redis: the budget gauge is left out of that scrape instead. */
const BUDGET_READ_TIMEOUT_MS = 1_000;

/**
 * The router's Prometheus metrics. Request and attempt counters are recorded where a request settles and where
 * an attempt is learnt from (a map read and an addition each); every gauge is computed when /metrics is scraped.
 * Label values come from configuration or closed unions only (never from a client's key or model string).
 */
export class RouterMetrics {
  readonly registry = new Registry();
  private readonly requests = new CellCounter(
    'switchyard_requests_total',
    'Requests settled, by endpoint family, surface, HTTP status, outcome, traffic class and route public model.',
    ['route', 'surface', 'status', 'outcome', 'traffic_class', 'model'],
  );
  private readonly duration = new CellHistogram(
    'switchyard_request_duration_seconds',
    'Time from a request arriving to its settlement (the last byte for streams), by family, surface and outcome.',
    ['route', 'surface', 'outcome'],
    LATENCY_BUCKETS,
  );
  private readonly ttfb = new CellHistogram(
    'switchyard_time_to_first_byte_seconds',
    'Time from a request arriving to the first upstream answer byte sent to the client, by family and surface.',
    ['route', 'surface'],
    TTFB_BUCKETS,
  );
  private readonly attempts = new CellCounter(
    'switchyard_upstream_attempts_total',
    'Attempts sent upstream, by provider and account id.',
    ['provider', 'account'],
  );
  private readonly failures = new CellCounter(
    'switchyard_upstream_failures_total',
    'Attempts sent upstream that failed, by provider, account id and error class.',
    ['provider', 'account', 'error_class'],
  );
  private readonly deadLetters = new CellCounter(
    'switchyard_usage_dead_letters_total',
    'Usage events PostgreSQL refused, set aside in usage_dead_letters by this process.',
    [],
  );

  constructor(sources: MetricsSources, options: { processMetrics?: boolean } = {}) {
    const registry = this.registry;
    for (const metric of [
      this.requests,
      this.duration,
      this.ttfb,
      this.attempts,
      this.failures,
      this.deadLetters,
    ]) {
      // The registry only reads name, type and get(): these cells are metrics to it.
      registry.registerMetric(metric as unknown as Gauge);
    }
    // The event-loop delay histogram samples with a timer; prom-client's 10 ms default woke the request thread ~100
    // times a second, idle or between requests. Ten samples a second still see every stall that long (a late timer
    // records its whole delay) and give a scrape every 15 s some 150.
    if (options.processMetrics !== false)
      collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    // With ROUTER_WORKERS the primary merges the workers' registries by each metric's aggregator: counts of
    // things each worker holds add up, while ages and versions take the worst worker (see docs/observability.md).
    const gauge = (name: string, help: string, read: () => number, aggregator: Aggregator = 'sum') =>
      new Gauge({
        name,
        help,
        aggregator,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    const { failover, usage } = sources;
    gauge(
      'switchyard_inflight_requests',
      'Client requests inside the failover ladder now.',
      () => failover.inFlight,
    );
    gauge(
      'switchyard_retry_budget_in_use',
      'Paid retry slots held now (same-target retries, failovers, backup models).',
      () => failover.retryBudget.inUse(),
    );
    gauge('switchyard_retry_budget_limit', 'Paid retry slots available at the current in-flight count.', () =>
      failover.retryBudget.limit(failover.inFlight),
    );
    gauge('switchyard_usage_queue_depth', 'Usage events accepted and not yet written to PostgreSQL.', () =>
      usage.pending(),
    );
    gauge('switchyard_usage_spilled_events', 'Usage events spilled to local disk awaiting replay.', () =>
      usage.spilled(),
    );
    gauge(
      'switchyard_usage_spill_bytes',
      'Bytes of the local usage spill awaiting replay.',
      sources.spillBytes,
    );
    gauge(
      'switchyard_config_snapshot_age_seconds',
      'Age of the configuration snapshot being served.',
      () => {
        const table = sources.table();
        return table === null ? Number.NaN : Math.max(0, (sources.now() - table.loadedAt) / 1000);
      },
      'max',
    );
    gauge(
      'switchyard_config_version',
      'Configuration version the snapshot being served was read at.',
      () => {
        const version = sources.configVersion();
        return version === null ? Number.NaN : Number(version);
      },
      'min',
    );
    new Gauge({
      name: 'switchyard_breaker_state',
      help: 'Circuit breaker per target (account id, upstream model): 0 closed, 1 half-open, 2 open.',
      labelNames: ['account', 'model'],
      // Each worker has its own breakers: the most open one is the state to alert on.
      aggregator: 'max',
      registers: [registry],
      collect() {
        this.reset();
        for (const { accountId, model, snapshot } of failover.health.breakers.snapshots(sources.now())) {
          this.set({ account: accountId, model }, BREAKER_VALUE[snapshot.state]);
        }
      },
    });
    new Gauge({
      name: 'switchyard_budget_reserved_micros',
      help: 'Budget reservations held (worst-case cost of requests in flight), micro-USD, by budget id.',
      labelNames: ['budget'],
      // The holds of this process's requests (Redis keeps the shared spend, each process its own holds): summed.
      registers: [registry],
      async collect() {
        let timer: NodeJS.Timeout | undefined;
        const rows = await Promise.race([
          sources.budgetUsage(sources.now()).catch(() => null),
          new Promise<null>((resolve) => {
            timer = setTimeout(() => resolve(null), BUDGET_READ_TIMEOUT_MS);
          }),
        ]);
        clearTimeout(timer);
        this.reset();
        for (const row of rows ?? []) this.set({ budget: row.budgetId }, Number(row.reservedMicros));
      },
    });
  }

  /** A request refused before forwarding (its usage status `rejected`); no traffic class or model label. */
  refused(surface: Surface, httpStatus: number, startedAt: number): void {
    const family = surface.family;
    const protocol = surface.protocol;
    this.requests.inc([family, protocol, httpStatus, 'rejected', '', '']);
    this.duration.observe([family, protocol, 'rejected'], (performance.now() - startedAt) / 1000);
  }

  /**
   * One admitted request, settled: the model label is the route's public model, never the client's string.
   */
  request(surface: Surface, event: UsageEventRecord, trafficClass: TrafficClass, publicModel: string): void {
    const family = surface.family;
    const protocol = surface.protocol;
    this.requests.inc([
      family,
      protocol,
      event.httpStatus,
      event.status,
      trafficClass ?? '',
      publicModel ?? '',
    ]);
    this.duration.observe([family, protocol, event.status], event.latencyMs / 1000);
    if (event.ttftMs !== null) this.ttfb.observe([family, protocol], event.ttftMs / 1000);
  }

  /** One attempt sent upstream and its error class (null: it succeeded). */
  attempt(resolved: ResolvedTarget, errorClass: UpstreamErrorClass | null): void {
    this.attempts.inc([resolved.provider.id, resolved.account.id]);
    if (errorClass !== null) this.failures.inc([resolved.provider.id, resolved.account.id, errorClass]);
  }

  /** Usage events the writer set aside as dead letters. */
  deadLettered(events: number): void {
    if (events > 0) this.deadLetters.inc([], events);
  }
}
