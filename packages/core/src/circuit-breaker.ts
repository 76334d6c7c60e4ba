import type { UpstreamErrorClass } from './classify-upstream-failure';
import { pairKey } from './pair-key';

/** Where a breaker stands. `half_open` admits a bounded number of probe requests. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** Tuning for one circuit breaker. Times are milliseconds. */
export interface CircuitBreakerConfig {
  /** Open after this many upstream failures in a row. */
  consecutiveFailures: number;
  /** Open when failures / requests in the window reaches this (0 < x ≤ 1)… */
  failureRateThreshold: number;
  /** …over a sliding window of this length (kept as 10 buckets, so it slides in windowMs/10 steps)… */
  windowMs: number;
  /** …once the window holds at least this many outcomes; fewer never trip on rate. */
  minimumRequests: number;
  /** Time an open breaker rejects everything before letting probes through. */
  coolDownMs: number;
  /** Probe requests allowed in flight at once while half-open. */
  halfOpenMaxProbes: number;
  /** Successful probes needed to close again. */
  halfOpenSuccesses: number;
  /**
   * A probe slot not returned (by onSuccess, onFailure or release) within this time is presumed lost and
   * freed, so a leaked slot cannot wedge the breaker half-open forever.
   */
  probeLeaseMs: number;
}

/**
 * Defaults. Five failures in a row is well past "one transient error" yet trips in the first seconds of a
 * hard outage; 50% over 30 s with at least 20 outcomes catches a flapping upstream that succeeds often
 * enough to reset the consecutive count, without tripping on a handful of requests; 10 s cool-down lets a
 * restarting upstream come back quickly; one probe at a time keeps load off an upstream that is still sick;
 * a probe lease of 2 min outlasts any interactive request.
 */
export const DEFAULT_CIRCUIT_BREAKER_CONFIG: Readonly<CircuitBreakerConfig> = Object.freeze({
  consecutiveFailures: 5,
  failureRateThreshold: 0.5,
  windowMs: 30_000,
  minimumRequests: 20,
  coolDownMs: 10_000,
  halfOpenMaxProbes: 1,
  halfOpenSuccesses: 1,
  probeLeaseMs: 120_000,
});

/** A breaker's state for the console's health page. Times are epoch ms. */
export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  /** Failures / requests in the sliding window; 0 when the window is empty. */
  failureRate: number;
  /** Outcomes (successes + failures) in the sliding window. */
  requests: number;
  failures: number;
  probesInFlight: number;
  /** When the breaker last opened; null while closed. */
  openedAt: number | null;
  /** When the breaker (re)admits probes: openedAt + coolDownMs; null while closed. */
  nextProbeAt: number | null;
}

/** How an attempt's result counts for the breaker of the target it went to. */
export type BreakerOutcome = 'success' | 'failure' | 'neutral';

/**
 * Only the upstream being unhealthy counts as a failure: no connection, timeouts, 5xx, a broken stream, an
 * answer that is not one (a redirect, a non-JSON 2xx, a stream that is not SSE).
 * A client error (4xx) means the upstream answered correctly, so it counts as a success. 429 is handled by
 * the cool-down registry and 401/403 by marking the credential, so they are neutral here, as is a client
 * cancel. `null` is a 2xx. The gateway's own rejections (overflow, budget, validation) never reach a breaker.
 */
export function breakerOutcome(errorClass: UpstreamErrorClass | null): BreakerOutcome {
  switch (errorClass) {
    case null:
    case 'client_error':
      return 'success';
    case 'connect_error':
    case 'timeout':
    case 'server_error':
    case 'stream_interrupted':
    case 'invalid_response':
    case 'response_too_large':
      return 'failure';
    case 'rate_limited':
    case 'upstream_auth':
    case 'client_cancelled':
      return 'neutral';
  }
}

const BUCKETS = 10;

interface Bucket {
  /** floor(time / bucketMs) this bucket currently counts; -Infinity when unused. */
  index: number;
  successes: number;
  failures: number;
}

/** Defaults overlaid with the given fields; an explicit `undefined` keeps the default. */
function withDefaults(config: Partial<CircuitBreakerConfig>): CircuitBreakerConfig {
  const merged = { ...DEFAULT_CIRCUIT_BREAKER_CONFIG };
  for (const [field, value] of Object.entries(config) as [keyof CircuitBreakerConfig, number | undefined][]) {
    if (value !== undefined) merged[field] = value;
  }
  return merged;
}

function checkConfig(c: CircuitBreakerConfig): void {
  const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;
  const bad = (field: keyof CircuitBreakerConfig, rule: string) => {
    throw new RangeError(`CircuitBreakerConfig.${field} must be ${rule}; got ${c[field]}.`);
  };
  if (!positiveInt(c.consecutiveFailures)) bad('consecutiveFailures', 'an integer ≥ 1');
  if (!(c.failureRateThreshold > 0 && c.failureRateThreshold <= 1)) bad('failureRateThreshold', 'in (0, 1]');
  if (!positiveInt(c.windowMs)) bad('windowMs', 'an integer ≥ 1');
  if (!positiveInt(c.minimumRequests)) bad('minimumRequests', 'an integer ≥ 1');
  if (!(Number.isInteger(c.coolDownMs) && c.coolDownMs >= 0)) bad('coolDownMs', 'an integer ≥ 0');
  if (!positiveInt(c.halfOpenMaxProbes)) bad('halfOpenMaxProbes', 'an integer ≥ 1');
  if (!positiveInt(c.halfOpenSuccesses)) bad('halfOpenSuccesses', 'an integer ≥ 1');
  if (!positiveInt(c.probeLeaseMs)) bad('probeLeaseMs', 'an integer ≥ 1');
}

/**
 * Circuit breaker for one (upstream account, upstream model). All methods take the current time (epoch ms)
 * from the caller; nothing reads a clock. Transitions:
 * - closed → open: `consecutiveFailures` failures in a row, or failure rate ≥ threshold over the window with
 *   at least `minimumRequests` outcomes in it;
 * - open → half_open: `coolDownMs` after opening (evaluated lazily on the next call);
 * - half_open → closed: `halfOpenSuccesses` probe successes (counts and window reset);
 * - half_open → open: any probe failure, with a fresh cool-down.
 *
 * Protocol: call `tryAcquire(now)` right before sending; if it returned true, report exactly one of
 * `onSuccess`, `onFailure` or `release` (see {@link breakerOutcome} for which). Never call `onFailure` for
 * the gateway's own rejections or for client errors. Outcomes that arrive while open (requests admitted
 * before it opened, or sent by panic routing) change no state, so stragglers cannot extend an outage, but they
 * count in the window's success rate, which panic routing reads to pick the least bad target; while half-open
 * an outcome counts as a probe result only while a probe is outstanding.
 */
export class CircuitBreaker {
  private settings: Readonly<CircuitBreakerConfig>;
  private current: CircuitState = 'closed';
  private consecutive = 0;
  private openedAt: number | null = null;
  private probesInFlight = 0;
  private lastProbeAt = 0;
  private probeSuccesses = 0;
  private bucketMs: number;
  private readonly buckets: Bucket[];

  constructor(config: Partial<CircuitBreakerConfig> = {}) {
    this.settings = Object.freeze(withDefaults(config));
    checkConfig(this.settings);
    this.bucketMs = Math.max(1, Math.ceil(this.settings.windowMs / BUCKETS));
    this.buckets = Array.from({ length: BUCKETS }, () => ({ index: -Infinity, successes: 0, failures: 0 }));
  }

  get config(): Readonly<CircuitBreakerConfig> {
    return this.settings;
  }

  /**
   * Applies new thresholds (an operator changed the route) keeping the state: an open breaker stays open, now
   * with the new cool-down; the next outcome is judged by the new thresholds. A new window length restarts
   * the window's counts, which were bucketed for the old one.
   */
  reconfigure(config: Readonly<CircuitBreakerConfig>): void {
    checkConfig(config);
    const windowChanged = config.windowMs !== this.settings.windowMs;
    this.settings = Object.freeze({ ...config });
    if (!windowChanged) return;
    this.bucketMs = Math.max(1, Math.ceil(config.windowMs / BUCKETS));
    for (const bucket of this.buckets) {
      bucket.index = -Infinity;
      bucket.successes = 0;
      bucket.failures = 0;
    }
  }

  state(now: number): CircuitState {
    this.advance(now);
    return this.current;
  }

  /** True when `tryAcquire(now)` would admit a request; takes no slot. For routing decisions. */
  allows(now: number): boolean {
    this.advance(now);
    if (this.current === 'closed') return true;
    if (this.current === 'open') return false;
    return this.probesInFlight < this.settings.halfOpenMaxProbes;
  }

  /** Admits a request: always while closed, never while open, a probe slot while half-open. */
  tryAcquire(now: number): boolean {
    if (!this.allows(now)) return false;
    if (this.current === 'half_open') {
      this.probesInFlight++;
      this.lastProbeAt = now;
    }
    return true;
  }

  /** The upstream answered (2xx, or a client error it judged correctly). */
  onSuccess(now: number): void {
    this.advance(now);
    if (this.current === 'closed') {
      this.consecutive = 0;
      this.record(now, false);
    } else if (this.current === 'half_open' && this.probesInFlight > 0) {
      this.probesInFlight--;
      this.probeSuccesses++;
      if (this.probeSuccesses >= this.settings.halfOpenSuccesses) this.close();
    } else {
      // Open (a straggler, or a panic-routed request): counted for the success rate, no state change.
      this.record(now, false);
    }
  }

  /** The upstream failed: no connection, timeout, 5xx or a broken stream. */
  onFailure(now: number): void {
    this.advance(now);
    if (this.current === 'closed') {
      this.consecutive++;
      this.record(now, true);
      const { requests, failures } = this.window(now);
      if (
        this.consecutive >= this.settings.consecutiveFailures ||
        (requests >= this.settings.minimumRequests &&
          failures / requests >= this.settings.failureRateThreshold)
      ) {
        this.open(now);
      }
    } else if (this.current === 'half_open' && this.probesInFlight > 0) {
      this.consecutive++;
      this.open(now);
    } else {
      this.record(now, true);
    }
  }

  /** Gives back an admitted slot without an outcome (client cancelled, 429, credential rejected). */
  release(now: number): void {
    this.advance(now);
    if (this.current === 'half_open' && this.probesInFlight > 0) this.probesInFlight--;
  }

  /** Share of successes among the outcomes in the sliding window; null when it holds none. */
  successRate(now: number): number | null {
    this.advance(now);
    const { requests, failures } = this.window(now);
    return requests === 0 ? null : (requests - failures) / requests;
  }

  /**
   * Closed, its last outcome not a failure, and its windowed failure rate under half the rate that would open
   * it: a target this healthy can take a failed request's next attempt without spending retry budget.
   */
  isReliable(now: number): boolean {
    this.advance(now);
    if (this.current !== 'closed' || this.consecutive > 0) return false;
    const { requests, failures } = this.window(now);
    return requests === 0 || failures / requests < this.config.failureRateThreshold / 2;
  }

  snapshot(now: number): CircuitSnapshot {
    this.advance(now);
    const { requests, failures } = this.window(now);
    return {
      state: this.current,
      consecutiveFailures: this.consecutive,
      failureRate: requests === 0 ? 0 : failures / requests,
      requests,
      failures,
      probesInFlight: this.probesInFlight,
      openedAt: this.openedAt,
      nextProbeAt: this.openedAt === null ? null : this.openedAt + this.settings.coolDownMs,
    };
  }

  private advance(now: number): void {
    if (
      this.current === 'open' &&
      this.openedAt !== null &&
      now >= this.openedAt + this.settings.coolDownMs
    ) {
      this.current = 'half_open';
      this.probesInFlight = 0;
      this.probeSuccesses = 0;
    }
    if (
      this.current === 'half_open' &&
      this.probesInFlight > 0 &&
      now - this.lastProbeAt >= this.settings.probeLeaseMs
    ) {
      this.probesInFlight = 0;
    }
  }

  private open(now: number): void {
    this.current = 'open';
    this.openedAt = now;
    this.probesInFlight = 0;
    this.probeSuccesses = 0;
  }

  private close(): void {
    this.current = 'closed';
    this.openedAt = null;
    this.consecutive = 0;
    this.probesInFlight = 0;
    this.probeSuccesses = 0;
    for (const bucket of this.buckets) {
      bucket.index = -Infinity;
      bucket.successes = 0;
      bucket.failures = 0;
    }
  }

  private record(now: number, failed: boolean): void {
    const index = Math.floor(now / this.bucketMs);
    const bucket = this.buckets[((index % BUCKETS) + BUCKETS) % BUCKETS] as Bucket;
    if (bucket.index !== index) {
      bucket.index = index;
      bucket.successes = 0;
      bucket.failures = 0;
    }
    if (failed) bucket.failures++;
    else bucket.successes++;
  }

  private window(now: number): { requests: number; failures: number } {
    const index = Math.floor(now / this.bucketMs);
    let successes = 0;
    let failures = 0;
    for (const bucket of this.buckets) {
      if (bucket.index > index - BUCKETS && bucket.index <= index) {
        successes += bucket.successes;
        failures += bucket.failures;
      }
    }
    return { requests: successes + failures, failures };
  }
}

/** One breaker's identity and state, for the health page. */
export interface CircuitBreakerEntry {
  accountId: string;
  model: string;
  snapshot: CircuitSnapshot;
}

/**
 * The breakers of one router process, one per (account id, upstream model), created on first use with the
 * pair's thresholds (see `configure`) or the shared defaults. In-memory: each router instance judges upstream
 * health from its own traffic.
 */
export class CircuitBreakerRegistry {
  private readonly breakers = new Map<
    string,
    { accountId: string; model: string; breaker: CircuitBreaker }
  >();
  private readonly config: Readonly<CircuitBreakerConfig>;
  private perPair = new Map<string, Readonly<CircuitBreakerConfig>>();

  constructor(config: Partial<CircuitBreakerConfig> = {}) {
    // Validated here, at start-up, rather than by the first request that needs a breaker.
    this.config = Object.freeze(withDefaults(config));
    checkConfig(this.config);
  }

  /** The process-wide defaults (the router's environment). */
  get defaults(): Readonly<CircuitBreakerConfig> {
    return this.config;
  }

  /**
   * Sets the thresholds of the pairs that have their own (keyed by `breakerKey(accountId, model)`); every other
   * pair goes back to the defaults. Existing breakers take theirs at once, keeping their state. A pair whose
   * thresholds do not validate keeps the defaults and is returned, for the caller to log.
   */
  configure(thresholds: ReadonlyMap<string, Partial<CircuitBreakerConfig>>): string[] {
    const invalid: string[] = [];
    const next = new Map<string, Readonly<CircuitBreakerConfig>>();
    for (const [key, partial] of thresholds) {
      const merged = Object.freeze({ ...this.config, ...definedFields(partial) });
      try {
        checkConfig(merged);
        next.set(key, merged);
      } catch {
        invalid.push(key);
      }
    }
    this.perPair = next;
    for (const [key, { breaker }] of this.breakers) {
      const wanted = next.get(key) ?? this.config;
      if (!sameConfig(breaker.config, wanted)) breaker.reconfigure(wanted);
    }
    return invalid;
  }

  /** The breaker for this pair, created closed if it does not exist yet. */
  get(accountId: string, model: string): CircuitBreaker {
    const key = pairKey(accountId, model);
    let entry = this.breakers.get(key);
    if (!entry) {
      entry = { accountId, model, breaker: new CircuitBreaker(this.perPair.get(key) ?? this.config) };
      this.breakers.set(key, entry);
    }
    return entry.breaker;
  }

  /** The breaker for this pair if one exists; a pair never used is healthy. Does not create one. */
  peek(accountId: string, model: string): CircuitBreaker | undefined {
    return this.breakers.get(pairKey(accountId, model))?.breaker;
  }

  /** Every breaker's state, in creation order. */
  snapshots(now: number): CircuitBreakerEntry[] {
    return [...this.breakers.values()].map(({ accountId, model, breaker }) => ({
      accountId,
      model,
      snapshot: breaker.snapshot(now),
    }));
  }

  get size(): number {
    return this.breakers.size;
  }
}

function definedFields(config: Partial<CircuitBreakerConfig>): Partial<CircuitBreakerConfig> {
  const out: Partial<CircuitBreakerConfig> = {};
  for (const [field, value] of Object.entries(config) as [keyof CircuitBreakerConfig, number | undefined][]) {
    if (value !== undefined) out[field] = value;
  }
  return out;
}

function sameConfig(a: Readonly<CircuitBreakerConfig>, b: Readonly<CircuitBreakerConfig>): boolean {
  return (Object.keys(a) as (keyof CircuitBreakerConfig)[]).every((field) => a[field] === b[field]);
}
