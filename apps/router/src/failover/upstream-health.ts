import {
  type CircuitBreaker,
  type CircuitBreakerConfig,
  CircuitBreakerRegistry,
  CooldownRegistry,
  type ResolvedTarget,
  type TargetHealth,
  targetHealth,
  type UpstreamAccountRecord,
} from '@switchyard/core';
import type { TargetHealthRow } from '@switchyard/db';

/** Latencies kept per (account, model) for the health page's p50/p95. */
const LATENCY_SAMPLES = 128;
/**
 * A credential rejection this process saw is trusted for this long even if a snapshot without it arrives
 * (the database write and its NOTIFY may land after a reload that was already under way).
 */
const LOCAL_MARK_GRACE_MS = 30_000;

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
  private readonly localMarks = new Map<string, number>();
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

  /** Takes the credential marks of a new snapshot (an operator may have cleared one) and prunes old state. */
  syncAccounts(accounts: readonly UpstreamAccountRecord[], now: number): void {
    this.rejected.clear();
    for (const account of accounts) if (account.credentialRejectedAt !== null) this.rejected.add(account.id);
    for (const [accountId, at] of this.localMarks) {
      if (now - at > LOCAL_MARK_GRACE_MS) this.localMarks.delete(accountId);
      else this.rejected.add(accountId);
    }
    this.cooldowns.prune(now);
  }

  /** An upstream answered 401/403: no more traffic to the account. True when it was not marked yet. */
  markCredentialRejected(accountId: string, now: number): boolean {
    if (this.rejected.has(accountId)) return false;
    this.rejected.add(accountId);
    this.localMarks.set(accountId, now);
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
    const key = `${accountId}\u0000${model}`;
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
