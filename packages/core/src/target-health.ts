import type { CircuitBreakerRegistry } from './circuit-breaker';
import type { CooldownRegistry } from './cooldown-registry';
import type { ResolvedTarget } from './routing-table';

/** Why a target cannot take a request right now. */
export type TargetUnavailableReason =
  /** The target, its account or its provider is switched off. */
  | 'disabled'
  /** The upstream rejected the account's credential (401/403); it gets nothing until an operator fixes it. */
  | 'credential_rejected'
  /** Its circuit breaker is open, or half-open with every probe slot taken. */
  | 'circuit_open'
  /** It answered 429 and is cooling down. */
  | 'cooling';

/** Whether the failover ladder may send a request to a target now, and if not, when it might. */
export type TargetHealth =
  | { available: true }
  | {
      available: false;
      reason: TargetUnavailableReason;
      /** Milliseconds until it may be available again; null when unknown or not by waiting. */
      availableInMs: number | null;
    };

/** The in-memory health state `targetHealth` reads. */
export interface TargetHealthSources {
  breakers: CircuitBreakerRegistry;
  cooldowns: CooldownRegistry;
  /** Account ids whose credential an upstream rejected. */
  rejectedAccounts?: ReadonlySet<string>;
}

const AVAILABLE: TargetHealth = Object.freeze({ available: true });

/**
 * Combines the enabled flags, rejected credentials, the (account, upstream model) breaker and cool-down into
 * one verdict. Checks the enabled flags again although the routing table already drops disabled targets,
 * so a target disabled mid-request is never chosen, not even for a retry. When both the breaker and a
 * cool-down block, reports the breaker and the later of the two times. Takes no breaker slot.
 */
export function targetHealth(
  resolved: ResolvedTarget,
  now: number,
  sources: TargetHealthSources,
): TargetHealth {
  const { target, account, provider } = resolved;
  if (!target.enabled || !account.enabled || !provider.enabled) {
    return { available: false, reason: 'disabled', availableInMs: null };
  }
  if (sources.rejectedAccounts?.has(account.id)) {
    return { available: false, reason: 'credential_rejected', availableInMs: null };
  }
  const coolingMs = sources.cooldowns.remaining(account.id, target.upstreamModel, now);
  const breaker = sources.breakers.peek(account.id, target.upstreamModel);
  if (breaker && !breaker.allows(now)) {
    const { state, nextProbeAt } = breaker.snapshot(now);
    // Half-open with every probe slot taken: free again when a probe ends, which no clock can say.
    const breakerMs = state === 'open' && nextProbeAt !== null ? nextProbeAt - now : null;
    return {
      available: false,
      reason: 'circuit_open',
      availableInMs: breakerMs === null ? null : Math.max(breakerMs, coolingMs),
    };
  }
  if (coolingMs > 0) return { available: false, reason: 'cooling', availableInMs: coolingMs };
  return AVAILABLE;
}
