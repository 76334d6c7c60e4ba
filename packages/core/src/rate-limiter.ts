/** Per-minute limits of one key or team; `null` means unlimited in that dimension. */
export interface RateLimitRule {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
}

/** Who a limit applies to. A request is checked against its key and, when it has one, its team. */
export interface RateLimitSubject {
  scope: 'key' | 'team';
  id: string;
  rule: RateLimitRule;
}

/** The two limited quantities, named as OpenAI's headers name them. */
export type RateLimitDimension = 'requests' | 'tokens';

/** Where one dimension of one subject stands after a decision. */
export interface RateLimitState {
  subject: Pick<RateLimitSubject, 'scope' | 'id'>;
  dimension: RateLimitDimension;
  /** The per-minute limit. */
  limit: number;
  /** Whole units available now. */
  remaining: number;
  /** Ms until the bucket is full again, i.e. back to its initial state (OpenAI's "reset"). */
  resetMs: number;
}

/**
 * An admitted request: for each dimension, the most constrained subject (least remaining), for the
 * `x-ratelimit-*` response headers; `null` when no subject limits that dimension.
 */
export interface RateLimitAllowed {
  allowed: true;
  requests: RateLimitState | null;
  tokens: RateLimitState | null;
}

/** A refused request: the limit that refused it and when to retry. Nothing was consumed. */
export interface RateLimitDenied extends RateLimitState {
  allowed: false;
  /**
   * Ms until the request would fit. For a request larger than the whole limit this is the time to a full
   * bucket, and `tooLarge` says that waiting will not help.
   */
  retryAfterMs: number;
  tooLarge: boolean;
  /** The state of both dimensions, for the headers. */
  requests: RateLimitState | null;
  tokens: RateLimitState | null;
}

export type RateLimitDecision = RateLimitAllowed | RateLimitDenied;

/**
 * Levels are kept in unit·ms (units × 60 000) so refilling at capacity/60 000 per ms stays in exact integers:
 * no float drift can admit a request a moment early or refuse one a moment late.
 */
interface Bucket {
  /** Scaled units available at `at`; negative after an upward token adjustment (debt). */
  level: number;
  at: number;
  /** The per-minute limit, unscaled. */
  capacity: number;
}

const MINUTE_MS = 60_000;
/** Bucket levels are kept in unit·ms: units × this. */
export const RATE_LIMIT_SCALE = MINUTE_MS;
/** Limits above this would overflow exact integer arithmetic once scaled. */
const MAX_LIMIT = 100_000_000_000;

/**
 * RPM and TPM limits for one router process, as token buckets: each (subject, dimension) bucket holds up
 * to the per-minute limit and refills continuously at limit/60 s, so a caller may burst up to the limit and
 * then proceeds at the steady rate; there is no window edge where twice the limit gets through, as with
 * fixed windows. Time is injected. A request takes 1 from every request bucket and its token estimate from
 * every token bucket, all or nothing: if any bucket is short, nothing is consumed and the decision says
 * which limit refused and when to retry. After the response, {@link adjustTokens} corrects the token buckets
 * by actual − estimate, so TPM tracks real usage (a correction may drive a bucket negative; the caller then
 * waits longer). Buckets that have refilled are indistinguishable from new ones and {@link prune} drops them.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /**
   * Bucket keys per subject object: callers hand the same subjects for every request of a key, and joining the
   * key anew each time cost a string build and a hash per bucket per request.
   */
  private readonly keys = new WeakMap<RateLimitSubject, BucketKeys>();

  /** Checks and, if every limit allows, consumes one request and `tokens` tokens for each subject. */
  acquire(subjects: readonly RateLimitSubject[], tokens: number, now: number): RateLimitDecision {
    const checks = rateLimitChecks(subjects, tokens);
    // Sized, not pushed into `[]`: V8 gives an empty array's first push room for 17 elements (152 bytes), and
    // this runs twice per request of a limited key.
    const buckets = new Array<Bucket>(checks.length);
    const levels = new Array<number>(checks.length);
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i] as RateLimitCheck;
      const bucket = this.bucket(check.subject, check.dimension, check.limit, now);
      buckets[i] = bucket;
      levels[i] = bucket.level;
    }
    const decision = decideRateLimit(checks, levels);
    if (decision.allowed) {
      for (let i = 0; i < checks.length; i++)
        (buckets[i] as Bucket).level -= (checks[i] as RateLimitCheck).cost * MINUTE_MS;
    }
    return decision;
  }

  /**
   * Corrects the token buckets once the real token count is known: `delta` = actual − estimate (negative
   * returns tokens, positive takes more, possibly below zero). Subjects without a TPM limit are ignored.
   */
  adjustTokens(subjects: readonly RateLimitSubject[], delta: number, now: number): void {
    if (!Number.isSafeInteger(delta)) {
      throw new RangeError(`RateLimiter.adjustTokens: delta must be an integer; got ${delta}.`);
    }
    for (const subject of distinct(subjects)) {
      const limit = subject.rule.tokensPerMinute;
      if (limit === null) continue;
      checkLimit(subject, 'tokens', limit);
      const bucket = this.bucket(subject, 'tokens', limit, now);
      bucket.level = Math.min(bucket.capacity * MINUTE_MS, bucket.level - delta * MINUTE_MS);
    }
  }

  /** Where each limited dimension of `subject` stands, without consuming anything. */
  peek(subject: RateLimitSubject, now: number): RateLimitState[] {
    const out: RateLimitState[] = [];
    if (subject.rule.requestsPerMinute !== null) {
      checkLimit(subject, 'requests', subject.rule.requestsPerMinute);
      out.push(
        state(subject, 'requests', this.bucket(subject, 'requests', subject.rule.requestsPerMinute, now)),
      );
    }
    if (subject.rule.tokensPerMinute !== null) {
      checkLimit(subject, 'tokens', subject.rule.tokensPerMinute);
      out.push(state(subject, 'tokens', this.bucket(subject, 'tokens', subject.rule.tokensPerMinute, now)));
    }
    return out;
  }

  /** Forgets buckets that are full at `now`; returns how many. Call periodically to bound memory. */
  prune(now: number): number {
    let dropped = 0;
    for (const [key, bucket] of this.buckets) {
      refill(bucket, now);
      if (bucket.level >= bucket.capacity * MINUTE_MS) {
        this.buckets.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  /** Number of buckets held (for metrics and tests). */
  size(): number {
    return this.buckets.size;
  }

  private keyOf(subject: RateLimitSubject): BucketKeys {
    let keys = this.keys.get(subject);
    // Compared, not trusted: a subject object whose scope or id changed must reach its new buckets.
    if (keys === undefined || keys.scope !== subject.scope || keys.id !== subject.id) {
      const prefix = `${subject.scope}\u0000${subject.id}\u0000`;
      keys = {
        scope: subject.scope,
        id: subject.id,
        requests: `${prefix}requests`,
        tokens: `${prefix}tokens`,
      };
      this.keys.set(subject, keys);
    }
    return keys;
  }

  /** The bucket of a limit already checked by {@link checkLimit}, refilled to `now`. */
  private bucket(
    subject: RateLimitSubject,
    dimension: RateLimitDimension,
    limit: number,
    now: number,
  ): Bucket {
    const key = this.keyOf(subject)[dimension];
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { level: limit * MINUTE_MS, at: now, capacity: limit };
      this.buckets.set(key, bucket);
      return bucket;
    }
    refill(bucket, now);
    if (bucket.capacity !== limit) {
      // A changed limit keeps what was used: the same consumption against the new capacity.
      bucket.level = Math.min(limit * MINUTE_MS, bucket.level + (limit - bucket.capacity) * MINUTE_MS);
      bucket.capacity = limit;
    }
    return bucket;
  }
}

/** The map keys of one subject's two buckets, with the scope and id they were built from. */
interface BucketKeys {
  scope: RateLimitSubject['scope'];
  id: string;
  requests: string;
  tokens: string;
}

/** One (subject, dimension) a request is checked against, and what it would take from that bucket. */
export interface RateLimitCheck {
  subject: RateLimitSubject;
  dimension: RateLimitDimension;
  /** The per-minute limit. */
  limit: number;
  /** Units the request takes: 1 request, or its token estimate. */
  cost: number;
}

/**
 * The buckets a request must pass, in a fixed order (per distinct subject: requests, then tokens; unlimited
 * dimensions left out). A store keeping buckets elsewhere (Redis) reads and consumes exactly these.
 */
export function rateLimitChecks(subjects: readonly RateLimitSubject[], tokens: number): RateLimitCheck[] {
  if (!Number.isSafeInteger(tokens) || tokens < 0) {
    throw new RangeError(`RateLimiter.acquire: tokens must be an integer ≥ 0; got ${tokens}.`);
  }
  const limited = distinct(subjects);
  let count = 0;
  for (const subject of limited) {
    if (subject.rule.requestsPerMinute !== null) count++;
    if (subject.rule.tokensPerMinute !== null) count++;
  }
  // Sized up front for the same reason as acquire's arrays.
  const checks = new Array<RateLimitCheck>(count);
  let i = 0;
  for (const subject of limited) {
    const rpm = subject.rule.requestsPerMinute;
    if (rpm !== null) {
      checkLimit(subject, 'requests', rpm);
      checks[i++] = { subject, dimension: 'requests', limit: rpm, cost: 1 };
    }
    const tpm = subject.rule.tokensPerMinute;
    if (tpm !== null) {
      checkLimit(subject, 'tokens', tpm);
      checks[i++] = { subject, dimension: 'tokens', limit: tpm, cost: tokens };
    }
  }
  return checks;
}

/**
 * The all-or-nothing decision over buckets already refilled to the decision instant: `levels[i]` is the
 * content of `checks[i]`'s bucket in unit·ms ({@link RATE_LIMIT_SCALE} per unit) before this request. Pure, so
 * a shared store that refills and consumes atomically elsewhere (a Redis script) reaches the decision — and
 * the header values — the in-memory limiter would. States of an admitted request are after consumption.
 *
 * Levels come as a parallel array, not merged into copies of the checks: in Node 20, objects built as
 * `{ ...check, level }` (a spread plus a new key) defeat V8's young GC — every one of them survived two
 * scavenges and was promoted, which made each scavenge copy megabytes (found with the bench's GC trace).
 */
export function decideRateLimit(
  checks: readonly RateLimitCheck[],
  levels: readonly number[],
): RateLimitDecision {
  if (levels.length !== checks.length) {
    throw new RangeError(`decideRateLimit: ${checks.length} checks but ${levels.length} levels.`);
  }
  let denied: { check: RateLimitCheck; level: number; retryAfterMs: number; tooLarge: boolean } | null = null;
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i] as RateLimitCheck;
    const level = levels[i] as number;
    const need = check.cost * MINUTE_MS;
    if (level >= need) continue;
    const tooLarge = check.cost > check.limit;
    const retryAfterMs = tooLarge
      ? resetMs({ level, at: 0, capacity: check.limit })
      : Math.ceil((need - level) / check.limit);
    if (!denied || retryAfterMs > denied.retryAfterMs) denied = { check, level, retryAfterMs, tooLarge };
  }
  if (!denied) {
    return {
      allowed: true,
      requests: tightest(checks, levels, 'requests', false),
      tokens: tightest(checks, levels, 'tokens', false),
    };
  }
  const refused = state(denied.check.subject, denied.check.dimension, {
    level: denied.level,
    at: 0,
    capacity: denied.check.limit,
  });
  return {
    allowed: false,
    subject: refused.subject,
    dimension: refused.dimension,
    limit: refused.limit,
    remaining: refused.remaining,
    resetMs: refused.resetMs,
    retryAfterMs: denied.retryAfterMs,
    tooLarge: denied.tooLarge,
    requests: tightest(checks, levels, 'requests', true),
    tokens: tightest(checks, levels, 'tokens', true),
  };
}

/** The state of `dimension` with the least remaining (after this request's cost unless it was denied). */
function tightest(
  checks: readonly RateLimitCheck[],
  levels: readonly number[],
  dimension: RateLimitDimension,
  denied: boolean,
): RateLimitState | null {
  // The state object is built for the winner only: a key and its team both limiting a dimension is the usual case.
  let best: RateLimitCheck | null = null;
  let bestLevel = 0;
  let bestRemaining = 0;
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i] as RateLimitCheck;
    if (check.dimension !== dimension) continue;
    const before = levels[i] as number;
    const level = denied ? before : before - check.cost * MINUTE_MS;
    const left = remainingUnits(level);
    if (best === null || left < bestRemaining) {
      best = check;
      bestLevel = level;
      bestRemaining = left;
    }
  }
  return best === null
    ? null
    : state(best.subject, dimension, { level: bestLevel, at: 0, capacity: best.limit });
}

function checkLimit(subject: RateLimitSubject, dimension: RateLimitDimension, limit: number): void {
  if (!Number.isSafeInteger(limit) || limit <= 0 || limit > MAX_LIMIT) {
    throw new RangeError(
      `RateLimiter: ${dimension} per minute for ${subject.scope} ${subject.id} must be an integer from 1 to ${MAX_LIMIT}; got ${limit}.`,
    );
  }
}

function refill(bucket: Bucket, now: number): void {
  // A clock that steps back refills nothing and does not move `at` back.
  if (now <= bucket.at) return;
  const full = bucket.capacity * MINUTE_MS;
  const elapsed = now - bucket.at;
  // Compare with the time to refill before multiplying, so a long idle gap cannot overflow the product.
  const msToFull = Math.ceil((full - bucket.level) / bucket.capacity);
  bucket.level = elapsed >= msToFull ? full : bucket.level + elapsed * bucket.capacity;
  bucket.at = now;
}

function resetMs(bucket: Bucket): number {
  const full = bucket.capacity * MINUTE_MS;
  return bucket.level >= full ? 0 : Math.ceil((full - bucket.level) / bucket.capacity);
}

/** Whole units available in a bucket at `level` (unit·ms). */
function remainingUnits(level: number): number {
  return Math.max(0, Math.floor(level / MINUTE_MS));
}

function state(subject: RateLimitSubject, dimension: RateLimitDimension, bucket: Bucket): RateLimitState {
  return {
    subject: { scope: subject.scope, id: subject.id },
    dimension,
    limit: bucket.capacity,
    remaining: remainingUnits(bucket.level),
    resetMs: resetMs(bucket),
  };
}

/**
 * A subject listed twice is still one caller: charging it twice would halve its limit. A request has one or two
 * subjects (its key, its team), so a pairwise scan beats a Set of joined strings; the list itself is returned
 * when nothing repeats, which is every request the router makes.
 */
function distinct(subjects: readonly RateLimitSubject[]): readonly RateLimitSubject[] {
  let out: RateLimitSubject[] | null = null;
  for (let i = 0; i < subjects.length; i++) {
    const s = subjects[i] as RateLimitSubject;
    let repeated = false;
    for (let j = 0; j < i; j++) {
      const earlier = subjects[j] as RateLimitSubject;
      if (earlier.scope === s.scope && earlier.id === s.id) {
        repeated = true;
        break;
      }
    }
    if (repeated) out ??= subjects.slice(0, i);
    else if (out !== null) out.push(s);
  }
  return out ?? subjects;
}
