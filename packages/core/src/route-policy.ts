import { fail, gatewayError, ok, type Result } from './gateway-error';
import type { TrafficClass } from './traffic-class';

/** Which rungs of the failover ladder a request may climb, in ladder order. */
export interface LadderRungs {
  /** Retry the target that just failed, only after a transient failure (connect, 5xx, timeout before first byte). */
  readonly retrySameTarget: boolean;
  /** Move to another account of the same provider on the same route. */
  readonly otherAccount: boolean;
  /** Move to the same route's target on another provider. */
  readonly otherProvider: boolean;
  /** Switch to one of the route's approved backup models. Never allowed for `evaluation`. */
  readonly backupModel: boolean;
  /** Wait (backoff, cool-down or breaker probe time) and try again, within the deadline. */
  readonly waitAndRetry: boolean;
}

/** Time limits for one request, in milliseconds. */
export interface RouteTimeouts {
  /** TCP/TLS connect to the upstream, per attempt. */
  readonly connectMs: number;
  /** From sending the request to the upstream's first response byte (headers, or first token), per attempt. */
  readonly firstByteMs: number;
  /** Longest gap between two chunks of a streamed response. */
  readonly idleMs: number;
  /** One deadline for the whole request: every attempt, wait and backoff together. */
  readonly totalMs: number;
}

/** How a route treats one traffic class when an upstream fails. */
export interface RoutePolicy {
  readonly rungs: LadderRungs;
  /** Upstream attempts per client request, the first one included. */
  readonly maxAttempts: number;
  readonly timeouts: RouteTimeouts;
}

/** Upper bound on `maxAttempts`: beyond this, retries amplify an outage more than they mask it. */
export const MAX_ATTEMPTS_LIMIT = 10;
/** Upper bound on `timeouts.totalMs` (one hour). */
export const MAX_TOTAL_TIMEOUT_MS = 3_600_000;

function policy(rungs: LadderRungs, maxAttempts: number, timeouts: RouteTimeouts): RoutePolicy {
  return Object.freeze({ rungs: Object.freeze(rungs), maxAttempts, timeouts: Object.freeze(timeouts) });
}

/**
 * Production defaults, used when a route has no policy of its own for a class. Why these numbers:
 * - `interactive`: a person is waiting, so 60 s total; 30 s to first byte leaves room for a reasoning model's
 *   silent thinking and still fits a second attempt. Every rung but waiting; 3 attempts.
 * - `agent`: tool loops send long contexts and long generations: 5 min total. No backup model by default,
 *   because a model change between steps of one run changes tool-calling behaviour; operators can opt in.
 * - `background`: nobody is waiting: 15 min total, 6 attempts, and it may wait out a 429 or an open breaker.
 * - `evaluation`: the measured model must never change (`backupModel` is false and cannot be turned on);
 *   10 min total and 4 attempts so a transient blip does not ruin an eval run.
 * - `media`: image/audio generation is slow to first byte and expensive to repeat: 2 attempts, no backup
 *   model (a different model changes output format and price).
 * Connect timeouts are short everywhere (3–5 s): a host that does not accept a connection in that time is down.
 */
export const DEFAULT_ROUTE_POLICIES: Readonly<Record<TrafficClass, RoutePolicy>> = Object.freeze({
  interactive: policy(
    {
      retrySameTarget: true,
      otherAccount: true,
      otherProvider: true,
      backupModel: true,
      waitAndRetry: false,
    },
    3,
    { connectMs: 3_000, firstByteMs: 30_000, idleMs: 30_000, totalMs: 60_000 },
  ),
  background: policy(
    { retrySameTarget: true, otherAccount: true, otherProvider: true, backupModel: true, waitAndRetry: true },
    6,
    { connectMs: 5_000, firstByteMs: 120_000, idleMs: 120_000, totalMs: 900_000 },
  ),
  evaluation: policy(
    {
      retrySameTarget: true,
      otherAccount: true,
      otherProvider: true,
      backupModel: false,
      waitAndRetry: false,
    },
    4,
    { connectMs: 5_000, firstByteMs: 120_000, idleMs: 60_000, totalMs: 600_000 },
  ),
  media: policy(
    {
      retrySameTarget: true,
      otherAccount: true,
      otherProvider: true,
      backupModel: false,
      waitAndRetry: false,
    },
    2,
    { connectMs: 5_000, firstByteMs: 120_000, idleMs: 60_000, totalMs: 300_000 },
  ),
  agent: policy(
    {
      retrySameTarget: true,
      otherAccount: true,
      otherProvider: true,
      backupModel: false,
      waitAndRetry: false,
    },
    3,
    { connectMs: 3_000, firstByteMs: 60_000, idleMs: 60_000, totalMs: 300_000 },
  ),
});

const RUNGS: readonly (keyof LadderRungs)[] = [
  'retrySameTarget',
  'otherAccount',
  'otherProvider',
  'backupModel',
  'waitAndRetry',
];
const TIMEOUTS: readonly (keyof RouteTimeouts)[] = ['connectMs', 'firstByteMs', 'idleMs', 'totalMs'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Options for {@link validateRoutePolicy}. */
export interface ValidateRoutePolicyOptions {
  /** The class the policy is for; `evaluation` forbids `rungs.backupModel`. */
  trafficClass?: TrafficClass;
  /** Prefix for the field named in errors, e.g. "policies.interactive". */
  path?: string;
}

/**
 * Checks a policy as submitted (e.g. an admin API body) and names the first bad field, relative to `path`.
 * Returns a fresh policy holding only the known fields. Rules: five boolean rungs; `maxAttempts` an integer
 * in 1..10; timeouts positive integers with connectMs ≤ firstByteMs ≤ totalMs, idleMs ≤ totalMs and
 * totalMs ≤ 1 h; `evaluation` never allows a backup model.
 */
export function validateRoutePolicy(
  value: unknown,
  options: ValidateRoutePolicyOptions = {},
): Result<RoutePolicy> {
  const field = (name: string) => (options.path ? `${options.path}.${name}` : name);
  const invalid = (message: string, name: string) =>
    fail(gatewayError('invalid_request', `Invalid '${field(name)}': ${message}`, field(name)));

  if (!isObject(value)) {
    const name = options.path ?? 'policy';
    return fail(gatewayError('invalid_request', `Invalid '${name}': expected an object.`, name));
  }
  const { rungs, maxAttempts, timeouts } = value;
  if (!isObject(rungs)) return invalid('expected an object.', 'rungs');
  for (const rung of RUNGS) {
    if (typeof rungs[rung] !== 'boolean') return invalid('expected a boolean.', `rungs.${rung}`);
  }
  if (options.trafficClass === 'evaluation' && rungs.backupModel === true) {
    return invalid(
      'the evaluation traffic class never changes the model; must be false.',
      'rungs.backupModel',
    );
  }
  if (
    typeof maxAttempts !== 'number' ||
    !Number.isInteger(maxAttempts) ||
    maxAttempts < 1 ||
    maxAttempts > MAX_ATTEMPTS_LIMIT
  ) {
    return invalid(`expected an integer from 1 to ${MAX_ATTEMPTS_LIMIT}.`, 'maxAttempts');
  }
  if (!isObject(timeouts)) return invalid('expected an object.', 'timeouts');
  for (const name of TIMEOUTS) {
    const ms = timeouts[name];
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1) {
      return invalid('expected a positive integer number of milliseconds.', `timeouts.${name}`);
    }
  }
  const t = timeouts as Record<keyof RouteTimeouts, number>;
  if (t.totalMs > MAX_TOTAL_TIMEOUT_MS) {
    return invalid(`must be at most ${MAX_TOTAL_TIMEOUT_MS} (one hour).`, 'timeouts.totalMs');
  }
  if (t.firstByteMs > t.totalMs) return invalid('must not exceed timeouts.totalMs.', 'timeouts.firstByteMs');
  if (t.connectMs > t.firstByteMs)
    return invalid('must not exceed timeouts.firstByteMs.', 'timeouts.connectMs');
  if (t.idleMs > t.totalMs) return invalid('must not exceed timeouts.totalMs.', 'timeouts.idleMs');
  const r = rungs as Record<keyof LadderRungs, boolean>;
  return ok(
    policy(
      {
        retrySameTarget: r.retrySameTarget,
        otherAccount: r.otherAccount,
        otherProvider: r.otherProvider,
        backupModel: r.backupModel,
        waitAndRetry: r.waitAndRetry,
      },
      maxAttempts,
      { connectMs: t.connectMs, firstByteMs: t.firstByteMs, idleMs: t.idleMs, totalMs: t.totalMs },
    ),
  );
}
