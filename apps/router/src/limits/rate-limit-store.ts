import type { RateLimitDecision, RateLimitSubject } from '@switchyard/core';

/**
 * Where RPM/TPM buckets live: this process (core's RateLimiter) or Redis, shared by every router instance.
 * Both keep core's token-bucket semantics: a request takes 1 from each request bucket and its token estimate
 * from each token bucket, all or nothing.
 */
export interface RateLimitStore {
  /** Decides and, when every limit allows, consumes. The in-memory store answers synchronously. */
  acquire(
    subjects: readonly RateLimitSubject[],
    tokens: number,
    now: number,
  ): RateLimitDecision | Promise<RateLimitDecision>;
  /** Corrects token buckets by actual − estimate once a request is settled; never awaited by the caller. */
  adjustTokens(subjects: readonly RateLimitSubject[], delta: number, now: number): void | Promise<void>;
}
