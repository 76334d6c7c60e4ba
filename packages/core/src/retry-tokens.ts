import { pairKey } from './pair-key';

/** Tuning for {@link RetryTokens}. */
export interface RetryTokensOptions {
  /** Tokens each client request earns (its first attempt). Default 0.15: retries ≤ 15% of requests. */
  ratio?: number;
  /**
   * Tokens held at start, so a fresh router can fail over its first requests while the breaker of a dead
   * primary is still counting its first failures (each such request spends up to two). Default 10.
   */
  initial?: number;
  /** Most tokens that can be saved up, so a quiet hour cannot fund a retry storm. Default 10. */
  max?: number;
}

/**
 * Caps retries at a share of traffic over time: every client request deposits `ratio` of a token, every
 * retry (any attempt after a request's first) spends one whole token. The concurrency budget
 * ({@link RetryBudget}) bounds how many retries run at once; this bounds how many happen at all, so when
 * every upstream fails half the time the upstreams see at most ~1.15× the client traffic instead of 1.75×
 * (three attempts). Over any run from start: retries ≤ initial + ratio × requests. In-memory, per process.
 */
export class RetryTokens {
  readonly ratio: number;
  readonly max: number;
  private balance: number;

  constructor({ ratio = 0.15, initial = 10, max = 10 }: RetryTokensOptions = {}) {
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
      throw new RangeError(`RetryTokens ratio must be in [0, 1]; got ${ratio}.`);
    }
    if (!Number.isFinite(max) || max < 1) throw new RangeError(`RetryTokens max must be ≥ 1; got ${max}.`);
    if (!Number.isFinite(initial) || initial < 0 || initial > max) {
      throw new RangeError(`RetryTokens initial must be in [0, max]; got ${initial}.`);
    }
    this.ratio = ratio;
    this.max = max;
    this.balance = initial;
  }

  /** A client request arrived: deposit its share. */
  onRequest(): void {
    this.balance = Math.min(this.max, this.balance + this.ratio);
  }

  /** Whether a retry could be paid for now. */
  available(): boolean {
    return this.balance >= 1;
  }

  /** Pays for one retry if the balance allows it. */
  tryWithdraw(): boolean {
    if (this.balance < 1) return false;
    this.balance -= 1;
    return true;
  }

  /** Current balance (for metrics and tests). */
  tokens(): number {
    return this.balance;
  }
}

/**
 * One {@link RetryTokens} bucket per upstream (account id, upstream model), created on first use with shared
 * options. A retry is paid from the bucket of the upstream whose failure caused it, and each bucket earns from
 * the requests first sent to that upstream, so one failing upstream can cause at most `initial + ratio ×` its
 * own traffic in retries and cannot use up the retries every other upstream needs.
 */
export class RetryTokenRegistry {
  private readonly buckets = new Map<string, RetryTokens>();
  private readonly options: RetryTokensOptions;

  /**
   * Options of every bucket; `initial` defaults to 2 here, not 10. Moving a failed request to a healthy target
   * or away from a target known bad costs nothing, so a fresh router no longer needs a float of tokens to fail
   * over while a dead primary's breaker counts its first failures; what the float buys now is same-target
   * retries and moves onto sick targets, which is exactly the amplification a budget exists to bound, and with
   * one bucket per upstream the floats add up.
   */
  constructor(options: RetryTokensOptions = {}) {
    this.options = { initial: 2, ...options };
    // Validated here, at start-up, rather than by the first request that needs a bucket.
    new RetryTokens(this.options);
  }

  /** The bucket of this upstream, created full to `initial` if it does not exist yet. */
  get(accountId: string, model: string): RetryTokens {
    const key = pairKey(accountId, model);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new RetryTokens(this.options);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  get size(): number {
    return this.buckets.size;
  }
}
