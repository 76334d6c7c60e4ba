import { type RateLimitDecision, RateLimiter, type RateLimitSubject } from '@switchyard/core';
import type { RateLimitStore } from './rate-limit-store';

/** Buckets in this process: exact for one router; each instance enforces its own limits when several run. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly limiter = new RateLimiter();

  acquire(subjects: readonly RateLimitSubject[], tokens: number, now: number): RateLimitDecision {
    return this.limiter.acquire(subjects, tokens, now);
  }

  adjustTokens(subjects: readonly RateLimitSubject[], delta: number, now: number): void {
    this.limiter.adjustTokens(subjects, delta, now);
  }

  /** Drops buckets that have refilled (they equal new ones); run on an interval to bound memory. */
  prune(now: number): number {
    return this.limiter.prune(now);
  }
}
