import type { FailoverInput, ResolvedTarget, RoutingTable, TargetHealth } from '@switchyard/core';
import type { UpstreamHealth } from './upstream-health';

const REMOVED: TargetHealth = Object.freeze({ available: false, reason: 'disabled', availableInMs: null });

/**
 * What the failover ladder reads about targets, answered from the live configuration and this process's health
 * state. A request plans on the snapshot it arrived with; every later decision looks each target up in the
 * current snapshot, so a target, account or provider disabled, drained or deleted while the request is in
 * flight gets none of its further attempts, and an attempt uses the target's current settings (credential,
 * base URL).
 *
 * One instance per process: the ladder's functions are bound once and read `now` as set by `at(now)` right
 * before a (synchronous) decision, so a decision allocates no closures.
 */
export class LadderHealthView
  implements Required<Pick<FailoverInput, 'health' | 'isReliable' | 'successRate' | 'panicMinSuccessRate'>>
{
  private now = 0;

  constructor(
    private readonly upstream: UpstreamHealth,
    private readonly table: () => RoutingTable | null,
    /** BREAKER_PANIC_MIN_SUCCESS_RATE: panic routing's floor on an open target's recent success rate. */
    readonly panicMinSuccessRate: number,
  ) {}

  /** Sets the time the next decision is made at; returns this view for the ladder's input. */
  at(now: number): this {
    this.now = now;
    return this;
  }

  /** The target as the current snapshot has it; undefined when it may no longer take traffic. */
  live(target: ResolvedTarget): ResolvedTarget | undefined {
    const table = this.table();
    // No snapshot yet cannot happen while requests are served; trust the plan rather than refuse.
    return table === null ? target : table.target(target.target.id);
  }

  readonly health = (target: ResolvedTarget): TargetHealth => {
    const live = this.live(target);
    return live === undefined ? REMOVED : this.upstream.health(live, this.now);
  };

  readonly isReliable = (target: ResolvedTarget): boolean => this.upstream.isReliable(target, this.now);

  readonly successRate = (target: ResolvedTarget): number | null =>
    this.upstream.successRate(target, this.now);
}
