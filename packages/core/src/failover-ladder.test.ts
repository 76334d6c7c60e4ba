import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './backoff';
import { breakerOutcome, CircuitBreakerRegistry } from './circuit-breaker';
import { classifyTransportFailure, classifyUpstreamStatus } from './classify-upstream-failure';
import { CooldownRegistry } from './cooldown-registry';
import {
  decideFailover,
  type FailedAttempt,
  type FailoverInput,
  type FailoverStep,
  MAX_SAME_TARGET_ATTEMPTS,
} from './failover-ladder';
import { RetryTokenRegistry } from './retry-tokens';
import { DEFAULT_ROUTE_POLICIES, type RoutePolicy } from './route-policy';
import type { ResolvedTarget } from './routing-table';
import { type TargetHealth, targetHealth } from './target-health';

// Fixture: provider P has accounts a1, a2 (tier 0); provider Q has b1 (tier 1).
function target(id: string, providerId: string, tier: number): ResolvedTarget {
  return {
    target: {
      id,
      accountId: `acc_${id}`,
      upstreamModel: `model-${providerId}`,
      tier,
      weight: 1,
      enabled: true,
    },
    account: {
      id: `acc_${id}`,
      providerId,
      name: id,
      credential: 'c',
      weight: 1,
      priority: 0,
      enabled: true,
      credentialRejectedAt: null,
    },
    provider: {
      id: providerId,
      name: providerId,
      kind: 'openai_compatible',
      baseUrl: 'http://x/v1',
      enabled: true,
    },
  };
}
const a1 = target('a1', 'P', 0);
const a2 = target('a2', 'P', 0);
const a3 = target('a3', 'P', 1);
const b0 = target('b0', 'Q', 0);
const b1 = target('b1', 'Q', 1);
const m1 = target('m1', 'Q', 0); // a target of a backup model's route
const a2p1: ResolvedTarget = { ...a2, account: { ...a2.account, priority: 1 } }; // a2 with a lower-ranked account

const interactive = DEFAULT_ROUTE_POLICIES.interactive;
const background = DEFAULT_ROUTE_POLICIES.background;
const evaluation = DEFAULT_ROUTE_POLICIES.evaluation;
const backoff = { baseMs: 100, capMs: 1_000 };

function withRungs(
  policy: RoutePolicy,
  rungs: Partial<RoutePolicy['rungs']>,
  maxAttempts = policy.maxAttempts,
) {
  return { ...policy, maxAttempts, rungs: { ...policy.rungs, ...rungs } };
}

const cooling = (ms: number): TargetHealth => ({ available: false, reason: 'cooling', availableInMs: ms });
const open = (ms: number | null): TargetHealth => ({
  available: false,
  reason: 'circuit_open',
  availableInMs: ms,
});
const disabled: TargetHealth = { available: false, reason: 'disabled', availableInMs: null };
const rejected: TargetHealth = { available: false, reason: 'credential_rejected', availableInMs: null };

function failed(t: ResolvedTarget, status: number, retryAfterMs: number | null = null): FailedAttempt {
  return { target: t, failure: classifyUpstreamStatus(status), retryAfterMs };
}

const tried = (...targets: ResolvedTarget[]) => targets.map((t) => ({ targetId: t.target.id }));

interface Case {
  name: string;
  input: Partial<FailoverInput> & { healthById?: Record<string, TargetHealth> };
  expected: unknown;
}

function run({ healthById = {}, ...overrides }: Case['input']): FailoverStep {
  return decideFailover({
    plan: [a1, a2, b1],
    policy: interactive,
    last: null,
    attempts: [],
    backupModels: [],
    modelsTried: ['chat'],
    health: (t) => healthById[t.target.id] ?? { available: true },
    retryBudgetAvailable: true,
    now: 0,
    deadline: 60_000,
    backoff,
    random: () => 0.5,
    ...overrides,
  });
}

/** A step with targets reduced to their ids (skipped ones to `id:reason`), for readable expectations. */
function summary(step: FailoverStep): unknown {
  if (!('target' in step)) return step;
  const skipped =
    'skipped' in step && step.skipped
      ? step.skipped.map((x) => `${x.target.target.id}:${x.reason}`)
      : undefined;
  return { ...step, target: step.target.target.id, ...(skipped ? { skipped } : {}) };
}

const cases: Case[] = [
  // First pick
  {
    name: 'first attempt: the plan’s first healthy target',
    input: {},
    expected: { kind: 'next_target', target: 'a1', reason: 'primary', spendsRetryBudget: false },
  },
  {
    name: 'first attempt skips a cooling and a breaker-open target',
    input: { healthById: { a1: cooling(30_000), a2: open(5_000) } },
    expected: {
      kind: 'next_target',
      target: 'b1',
      reason: 'primary',
      spendsRetryBudget: false,
      skipped: ['a1:cooling', 'a2:circuit_open'],
    },
  },
  {
    name: 'first attempt needs no retry budget',
    input: { retryBudgetAvailable: false },
    expected: { kind: 'next_target', target: 'a1', reason: 'primary', spendsRetryBudget: false },
  },
  // Client errors and cancels end the request
  ...[400, 404, 409, 422].map((status) => ({
    name: `upstream ${status}: fail at once, every rung open and targets untried`,
    input: { last: failed(a1, status), attempts: tried(a1), backupModels: ['chat-mini'] },
    expected: { kind: 'fail', reason: 'client_error', retryAfterMs: null },
  })),
  {
    name: 'client cancelled: start nothing more',
    input: {
      last: { target: a1, failure: { errorClass: 'client_cancelled', retryable: false }, retryAfterMs: null },
      attempts: tried(a1),
    },
    expected: { kind: 'fail', reason: 'client_cancelled', retryAfterMs: null },
  },
  // Rung 1: retry the same target
  {
    name: '503: retry the same target after full-jitter backoff (0.5 × 100 ms)',
    input: { last: failed(a1, 503), attempts: tried(a1) },
    expected: { kind: 'retry_same', target: 'a1', delayMs: 50, spendsRetryBudget: true },
  },
  {
    name: '503 with Retry-After 2 s: retry the same target after 2 s',
    input: { last: failed(a1, 503, 2_000), attempts: tried(a1) },
    expected: { kind: 'retry_same', target: 'a1', delayMs: 2_000, spendsRetryBudget: true },
  },
  {
    name: 'timeout before first byte is transient',
    input: {
      last: { target: a1, failure: classifyTransportFailure('timeout'), retryAfterMs: null },
      attempts: tried(a1),
    },
    expected: { kind: 'retry_same', target: 'a1', delayMs: 50, spendsRetryBudget: true },
  },
  {
    name: 'connection refused is transient',
    input: {
      last: { target: a1, failure: classifyTransportFailure('connect'), retryAfterMs: null },
      attempts: tried(a1),
    },
    expected: { kind: 'retry_same', target: 'a1', delayMs: 50, spendsRetryBudget: true },
  },
  {
    name: `the same target gets at most ${MAX_SAME_TARGET_ATTEMPTS} attempts, then another account`,
    input: { last: failed(a1, 503), attempts: tried(a1, a1) },
    expected: { kind: 'next_target', target: 'a2', reason: 'other_account', spendsRetryBudget: true },
  },
  {
    name: 'a failure that opened the breaker: no retry on it, another account',
    input: { last: failed(a1, 503), attempts: tried(a1), healthById: { a1: open(10_000) } },
    expected: { kind: 'next_target', target: 'a2', reason: 'other_account', spendsRetryBudget: false },
  },
  {
    name: 'a retry wait that would pass the deadline: skip to another account instead',
    input: { last: failed(a1, 503), attempts: tried(a1), now: 59_950 },
    expected: { kind: 'next_target', target: 'a2', reason: 'other_account', spendsRetryBudget: true },
  },
  {
    name: 'retrySameTarget off: straight to another account',
    input: {
      last: failed(a1, 500),
      attempts: tried(a1),
      policy: withRungs(interactive, { retrySameTarget: false }),
    },
    expected: { kind: 'next_target', target: 'a2', reason: 'other_account', spendsRetryBudget: true },
  },
  // Rungs 2–3: other targets
  {
    name: '429: never retried on that account; another account serves',
    input: { last: failed(a1, 429, 30_000), attempts: tried(a1), healthById: { a1: cooling(30_000) } },
    expected: { kind: 'next_target', target: 'a2', reason: 'other_account', spendsRetryBudget: false },
  },
  {
    name: '401: the credential is rejected, no retry on it; another account serves',
    input: { last: failed(a1, 401), attempts: tried(a1), healthById: { a1: rejected } },
    expected: { kind: 'next_target', target: 'a2', reason: 'other_account', spendsRetryBudget: false },
  },
  {
    name: 'inside a tier, another account before another provider even if planned later',
    input: { plan: [a1, b0, a2], last: failed(a1, 429), attempts: tried(a1) },
    expected: { kind: 'next_target', target: 'a2', reason: 'other_account', spendsRetryBudget: true },
  },
  {
    name: 'a lower tier only when the tier above has no usable target',
    input: { plan: [a1, b0, a3], last: failed(a1, 429), attempts: tried(a1) },
    expected: { kind: 'next_target', target: 'b0', reason: 'other_provider', spendsRetryBudget: true },
  },
  {
    name: 'the tier above exhausted: the lower tier',
    input: {
      plan: [a1, b0, a3],
      last: failed(b0, 429),
      attempts: tried(a1, b0),
      healthById: { b0: cooling(1) },
    },
    expected: { kind: 'next_target', target: 'a3', reason: 'other_provider', spendsRetryBudget: false },
  },
  {
    name: 'same-provider target skipped while unhealthy: another provider',
    input: { last: failed(a1, 429), attempts: tried(a1), healthById: { a1: cooling(9), a2: open(3_000) } },
    expected: {
      kind: 'next_target',
      target: 'b1',
      reason: 'other_provider',
      spendsRetryBudget: false,
      skipped: ['a2:circuit_open'],
    },
  },
  {
    name: 'otherAccount off: skip the same provider, go to another provider',
    input: {
      last: failed(a1, 429),
      attempts: tried(a1),
      policy: withRungs(interactive, { otherAccount: false }),
    },
    expected: { kind: 'next_target', target: 'b1', reason: 'other_provider', spendsRetryBudget: true },
  },
  // Rung 4: backup model
  {
    name: 'otherAccount and otherProvider off: the approved backup model',
    input: {
      last: failed(a1, 429),
      attempts: tried(a1),
      backupModels: ['chat-mini'],
      policy: withRungs(interactive, { otherAccount: false, otherProvider: false }),
    },
    expected: { kind: 'backup_model', model: 'chat-mini' },
  },
  {
    name: 'every target used: the first backup model not yet used',
    input: {
      last: failed(b1, 429),
      attempts: tried(a1, a2, b1),
      backupModels: ['chat-mini', 'chat-small'],
      modelsTried: ['chat', 'chat-mini'],
      policy: withRungs(interactive, {}, 10),
    },
    expected: { kind: 'backup_model', model: 'chat-small' },
  },
  {
    name: 'evaluation never falls back to another model',
    input: {
      last: failed(b1, 500),
      attempts: tried(a1, a2, b1),
      backupModels: ['chat-mini'],
      healthById: { b1: open(8_000) },
      policy: { ...evaluation, maxAttempts: 10 },
    },
    expected: { kind: 'fail', reason: 'targets_exhausted', retryAfterMs: 8_000 },
  },
  {
    name: '…where interactive with the same history takes the backup',
    input: {
      last: failed(b1, 500),
      attempts: tried(a1, a2, b1),
      backupModels: ['chat-mini'],
      healthById: { b1: open(8_000) },
      policy: { ...interactive, maxAttempts: 10 },
    },
    expected: { kind: 'backup_model', model: 'chat-mini' },
  },
  {
    name: 'after switching to a backup model its plan starts with a primary pick, whatever the provider rungs',
    input: {
      plan: [m1],
      last: failed(a1, 503),
      attempts: tried(a1, a1),
      modelsTried: ['chat', 'chat-mini'],
      policy: withRungs(interactive, { otherProvider: false }),
    },
    expected: { kind: 'next_target', target: 'm1', reason: 'primary', spendsRetryBudget: true },
  },
  {
    name: 'a backup model with nothing usable: the next backup',
    input: {
      plan: [m1],
      last: failed(a1, 503),
      attempts: tried(a1),
      backupModels: ['chat-mini', 'chat-small'],
      modelsTried: ['chat', 'chat-mini'],
      healthById: { m1: open(2_000) },
    },
    expected: { kind: 'backup_model', model: 'chat-small' },
  },
  // Bounds
  {
    name: 'maxAttempts reached: fail',
    input: { last: failed(a2, 503), attempts: tried(a1, a1, a2) },
    expected: { kind: 'fail', reason: 'max_attempts', retryAfterMs: null },
  },
  {
    name: 'maxAttempts reached on a 429: report its Retry-After',
    input: {
      last: failed(a2, 429, 20_000),
      attempts: tried(a1, a1, a2),
      healthById: { a2: cooling(20_000) },
    },
    expected: { kind: 'fail', reason: 'max_attempts', retryAfterMs: 20_000 },
  },
  {
    name: 'deadline passed: fail',
    input: { last: failed(a1, 503), attempts: tried(a1), now: 60_000 },
    expected: { kind: 'fail', reason: 'deadline_exceeded', retryAfterMs: null },
  },
  {
    name: 'retry budget full: fail rather than amplify',
    input: { last: failed(a1, 503), attempts: tried(a1), retryBudgetAvailable: false },
    expected: { kind: 'fail', reason: 'retry_budget_exhausted', retryAfterMs: null },
  },
  // Total outage
  {
    name: 'total outage, interactive: fail fast with the soonest breaker probe as Retry-After',
    input: { healthById: { a1: open(7_000), a2: open(4_000), b1: open(9_000) } },
    expected: { kind: 'fail', reason: 'no_available_target', retryAfterMs: 4_000 },
  },
  {
    name: 'total outage with an unused backup model: try the backup',
    input: { backupModels: ['chat-mini'], healthById: { a1: open(7_000), a2: open(4_000), b1: open(9_000) } },
    expected: { kind: 'backup_model', model: 'chat-mini' },
  },
  {
    name: 'total outage after failures: targets exhausted, soonest release as Retry-After',
    input: {
      last: failed(a2, 503),
      attempts: tried(a1, a2),
      healthById: { a1: open(9_900), a2: open(10_000), b1: cooling(12_000) },
    },
    expected: { kind: 'fail', reason: 'targets_exhausted', retryAfterMs: 9_900 },
  },
  {
    name: 'total outage, background: wait for the soonest target (4 s + 50 ms jitter)',
    input: { policy: background, healthById: { a1: open(7_000), a2: open(4_000), b1: open(9_000) } },
    expected: { kind: 'wait_and_retry', target: 'a2', delayMs: 4_050, spendsRetryBudget: false },
  },
  // Rung 5: wait and retry
  {
    name: 'background 429 within the deadline: wait out the Retry-After on that account',
    input: {
      policy: background,
      plan: [a1],
      last: failed(a1, 429, 5_000),
      attempts: tried(a1),
      deadline: 900_000,
      healthById: { a1: cooling(5_000) },
    },
    expected: { kind: 'wait_and_retry', target: 'a1', delayMs: 5_050, spendsRetryBudget: true },
  },
  {
    name: 'background 429 whose Retry-After passes the deadline: fail, reporting the Retry-After',
    input: {
      policy: background,
      plan: [a1],
      last: failed(a1, 429, 120_000),
      attempts: tried(a1),
      deadline: 60_000,
      healthById: { a1: cooling(120_000) },
    },
    expected: { kind: 'fail', reason: 'deadline_exceeded', retryAfterMs: 120_000 },
  },
  {
    name: 'interactive never waits: a 429 on the only account fails with its Retry-After',
    input: {
      plan: [a1],
      last: failed(a1, 429, 5_000),
      attempts: tried(a1),
      healthById: { a1: cooling(5_000) },
    },
    expected: { kind: 'fail', reason: 'targets_exhausted', retryAfterMs: 5_000 },
  },
  {
    name: 'wait jitter grows with the attempt count (3rd retry: 0.5 × 400 ms)',
    input: { policy: background, plan: [a1], last: failed(a1, 503), attempts: tried(a1, a1, a1) },
    expected: { kind: 'wait_and_retry', target: 'a1', delayMs: 200, spendsRetryBudget: true },
  },
  {
    name: 'a 503 Retry-After holds the failed target back during a wait (3 s + 0.5 × 200 ms)',
    input: { policy: background, plan: [a1], last: failed(a1, 503, 3_000), attempts: tried(a1, a1) },
    expected: { kind: 'wait_and_retry', target: 'a1', delayMs: 3_100, spendsRetryBudget: true },
  },
  {
    name: 'waiting respects the rung switches: no other provider when otherProvider is off',
    input: {
      policy: withRungs(background, { otherProvider: false }),
      last: failed(a2, 429, 3_000),
      attempts: tried(a1, a1, a2),
      healthById: { a1: open(9_000), a2: cooling(3_000) },
    },
    expected: { kind: 'wait_and_retry', target: 'a2', delayMs: 3_200, spendsRetryBudget: true },
  },
  {
    name: 'a disabled or rejected target is never chosen, not for a retry nor a wait',
    input: {
      policy: background,
      last: failed(a1, 503),
      attempts: tried(a1),
      healthById: { a1: disabled, a2: disabled, b1: rejected },
    },
    expected: { kind: 'fail', reason: 'targets_exhausted', retryAfterMs: null },
  },
  {
    name: 'a half-open breaker with its probe taken is skipped, with no wait to offer',
    input: {
      policy: background,
      plan: [a1],
      last: failed(a1, 503),
      attempts: tried(a1),
      healthById: { a1: open(null) },
    },
    expected: { kind: 'fail', reason: 'targets_exhausted', retryAfterMs: null },
  },
  // Retry budget: spent on retries onto sick upstreams only (issue 12, E5)
  {
    name: 'budget empty: the same-target retry is passed over for a healthy target, which costs nothing',
    input: {
      last: failed(a1, 503),
      attempts: tried(a1),
      retryBudgetAvailable: false,
      isReliable: (t) => t.target.id === 'a2',
    },
    expected: { kind: 'next_target', target: 'a2', reason: 'other_account', spendsRetryBudget: false },
  },
  {
    name: 'budget empty: moving away from a target whose breaker just opened costs nothing',
    input: {
      last: failed(a1, 503),
      attempts: tried(a1),
      retryBudgetAvailable: false,
      healthById: { a1: open(10_000) },
    },
    expected: { kind: 'next_target', target: 'a2', reason: 'other_account', spendsRetryBudget: false },
  },
  {
    name: 'budget empty: a preferred target that would cost budget gives way to a free one',
    input: {
      last: failed(a1, 503),
      attempts: tried(a1),
      retryBudgetAvailable: false,
      isReliable: (t) => t.target.id === 'b1',
    },
    expected: { kind: 'next_target', target: 'b1', reason: 'other_provider', spendsRetryBudget: false },
  },
  {
    name: 'a retry onto a healthy target spends nothing even while the budget has room',
    input: { last: failed(a1, 503), attempts: tried(a1, a1), isReliable: () => true },
    expected: { kind: 'next_target', target: 'a2', reason: 'other_account', spendsRetryBudget: false },
  },
  // Account priority (issue 12, E3)
  {
    name: 'a lower account priority number wins over the same-provider preference',
    input: {
      plan: [a1, b0, a2p1],
      last: failed(a1, 429),
      attempts: tried(a1),
      healthById: { a1: cooling(1_000) },
    },
    expected: { kind: 'next_target', target: 'b0', reason: 'other_provider', spendsRetryBudget: false },
  },
  // Panic routing (issue 12, E7)
  {
    name: 'every target open: panic to the one with the best recent success rate, reporting the others skipped',
    input: {
      healthById: { a1: open(7_000), a2: open(4_000), b1: open(9_000) },
      successRate: (t) => ({ a1: 0.5, a2: 0.3, b1: 0.6 })[t.target.id] ?? null,
    },
    expected: {
      kind: 'next_target',
      target: 'b1',
      reason: 'panic',
      spendsRetryBudget: false,
      skipped: ['a1:circuit_open', 'a2:circuit_open'],
    },
  },
  {
    name: 'panic: equal rates go to the preferred target',
    input: {
      healthById: { a1: open(7_000), a2: open(4_000), b1: open(9_000) },
      successRate: () => 0.5,
    },
    expected: { kind: 'next_target', target: 'a1', reason: 'panic', spendsRetryBudget: false },
  },
  {
    name: 'panic with a minimum of 0: some success is enough, none or unknown is not',
    input: {
      healthById: { a1: open(7_000), a2: open(4_000), b1: open(9_000) },
      successRate: (t) => ({ a1: 0.05, a2: 0, b1: null })[t.target.id] ?? null,
      panicMinSuccessRate: 0,
    },
    expected: { kind: 'next_target', target: 'a1', reason: 'panic', spendsRetryBudget: false },
  },
  {
    name: 'panic: never below panicMinSuccessRate (default 0.1)',
    input: {
      healthById: { a1: open(7_000), a2: open(4_000), b1: open(9_000) },
      successRate: () => 0.09,
    },
    expected: { kind: 'fail', reason: 'no_available_target', retryAfterMs: 4_000 },
  },
  {
    name: 'panic: a total outage (no success anywhere) still fails fast',
    input: {
      healthById: { a1: open(7_000), a2: open(4_000), b1: open(9_000) },
      successRate: () => 0,
    },
    expected: { kind: 'fail', reason: 'no_available_target', retryAfterMs: 4_000 },
  },
  {
    name: 'panic: only breaker-open targets, never cooling, rejected or disabled ones',
    input: {
      healthById: { a1: cooling(5_000), a2: rejected, b1: disabled },
      successRate: () => 0.9,
    },
    expected: { kind: 'fail', reason: 'no_available_target', retryAfterMs: 5_000 },
  },
  {
    name: 'panic: an approved backup model comes first',
    input: {
      backupModels: ['chat-mini'],
      healthById: { a1: open(7_000), a2: open(4_000), b1: open(9_000) },
      successRate: () => 0.5,
    },
    expected: { kind: 'backup_model', model: 'chat-mini' },
  },
  {
    name: 'panic after a failure is a retry onto a sick upstream: it spends budget',
    input: {
      last: failed(a1, 503),
      attempts: tried(a1),
      healthById: { a1: open(10_000), a2: open(4_000), b1: open(9_000) },
      successRate: () => 0.5,
    },
    expected: { kind: 'next_target', target: 'a2', reason: 'panic', spendsRetryBudget: true },
  },
  {
    name: 'panic after a failure with the budget empty: fail, budget exhausted',
    input: {
      last: failed(a1, 503),
      attempts: tried(a1),
      retryBudgetAvailable: false,
      healthById: { a1: open(10_000), a2: open(4_000), b1: open(9_000) },
      successRate: () => 0.5,
    },
    expected: { kind: 'fail', reason: 'retry_budget_exhausted', retryAfterMs: 4_000 },
  },
];

describe('decideFailover', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(summary(run(input))).toEqual(expected);
  });

  it('draws at most one random number per decision', () => {
    let draws = 0;
    const random = () => {
      draws++;
      return 0.5;
    };
    run({ last: failed(a1, 503), attempts: tried(a1), random });
    expect(draws).toBe(1);
    draws = 0;
    run({ policy: background, plan: [a1], last: failed(a1, 503), attempts: tried(a1, a1), random });
    expect(draws).toBe(1);
  });
});

/**
 * Drives whole requests through the real breaker, cool-down and health pieces the way the router will, against
 * a scripted upstream. Attempts take no time; the clock moves only by the ladder's delays and between requests.
 */
function harness(
  plan: ResolvedTarget[],
  upstream: (id: string, now: number) => { status: number; retryAfter?: string },
  options: {
    /** Per-upstream retry budgets as the router keeps them; absent: the budget always has room. */
    retryTokens?: RetryTokenRegistry;
    /** Panic routing on (with the default minimum success rate). */
    panic?: boolean;
  } = {},
) {
  const { retryTokens } = options;
  const tokensOf = (t: ResolvedTarget) => retryTokens?.get(t.account.id, t.target.upstreamModel);
  const reasons: string[] = [];
  const breakers = new CircuitBreakerRegistry();
  const cooldowns = new CooldownRegistry();
  const rejectedAccounts = new Set<string>();
  const calls: Record<string, number[]> = {};
  let now = 0;

  function request(at: number, policy: RoutePolicy = interactive) {
    now = Math.max(now, at);
    const deadline = now + policy.timeouts.totalMs;
    const attempts: { targetId: string }[] = [];
    let last: FailedAttempt | null = null;
    for (;;) {
      const step = decideFailover({
        plan,
        policy,
        last,
        attempts,
        backupModels: [],
        modelsTried: ['chat'],
        health: (t) => targetHealth(t, now, { breakers, cooldowns, rejectedAccounts }),
        retryBudgetAvailable: last === null || (tokensOf(last.target)?.available() ?? true),
        isReliable: (t) => breakers.peek(t.account.id, t.target.upstreamModel)?.isReliable(now) ?? true,
        ...(options.panic
          ? {
              successRate: (t) =>
                breakers.peek(t.account.id, t.target.upstreamModel)?.successRate(now) ?? null,
            }
          : {}),
        now,
        deadline,
        backoff,
        random: () => 0.5,
      });
      if (step.kind === 'fail') return { served: null, attempts: attempts.length, fail: step };
      if (step.kind === 'backup_model') throw new Error('no backups configured');
      if (step.kind !== 'next_target') now += step.delayMs;
      reasons.push(step.kind === 'next_target' ? step.reason : step.kind);
      if (step.spendsRetryBudget && last && !tokensOf(last.target)?.tryWithdraw() && retryTokens)
        throw new Error('the ladder spent budget the failed upstream does not have');
      if (attempts.length === 0) tokensOf(step.target)?.onRequest();
      const { target, account } = step.target;
      const breaker = breakers.get(account.id, target.upstreamModel);
      if (!breaker.tryAcquire(now) && step.kind === 'next_target' && step.reason !== 'panic')
        throw new Error(`ladder picked ${target.id} while its breaker refuses`);
      attempts.push({ targetId: target.id });
      calls[target.id] = [...(calls[target.id] ?? []), now];
      const reply = upstream(target.id, now);
      const failure = reply.status < 300 ? null : classifyUpstreamStatus(reply.status);
      const verdict = breakerOutcome(failure?.errorClass ?? null);
      if (verdict === 'success') breaker.onSuccess(now);
      else if (verdict === 'failure') breaker.onFailure(now);
      else breaker.release(now);
      if (!failure) return { served: target.id, attempts: attempts.length, fail: null };
      const retryAfterMs = parseRetryAfter(reply.retryAfter, now);
      if (failure.errorClass === 'rate_limited')
        cooldowns.coolFor(account.id, target.upstreamModel, now, retryAfterMs);
      if (failure.errorClass === 'upstream_auth') rejectedAccounts.add(account.id);
      last = { target: step.target, failure, retryAfterMs };
    }
  }
  return { request, calls, breakers, reasons };
}

describe('failover ladder end to end (scripted upstream)', () => {
  it('503 on the primary for a minute with a healthy second account: 0 client errors, breaker opens on the 5th failure, probes every 10 s, closes on recovery', () => {
    const h = harness([a1, a2], (id, now) => ({ status: id === 'a1' && now < 60_000 ? 503 : 200 }));
    const results = [];
    for (let t = 0; t < 70_000; t += 1_000) results.push(h.request(t));
    expect(results.filter((r) => r.served === null)).toEqual([]);
    expect(results.slice(0, 3).map((r) => r.attempts)).toEqual([3, 3, 2]);
    expect(h.calls.a1).toEqual([
      0,
      50,
      1_000,
      1_050,
      2_000, // 5 consecutive failures: open at 2 s
      12_000,
      22_000,
      32_000,
      42_000,
      52_000, // one failed probe per cool-down
      62_000,
      63_000,
      64_000,
      65_000,
      66_000,
      67_000,
      68_000,
      69_000, // probe succeeds, closed again
    ]);
    // Every request up to 61 s ends on a2; from 62 s a1 serves again.
    expect(results.map((r) => r.served)).toEqual([
      ...Array<string>(62).fill('a2'),
      ...Array<string>(8).fill('a1'),
    ]);
    expect(h.calls.a2).toHaveLength(62);
    expect(h.breakers.get('acc_a1', 'model-P').state(69_000)).toBe('closed');
  });

  it('400 from upstream: exactly one attempt, and the breaker counts the upstream as healthy', () => {
    const h = harness([a1, a2], () => ({ status: 400 }));
    const result = h.request(0);
    expect(result).toEqual({
      served: null,
      attempts: 1,
      fail: { kind: 'fail', reason: 'client_error', retryAfterMs: null },
    });
    expect(h.calls).toEqual({ a1: [0] });
    expect(h.breakers.get('acc_a1', 'model-P').snapshot(0)).toMatchObject({
      state: 'closed',
      requests: 1,
      failures: 0,
    });
  });

  it('429 with Retry-After: 30 — that account untouched for 30 s while another serves, then used again', () => {
    let limited = true;
    const h = harness([a1, a2], (id) => {
      if (id === 'a1' && limited) {
        limited = false;
        return { status: 429, retryAfter: '30' };
      }
      return { status: 200 };
    });
    const results = [];
    for (let t = 0; t <= 35_000; t += 1_000) results.push(h.request(t));
    expect(results.every((r) => r.served !== null)).toBe(true);
    expect(h.calls.a1).toEqual([0, 30_000, 31_000, 32_000, 33_000, 34_000, 35_000]);
    expect(h.calls.a2).toEqual(Array.from({ length: 30 }, (_, i) => i * 1_000));
  });

  it('total outage: a bounded number of upstream calls, then instant rejections carrying Retry-After', () => {
    const h = harness([a1, a2], () => ({ status: 503 }));
    const results = [];
    for (let t = 0; t <= 2_000; t += 100) results.push(h.request(t));
    expect(results.slice(0, 4).map((r) => [r.attempts, r.fail?.reason, r.fail?.retryAfterMs])).toEqual([
      [3, 'max_attempts', null],
      [3, 'max_attempts', null],
      [3, 'max_attempts', 9_950], // a1 opened at 200 ms: probe at 10.2 s
      [1, 'targets_exhausted', 9_900], // a2 opened at 300 ms
    ]);
    for (const [i, r] of results.slice(4).entries()) {
      expect(r).toEqual({
        served: null,
        attempts: 0,
        fail: { kind: 'fail', reason: 'no_available_target', retryAfterMs: 10_200 - (400 + i * 100) },
      });
    }
    expect(h.calls).toEqual({ a1: [0, 50, 100, 150, 200], a2: [50, 150, 200, 250, 300] });
  });

  it('401 from upstream: that account is marked and skipped, the other account is unaffected', () => {
    const h = harness([a1, a2], (id) => ({ status: id === 'a1' ? 401 : 200 }));
    expect([0, 1_000, 2_000].map((t) => h.request(t).served)).toEqual(['a2', 'a2', 'a2']);
    expect(h.calls).toEqual({ a1: [0], a2: [0, 1_000, 2_000] });
    expect(h.breakers.get('acc_a1', 'model-P').snapshot(2_000)).toMatchObject({
      state: 'closed',
      requests: 0,
    });
  });

  it('a dead primary with a healthy second account and no retry budget at all: 0 client errors', () => {
    const h = harness([a1, a2], (id, now) => ({ status: id === 'a1' && now < 60_000 ? 503 : 200 }), {
      retryTokens: new RetryTokenRegistry({ initial: 0, ratio: 0.15 }),
    });
    const results = [];
    for (let t = 0; t < 70_000; t += 1_000) results.push(h.request(t));
    expect(results.filter((r) => r.served === null)).toEqual([]);
    // No budget for a same-target retry: each failure moves straight on to the healthy account, for free.
    expect(results.slice(0, 6).map((r) => r.attempts)).toEqual([2, 2, 2, 2, 2, 1]);
    expect(h.calls.a1?.slice(0, 7)).toEqual([0, 1_000, 2_000, 3_000, 4_000, 14_000, 24_000]);
  });

  it('both targets failing every other call: panic routing keeps clients at least as well served as the upstreams', () => {
    const calls: Record<string, number> = {};
    const flaky = (id: string) => {
      calls[id] = (calls[id] ?? 0) + 1;
      return { status: (calls[id] as number) % 2 === 0 ? 503 : 200 };
    };
    const run = (panic: boolean) => {
      const h = harness([a1, a2], flaky, { retryTokens: new RetryTokenRegistry(), panic });
      const results = [];
      for (let t = 0; t < 60_000; t += 50) results.push(h.request(t));
      return { rate: results.filter((r) => r.served !== null).length / results.length, reasons: h.reasons };
    };
    const withPanic = run(true);
    expect(withPanic.rate).toBeGreaterThanOrEqual(0.5);
    expect(withPanic.reasons).toContain('panic');
    // Without it, both breakers open and most requests fail without being sent.
    expect(run(false).rate).toBeLessThan(0.5);
  });
});
