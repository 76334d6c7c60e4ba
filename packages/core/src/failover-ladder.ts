import { type BackoffConfig, fullJitterBackoff } from './backoff';
import type { UpstreamErrorClass, UpstreamFailure } from './classify-upstream-failure';
import type { RoutePolicy } from './route-policy';
import type { ResolvedTarget } from './routing-table';
import type { TargetHealth } from './target-health';

/** Why the ladder picked a target: the request's first pick, or the rung that led to it. */
export type NextTargetReason =
  /** First pick in this plan: the request's first attempt, or the first after switching to a backup model. */
  | 'primary'
  /** Another target on the same provider (rung 2: another account serving the same model). */
  | 'other_account'
  /** The same route's target on another provider (rung 3). */
  | 'other_provider';

/** Why the ladder gave up. The caller maps it, with the last failure, to the client's answer. */
export type FailoverFailReason =
  /** The upstream rejected the request itself (4xx): any target would too. Relay it; never retried. */
  | 'client_error'
  /** The client went away; start nothing more. */
  | 'client_cancelled'
  /** The policy's `maxAttempts` is used up. */
  | 'max_attempts'
  /** The request deadline has passed, or the next wait would pass it. */
  | 'deadline_exceeded'
  /** The process-wide retry budget has no room for another attempt. */
  | 'retry_budget_exhausted'
  /** Nothing was attempted: every target is unavailable and no rung helps. */
  | 'no_available_target'
  /** Every rung the policy allows has been used. */
  | 'targets_exhausted';

/** The ladder's answer: what to do next for one request. Delays are milliseconds to wait before sending. */
export type FailoverStep =
  | { kind: 'retry_same'; target: ResolvedTarget; delayMs: number }
  | { kind: 'next_target'; target: ResolvedTarget; reason: NextTargetReason }
  /** Resolve this public model's route, plan it, and ask the ladder again with that plan. */
  | { kind: 'backup_model'; model: string }
  | { kind: 'wait_and_retry'; target: ResolvedTarget; delayMs: number }
  | {
      kind: 'fail';
      reason: FailoverFailReason;
      /**
       * Milliseconds until a retry could succeed (the upstream's Retry-After, a cool-down's or an open
       * breaker's end, whichever is soonest), for the client's Retry-After; null when unknown.
       */
      retryAfterMs: number | null;
    };

/** The attempt that just failed, as the ladder needs it. */
export interface FailedAttempt {
  target: ResolvedTarget;
  failure: UpstreamFailure;
  /** The failed response's parsed Retry-After (see parseRetryAfter); null when absent. */
  retryAfterMs: number | null;
}

/** Everything the ladder decides from. It reads nothing else and changes nothing. */
export interface FailoverInput {
  /** Targets of the route being served, in planned order (planAttempts): tiers first, weighted inside. */
  plan: readonly ResolvedTarget[];
  /** The request's policy (route × traffic class). */
  policy: RoutePolicy;
  /** The attempt that just failed; null before the first attempt. */
  last: FailedAttempt | null;
  /** Every attempt made for this request so far, across all plans, the failed one included. */
  attempts: readonly { targetId: string }[];
  /** The route's approved backup models (public names), in preference order. */
  backupModels: readonly string[];
  /** Public models this request has already used: the requested route's first, then each backup taken. */
  modelsTried: readonly string[];
  /** Health of a target now: enabled, credential, breaker, cool-down (see targetHealth). */
  health: (target: ResolvedTarget) => TargetHealth;
  /** Whether the retry budget has room (RetryBudget.available); needed for every attempt after the first. */
  retryBudgetAvailable: boolean;
  /** Epoch ms now, and the request's deadline (arrival + policy.timeouts.totalMs). */
  now: number;
  deadline: number;
  backoff: BackoffConfig;
  /** [0, 1); drawn at most once per call. */
  random: () => number;
}

/** Attempts one target may get through `retry_same` within a request: the first plus one retry. */
export const MAX_SAME_TARGET_ATTEMPTS = 2;

/** Failures worth repeating on the same target: the upstream may answer next time. */
const TRANSIENT: ReadonlySet<UpstreamErrorClass> = new Set<UpstreamErrorClass>([
  'connect_error',
  'timeout',
  'server_error',
  'stream_interrupted',
]);

/**
 * The failover ladder: decides a request's next step after a failed attempt (or its first step, with
 * `last: null`). Checks, in order: a client cancel or a non-retryable client error ends it at once; then
 * `maxAttempts`, the deadline and the retry budget. Then the rungs, each only if the policy allows it:
 * 1. retry the same target after a transient failure, once, after a jittered backoff (at least the
 *    upstream's Retry-After), if it is still healthy and the wait ends before the deadline;
 * 2–3. the next untried healthy target: lowest tier first (a lower tier only when the tier above has no
 *    usable target), inside a tier the same provider (another account) before another provider;
 * 4. the next approved backup model not yet used;
 * 5. wait until the soonest usable target is free again (cool-down or breaker end, plus jitter) and retry
 *    it, if that is before the deadline; otherwise fail with the wait as the retry hint;
 * 6. fail, with a retry hint for the client's Retry-After.
 * Targets that are disabled, credential-rejected, breaker-open or cooling are never picked. Call it only
 * before any byte reached the client: after that a stream cannot fail over.
 */
export function decideFailover(input: FailoverInput): FailoverStep {
  const { last, policy, attempts, now, deadline } = input;
  if (last?.failure.errorClass === 'client_cancelled') return fail('client_cancelled', null);
  if (last && !last.failure.retryable) return fail('client_error', null);
  if (attempts.length >= policy.maxAttempts) return fail('max_attempts', retryHint(input));
  if (now >= deadline) return fail('deadline_exceeded', retryHint(input));
  if (attempts.length > 0 && !input.retryBudgetAvailable)
    return fail('retry_budget_exhausted', retryHint(input));

  // The failed target anchors the rungs only while we are still in its plan; after a switch to a backup
  // model the new plan starts over with a primary pick.
  const anchor = last && input.plan.some((t) => t.target.id === last.target.target.id) ? last : null;

  if (anchor && policy.rungs.retrySameTarget && TRANSIENT.has(anchor.failure.errorClass)) {
    const sameAttempts = attempts.filter((a) => a.targetId === anchor.target.target.id).length;
    if (sameAttempts < MAX_SAME_TARGET_ATTEMPTS && input.health(anchor.target).available) {
      const jitter = fullJitterBackoff(sameAttempts - 1, input.backoff, input.random);
      const delayMs = Math.max(jitter, anchor.retryAfterMs ?? 0);
      if (now + delayMs < deadline) return { kind: 'retry_same', target: anchor.target, delayMs };
    }
  }

  const next = nextTarget(input, anchor);
  if (next) return next;

  if (policy.rungs.backupModel) {
    const model = input.backupModels.find((m) => !input.modelsTried.includes(m));
    if (model !== undefined) return { kind: 'backup_model', model };
  }

  if (policy.rungs.waitAndRetry) {
    const wait = soonestRetry(input, anchor);
    if (wait) {
      if (now + wait.delayMs < deadline)
        return { kind: 'wait_and_retry', target: wait.target, delayMs: wait.delayMs };
      return fail('deadline_exceeded', retryHint(input) ?? wait.delayMs);
    }
  }

  return fail(attempts.length === 0 ? 'no_available_target' : 'targets_exhausted', retryHint(input));
}

function fail(reason: FailoverFailReason, retryAfterMs: number | null): FailoverStep {
  return { kind: 'fail', reason, retryAfterMs };
}

/** How a candidate relates to the failed target; null when the policy forbids moving to it. */
function rungTo(
  candidate: ResolvedTarget,
  anchor: FailedAttempt | null,
  policy: RoutePolicy,
): NextTargetReason | null {
  if (!anchor) return 'primary';
  if (candidate.provider.id === anchor.target.provider.id)
    return policy.rungs.otherAccount ? 'other_account' : null;
  return policy.rungs.otherProvider ? 'other_provider' : null;
}

function nextTarget(input: FailoverInput, anchor: FailedAttempt | null): FailoverStep | null {
  const tried = new Set(input.attempts.map((a) => a.targetId));
  let best: { target: ResolvedTarget; reason: NextTargetReason } | null = null;
  for (const candidate of input.plan) {
    if (tried.has(candidate.target.id)) continue;
    const reason = rungTo(candidate, anchor, input.policy);
    if (reason === null) continue;
    if (best && !beats(candidate, reason, best.target, best.reason)) continue;
    if (!input.health(candidate).available) continue;
    best = { target: candidate, reason };
  }
  return best ? { kind: 'next_target', target: best.target, reason: best.reason } : null;
}

/** Lower tier first; inside a tier another account before another provider; otherwise plan order. */
function beats(
  a: ResolvedTarget,
  aReason: NextTargetReason,
  b: ResolvedTarget,
  bReason: NextTargetReason,
): boolean {
  if (a.target.tier !== b.target.tier) return a.target.tier < b.target.tier;
  return aReason === 'other_account' && bReason === 'other_provider';
}

/** The target that can be retried soonest, and the wait: time until it is free again plus jitter. */
function soonestRetry(
  input: FailoverInput,
  anchor: FailedAttempt | null,
): { target: ResolvedTarget; delayMs: number } | null {
  const jitter = fullJitterBackoff(input.attempts.length - 1, input.backoff, input.random);
  let best: { target: ResolvedTarget; delayMs: number } | null = null;
  for (const candidate of input.plan) {
    const isAnchor = anchor !== null && candidate.target.id === anchor.target.target.id;
    if (!isAnchor && rungTo(candidate, anchor, input.policy) === null) continue;
    const health = input.health(candidate);
    let freeInMs = 0;
    if (!health.available) {
      if (health.availableInMs === null) continue;
      freeInMs = health.availableInMs;
    }
    if (isAnchor) freeInMs = Math.max(freeInMs, anchor.retryAfterMs ?? 0);
    const delayMs = freeInMs + jitter;
    if (!best || delayMs < best.delayMs) best = { target: candidate, delayMs };
  }
  return best;
}

/** Soonest time a retry could succeed: the failed response's Retry-After or a blocked target's release. */
function retryHint(input: FailoverInput): number | null {
  let hint = input.last?.retryAfterMs ?? null;
  for (const candidate of input.plan) {
    const health = input.health(candidate);
    if (health.available || health.availableInMs === null) continue;
    if (hint === null || health.availableInMs < hint) hint = health.availableInMs;
  }
  return hint;
}
