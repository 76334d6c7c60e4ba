import { type BackoffConfig, fullJitterBackoff } from './backoff';
import type { UpstreamErrorClass, UpstreamFailure } from './classify-upstream-failure';
import type { RoutePolicy } from './route-policy';
import type { ResolvedTarget } from './routing-table';
import type { TargetHealth, TargetUnavailableReason } from './target-health';

/** Why the ladder picked a target: the request's first pick, or the rung that led to it. */
export type NextTargetReason =
  /** First pick in this plan: the request's first attempt, or the first after switching to a backup model. */
  | 'primary'
  /** Another target on the same provider (rung 2: another account serving the same model). */
  | 'other_account'
  /** The same route's target on another provider (rung 3). */
  | 'other_provider'
  /**
   * Every target is unavailable and this one's breaker is open, but it still succeeds often enough
   * (`panicMinSuccessRate`): sending to the least bad target beats failing every request.
   */
  | 'panic';

/** A target the ladder passed over because it could not take the request, and why; for the readback. */
export interface SkippedTarget {
  target: ResolvedTarget;
  reason: TargetUnavailableReason;
}

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
  /** Every step left would spend retry budget the failed upstream has no more of. */
  | 'retry_budget_exhausted'
  /** Nothing was attempted: every target is unavailable and no rung helps. */
  | 'no_available_target'
  /** Every rung the policy allows has been used. */
  | 'targets_exhausted';

/**
 * The ladder's answer: what to do next for one request. Delays are milliseconds to wait before sending.
 * `spendsRetryBudget`: the attempt is a retry the failed upstream's retry budget pays for (see
 * {@link decideFailover}); false for a first attempt and for a move that costs nothing.
 */
export type FailoverStep =
  | { kind: 'retry_same'; target: ResolvedTarget; delayMs: number; spendsRetryBudget: boolean }
  | {
      kind: 'next_target';
      target: ResolvedTarget;
      reason: NextTargetReason;
      spendsRetryBudget: boolean;
      /** Unavailable targets this request preferred to the chosen one; absent when there were none. */
      skipped?: readonly SkippedTarget[];
    }
  /** Resolve this public model's route, plan it, and ask the ladder again with that plan. */
  | { kind: 'backup_model'; model: string }
  | { kind: 'wait_and_retry'; target: ResolvedTarget; delayMs: number; spendsRetryBudget: boolean }
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
  /**
   * Whether the retry budget of the upstream that failed last (`last.target`) can pay for one more attempt.
   * Only attempts that spend budget need it (see decideFailover); ignored while `last` is null.
   */
  retryBudgetAvailable: boolean;
  /**
   * Whether an available target is healthy enough that moving a failed request to it costs no retry budget
   * (CircuitBreaker.isReliable). Absent: no target counts as healthy.
   */
  isReliable?: (target: ResolvedTarget) => boolean;
  /**
   * Success share of a target's recent outcomes (CircuitBreaker.successRate), null when unknown. Absent: no
   * panic routing.
   */
  successRate?: (target: ResolvedTarget) => number | null;
  /** Panic routing sends only to an open target whose success rate is at least this. Default 0.1. */
  panicMinSuccessRate?: number;
  /** Epoch ms now, and the request's deadline (arrival + policy.timeouts.totalMs). */
  now: number;
  deadline: number;
  backoff: BackoffConfig;
  /** [0, 1); drawn at most once per call. */
  random: () => number;
}

/** Default of `FailoverInput.panicMinSuccessRate`: a target that fails 9 requests in 10 is not worth sending to. */
export const DEFAULT_PANIC_MIN_SUCCESS_RATE = 0.1;

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
 * `maxAttempts` and the deadline. Then the rungs, each only if the policy allows it:
 * 1. retry the same target after a transient failure, once, after a jittered backoff (at least the
 *    upstream's Retry-After), if it is still healthy and the wait ends before the deadline;
 * 2–3. the next untried healthy target: lowest tier first, then lowest account priority (a later group only
 *    when the groups before it have no usable target), inside a group the same provider (another account)
 *    before another provider;
 * 4. the next approved backup model not yet used;
 * 5. panic: when no target can take the request and some are only breaker-open, the untried one with the best
 *    recent success rate, if that is at least `panicMinSuccessRate` (Envoy's panic threshold: when everything
 *    looks unhealthy, health checking is not trusted to fail everything);
 * 6. wait until the soonest usable target is free again (cool-down or breaker end, plus jitter) and retry
 *    it, if that is before the deadline; otherwise fail with the wait as the retry hint;
 * 7. fail, with a retry hint for the client's Retry-After.
 *
 * Retry budget: an attempt after a failure spends the failed upstream's budget unless it moves to another
 * target while the failed one is now known bad (breaker open, cooling down, credential rejected, disabled) or
 * the new target is healthy (`isReliable`). A same-target retry, a panic pick and a wait always spend it. A step
 * the budget cannot pay for is passed over, not fatal: the ladder goes on to the steps that cost nothing, and
 * fails with `retry_budget_exhausted` only when nothing else is left. So budgets stop retry storms on a sick
 * upstream and never keep a request from a healthy one.
 *
 * Targets that are disabled, credential-rejected, breaker-open or cooling are never picked (but for panic
 * routing); the ones a request preferred to its pick are reported as `skipped`. Call it only before any byte
 * reached the client: after that a stream cannot fail over.
 */
export function decideFailover(input: FailoverInput): FailoverStep {
  const { last, policy, attempts, now, deadline } = input;
  if (last?.failure.errorClass === 'client_cancelled') return fail('client_cancelled', null);
  if (last && !last.failure.retryable) return fail('client_error', null);
  if (attempts.length >= policy.maxAttempts) return fail('max_attempts', retryHint(input));
  if (now >= deadline) return fail('deadline_exceeded', retryHint(input));

  const budget = new RetryBudgetGate(input);

  // The failed target anchors the rungs only while we are still in its plan; after a switch to a backup
  // model the new plan starts over with a primary pick.
  const anchor = last && input.plan.some((t) => t.target.id === last.target.target.id) ? last : null;

  if (anchor && policy.rungs.retrySameTarget && TRANSIENT.has(anchor.failure.errorClass)) {
    const sameAttempts = attempts.filter((a) => a.targetId === anchor.target.target.id).length;
    if (sameAttempts < MAX_SAME_TARGET_ATTEMPTS && input.health(anchor.target).available) {
      const jitter = fullJitterBackoff(sameAttempts - 1, input.backoff, input.random);
      const delayMs = Math.max(jitter, anchor.retryAfterMs ?? 0);
      if (now + delayMs < deadline && budget.affords(true))
        return { kind: 'retry_same', target: anchor.target, delayMs, spendsRetryBudget: true };
    }
  }

  // A request's first step (every request takes one) has tried nothing: no Set to build.
  const tried: ReadonlySet<string> =
    attempts.length === 0 ? NOTHING_TRIED : new Set(attempts.map((a) => a.targetId));
  const next = nextTarget(input, anchor, tried, budget);
  if (next) return next;

  if (policy.rungs.backupModel) {
    const model = input.backupModels.find((m) => !input.modelsTried.includes(m));
    if (model !== undefined) return { kind: 'backup_model', model };
  }

  const panic = panicTarget(input, anchor, tried, budget);
  if (panic) return panic;

  if (policy.rungs.waitAndRetry) {
    const wait = soonestRetry(input, anchor);
    if (wait) {
      if (now + wait.delayMs >= deadline) return fail('deadline_exceeded', retryHint(input) ?? wait.delayMs);
      const spends = last !== null;
      if (budget.affords(spends))
        return {
          kind: 'wait_and_retry',
          target: wait.target,
          delayMs: wait.delayMs,
          spendsRetryBudget: spends,
        };
    }
  }

  if (budget.denied) return fail('retry_budget_exhausted', retryHint(input));
  return fail(attempts.length === 0 ? 'no_available_target' : 'targets_exhausted', retryHint(input));
}

const NOTHING_TRIED: ReadonlySet<string> = new Set();

/** Which attempts spend the failed upstream's retry budget, and whether one was refused for lack of it. */
class RetryBudgetGate {
  /** A step was passed over because the budget could not pay for it. */
  denied = false;
  private readonly lastKnownBad: boolean;

  constructor(private readonly input: FailoverInput) {
    const { last } = input;
    this.lastKnownBad = last !== null && !input.health(last.target).available;
  }

  /** Whether moving to `candidate` (an available target) spends budget. */
  spendsOn(candidate: ResolvedTarget): boolean {
    const { last } = this.input;
    if (last === null) return false;
    if (candidate.target.id === last.target.target.id) return true;
    return !(this.lastKnownBad || (this.input.isReliable?.(candidate) ?? false));
  }

  /** True when a step that `spends` (or not) may be taken; notes a refusal. */
  affords(spends: boolean): boolean {
    if (!spends || this.input.last === null || this.input.retryBudgetAvailable) return true;
    this.denied = true;
    return false;
  }
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

function nextTarget(
  input: FailoverInput,
  anchor: FailedAttempt | null,
  tried: ReadonlySet<string>,
  budget: RetryBudgetGate,
): FailoverStep | null {
  let best: { target: ResolvedTarget; reason: NextTargetReason; index: number; spends: boolean } | null =
    null;
  let sawUnavailable = false;
  for (let index = 0; index < input.plan.length; index++) {
    const candidate = input.plan[index] as ResolvedTarget;
    if (tried.has(candidate.target.id)) continue;
    const reason = rungTo(candidate, anchor, input.policy);
    if (reason === null) continue;
    if (best && !beats(candidate, reason, best.target, best.reason)) continue;
    if (!input.health(candidate).available) {
      sawUnavailable = true;
      continue;
    }
    const spends = budget.spendsOn(candidate);
    if (!budget.affords(spends)) continue;
    best = { target: candidate, reason, index, spends };
  }
  if (!best) return null;
  // Nothing unavailable seen, nothing skipped: spare the second pass.
  return targetStep(input, anchor, tried, best, best.reason, best.spends, sawUnavailable);
}

/** A `next_target` step to `pick`, with the targets it was preferred below when `findSkipped`. */
function targetStep(
  input: FailoverInput,
  anchor: FailedAttempt | null,
  tried: ReadonlySet<string>,
  pick: { target: ResolvedTarget; reason: NextTargetReason; index: number },
  reason: NextTargetReason,
  spendsRetryBudget: boolean,
  findSkipped: boolean,
): FailoverStep {
  const step: FailoverStep = { kind: 'next_target', target: pick.target, reason, spendsRetryBudget };
  if (findSkipped) {
    const skipped = skippedBefore(input, anchor, tried, pick.target, pick.reason, pick.index);
    if (skipped.length > 0) step.skipped = skipped;
  }
  return step;
}

/**
 * Panic routing: when no target can take the request, the untried breaker-open target with the best recent
 * success rate, if it reaches `panicMinSuccessRate` (and is above 0: a target that fails everything gets only
 * its breaker's probes). Null when there is none or panic routing is off (no `successRate`).
 */
function panicTarget(
  input: FailoverInput,
  anchor: FailedAttempt | null,
  tried: ReadonlySet<string>,
  budget: RetryBudgetGate,
): FailoverStep | null {
  const { successRate } = input;
  if (!successRate) return null;
  const minimum = input.panicMinSuccessRate ?? DEFAULT_PANIC_MIN_SUCCESS_RATE;
  let best: { target: ResolvedTarget; reason: NextTargetReason; index: number; rate: number } | null = null;
  for (let index = 0; index < input.plan.length; index++) {
    const candidate = input.plan[index] as ResolvedTarget;
    if (tried.has(candidate.target.id)) continue;
    const reason = rungTo(candidate, anchor, input.policy);
    if (reason === null) continue;
    const health = input.health(candidate);
    if (health.available || health.reason !== 'circuit_open') continue;
    const rate = successRate(candidate);
    if (rate === null || rate <= 0 || rate < minimum) continue;
    if (
      best &&
      (rate < best.rate || (rate === best.rate && !beats(candidate, reason, best.target, best.reason)))
    )
      continue;
    best = { target: candidate, reason, index, rate };
  }
  // A panic pick always spends budget after a failure: it is a retry onto an upstream known to be sick.
  const spends = input.last !== null;
  if (!best || !budget.affords(spends)) return null;
  return targetStep(input, anchor, tried, best, 'panic', spends, true);
}

/** Untried, allowed, unavailable targets this request would have preferred to `chosen` (at plan `index`). */
function skippedBefore(
  input: FailoverInput,
  anchor: FailedAttempt | null,
  tried: ReadonlySet<string>,
  chosen: ResolvedTarget,
  chosenReason: NextTargetReason,
  chosenIndex: number,
): SkippedTarget[] {
  const skipped: SkippedTarget[] = [];
  for (let index = 0; index < input.plan.length; index++) {
    const candidate = input.plan[index] as ResolvedTarget;
    if (index === chosenIndex || tried.has(candidate.target.id)) continue;
    const reason = rungTo(candidate, anchor, input.policy);
    if (reason === null) continue;
    const ahead =
      beats(candidate, reason, chosen, chosenReason) ||
      (index < chosenIndex && !beats(chosen, chosenReason, candidate, reason));
    if (!ahead) continue;
    const health = input.health(candidate);
    if (!health.available) skipped.push({ target: candidate, reason: health.reason });
  }
  return skipped;
}

/**
 * Lower tier first, then lower account priority; inside that group another account before another provider;
 * otherwise plan order.
 */
function beats(
  a: ResolvedTarget,
  aReason: NextTargetReason,
  b: ResolvedTarget,
  bReason: NextTargetReason,
): boolean {
  if (a.target.tier !== b.target.tier) return a.target.tier < b.target.tier;
  if (a.account.priority !== b.account.priority) return a.account.priority < b.account.priority;
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
