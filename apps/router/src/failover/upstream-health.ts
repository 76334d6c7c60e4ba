import {
  breakerThresholdsByTarget,
  type CircuitBreaker,
  type CircuitBreakerConfig,
  CircuitBreakerRegistry,
  CooldownRegistry,
  pairKey,
  type ResolvedTarget,
  type RouteRecord,
  type TargetHealth,
  targetHealth,
  type UpstreamAccountRecord,
} from '@switchyard/core';
import type { TargetHealthRow } from '@switchyard/db';

/** Latencies kept per (account, model) for the health page's p50/p95. */
const LATENCY_SAMPLES = 128;
/**
 * A credential rejection this process saw is trusted for this long even if a snapshot without it arrives
 * (the database write and its NOTIFY may land after a reload that was already under way) — unless that
 * snapshot shows the credential was reset or replaced since (a newer credential epoch).
 */
const LOCAL_MARK_GRACE_MS = 30_000;

/** A rejection this process saw: when, and under which credential epoch of the account. */
interface LocalMark {
  at: number;
  epoch: number;
}

/** The account fields a credential mark needs. */
export type MarkedAccount = Pick<UpstreamAccountRecord, 'id' | 'credentialEpoch'>;

interface PairStats {
  accountId: string;
  model: string;
  latencies: Float64Array;
  count: number;
  lastErrorClass: string | null;
}

/**
 * What this router process knows about its upstreams' health: a circuit breaker and a 429 cool-down per
 * (account, upstream model), accounts whose credential an upstream rejected, and recent latencies. All
 * in-memory and synchronous — the request path asks it and tells it, never waits on it. The health reporter
 * publishes `rows()` to the database for the console.
 */
export class UpstreamHealth {
  readonly breakers: CircuitBreakerRegistry;
  readonly cooldowns = new CooldownRegistry();
  private readonly rejected = new Set<string>();
  private readonly localMarks = new Map<string, LocalMark>();
  /** Each account's credential epoch in the newest snapshot. */
  private readonly epochs = new Map<string, number>();
  private readonly stats = new Map<string, PairStats>();

  constructor(breakerConfig: Partial<CircuitBreakerConfig> = {}) {
    this.breakers = new CircuitBreakerRegistry(breakerConfig);
  }

  /** Whether the ladder may send to this target now (enabled, credential, breaker, cool-down). */
  health(target: ResolvedTarget, now: number): TargetHealth {
    return targetHealth(target, now, {
      breakers: this.breakers,
      cooldowns: this.cooldowns,
      rejectedAccounts: this.rejected,
    });
  }

  /** Whether a target is healthy enough to take a failed request's next attempt for free (never used: yes). */
  isReliable(target: ResolvedTarget, now: number): boolean {
    return this.breakers.peek(target.account.id, target.target.upstreamModel)?.isReliable(now) ?? true;
  }

  /** Success share of the target's recent outcomes (its breaker window); null when it has none. */
  successRate(target: ResolvedTarget, now: number): number | null {
    return this.breakers.peek(target.account.id, target.target.upstreamModel)?.successRate(now) ?? null;
  }

  breaker(target: ResolvedTarget): CircuitBreaker {
    return this.breakers.get(target.account.id, target.target.upstreamModel);
  }

  /**
   * Takes the credential marks of a new snapshot and prunes old state. A mark only this process knows survives
   * the reload while its write may still be on the way, but never a reset: a snapshot whose account has moved to
   * a newer credential epoch (reset or replaced credential) voids it at once.
   */
  syncAccounts(accounts: readonly UpstreamAccountRecord[], now: number): void {
    this.rejected.clear();
    this.epochs.clear();
    const byId = new Map<string, UpstreamAccountRecord>();
    for (const account of accounts) {
      byId.set(account.id, account);
      this.epochs.set(account.id, account.credentialEpoch ?? 0);
      if (account.credentialRejectedAt !== null) this.rejected.add(account.id);
    }
    for (const [accountId, mark] of this.localMarks) {
      const account = byId.get(accountId);
      const stale =
        !account ||
        account.credentialRejectedAt !== null || // stored: the snapshot carries it from now on
        (account.credentialEpoch ?? 0) !== mark.epoch ||
        now - mark.at > LOCAL_MARK_GRACE_MS;
      if (stale) this.localMarks.delete(accountId);
      else this.rejected.add(accountId);
    }
    this.cooldowns.prune(now);
  }

  /**
   * Gives each (account, model) breaker the thresholds of the routes that use it (BREAKER_* where they set
   * none). Returns the pairs whose stored thresholds are invalid (they keep the defaults).
   */
  syncRoutes(routes: readonly RouteRecord[]): string[] {
    return this.breakers.configure(breakerThresholdsByTarget(routes, this.breakers.defaults));
  }

  /**
   * An upstream answered 401/403 for the account as the attempt saw it: no more traffic to it. True when it was
   * not marked yet. An attempt that started before a reset this process has already loaded (an older epoch)
   * answers for the old credential and marks nothing.
   */
  markCredentialRejected(account: MarkedAccount, now: number): boolean {
    if (this.rejected.has(account.id)) return false;
    if ((account.credentialEpoch ?? 0) < (this.epochs.get(account.id) ?? 0)) return false;
    this.rejected.add(account.id);
    this.localMarks.set(account.id, { at: now, epoch: account.credentialEpoch ?? 0 });
    return true;
  }

  isCredentialRejected(accountId: string): boolean {
    return this.rejected.has(accountId);
  }

  /** Notes an attempt's result for the health page: latency of answered attempts, the last error class. */
  recordAttempt(
    accountId: string,
    model: string,
    answered: boolean,
    latencyMs: number,
    errorClass: string | null,
  ) {
    const key = pairKey(accountId, model);
    let stats = this.stats.get(key);
    if (!stats) {
      stats = {
        accountId,
        model,
        latencies: new Float64Array(LATENCY_SAMPLES),
        count: 0,
        lastErrorClass: null,
      };
      this.stats.set(key, stats);
    }
    if (answered) stats.latencies[stats.count++ % LATENCY_SAMPLES] = latencyMs;
    if (errorClass !== null) stats.lastErrorClass = errorClass;
  }

  /** Every (account, model) this process has used or cooled, for the console's health page. */
  rows(now: number): TargetHealthRow[] {
    const rows = new Map<string, TargetHealthRow>();
    const row = (accountId: string, model: string): TargetHealthRow => {
      const key = `${accountId}\u0000${model}`;
      let r = rows.get(key);
      if (!r) {
        r = {
          accountId,
          model,
          state: 'closed',
          consecutiveFailures: 0,
          requests: 0,
          failures: 0,
          failureRate: 0,
          openedAt: null,
          nextProbeAt: null,
          coolingUntil: null,
          latencyP50Ms: null,
          latencyP95Ms: null,
          lastErrorClass: null,
        };
        rows.set(key, r);
      }
      return r;
    };
    for (const { accountId, model, snapshot } of this.breakers.snapshots(now)) {
      const r = row(accountId, model);
      r.state = snapshot.state;
      r.consecutiveFailures = snapshot.consecutiveFailures;
      r.requests = snapshot.requests;
      r.failures = snapshot.failures;
      r.failureRate = snapshot.failureRate;
      r.openedAt = snapshot.openedAt;
      r.nextProbeAt = snapshot.nextProbeAt;
    }
    for (const entry of this.cooldowns.entries(now))
      row(entry.accountId, entry.model).coolingUntil = entry.untilMs;
    for (const stats of this.stats.values()) {
      const r = row(stats.accountId, stats.model);
      r.lastErrorClass = stats.lastErrorClass;
      const n = Math.min(stats.count, LATENCY_SAMPLES);
      if (n > 0) {
        const sorted = Array.from(stats.latencies.subarray(0, n)).sort((a, b) => a - b);
        r.latencyP50Ms = Math.round(sorted[Math.floor((n - 1) * 0.5)] ?? 0);
        r.latencyP95Ms = Math.round(sorted[Math.floor((n - 1) * 0.95)] ?? 0);
      }
    }
    return [...rows.values()];
  }
}
