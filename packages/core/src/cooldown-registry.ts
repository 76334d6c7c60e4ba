import { pairKey } from './pair-key';

/** Tuning for a {@link CooldownRegistry}, in milliseconds. */
export interface CooldownOptions {
  /** Cool-down after a 429 that carried no usable Retry-After. Default 1 s. */
  defaultMs?: number;
  /** Longest cool-down `coolFor` sets, whatever the upstream asks. Default 5 min. */
  maxMs?: number;
}

/** One cooling (account, model) pair, for the health page. */
export interface CooldownEntry {
  accountId: string;
  model: string;
  /** Epoch ms when the pair may be used again. */
  untilMs: number;
}

/**
 * (Upstream account, upstream model) pairs that answered 429 and must not be sent traffic until a time.
 * A rate limit is per account and model, so only that pair cools: the same account's other models and the
 * model's other accounts keep serving. In-memory, per router process. Expired entries are dropped when
 * looked up and by `prune(now)`, which the owner calls periodically (e.g. on each snapshot refresh) so pairs
 * that are never looked up again do not accumulate.
 */
export class CooldownRegistry {
  readonly defaultMs: number;
  readonly maxMs: number;
  private readonly until = new Map<string, CooldownEntry>();

  constructor({ defaultMs = 1_000, maxMs = 300_000 }: CooldownOptions = {}) {
    if (!Number.isFinite(defaultMs) || defaultMs < 0) {
      throw new RangeError(`CooldownRegistry defaultMs must be a finite number ≥ 0; got ${defaultMs}.`);
    }
    if (!Number.isFinite(maxMs) || maxMs < defaultMs) {
      throw new RangeError(`CooldownRegistry maxMs must be finite and ≥ defaultMs; got ${maxMs}.`);
    }
    this.defaultMs = defaultMs;
    this.maxMs = maxMs;
  }

  /** Cools the pair until `untilMs` (epoch ms). An existing later cool-down is kept, never shortened. */
  coolUntil(accountId: string, model: string, untilMs: number): void {
    const key = pairKey(accountId, model);
    const existing = this.until.get(key);
    if (existing && existing.untilMs >= untilMs) return;
    this.until.set(key, { accountId, model, untilMs });
  }

  /**
   * Cools the pair after a 429: for `retryAfterMs` (a parsed Retry-After) or `defaultMs` when null, capped
   * at `maxMs` so a bogus hint cannot sideline an account for days. Returns the resulting end time.
   */
  coolFor(accountId: string, model: string, now: number, retryAfterMs: number | null): number {
    const ms = Math.min(this.maxMs, Math.max(0, retryAfterMs ?? this.defaultMs));
    this.coolUntil(accountId, model, now + ms);
    return this.until.get(pairKey(accountId, model))?.untilMs ?? now + ms;
  }

  isCooling(accountId: string, model: string, now: number): boolean {
    return this.remaining(accountId, model, now) > 0;
  }

  /** Milliseconds until the pair may be used again; 0 when it is not cooling. */
  remaining(accountId: string, model: string, now: number): number {
    const key = pairKey(accountId, model);
    const entry = this.until.get(key);
    if (!entry) return 0;
    if (entry.untilMs <= now) {
      this.until.delete(key);
      return 0;
    }
    return entry.untilMs - now;
  }

  /** Drops every expired entry; returns how many were dropped. */
  prune(now: number): number {
    let dropped = 0;
    for (const [key, entry] of this.until) {
      if (entry.untilMs <= now) {
        this.until.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  /** Pairs still cooling at `now`, soonest to end first. */
  entries(now: number): CooldownEntry[] {
    this.prune(now);
    return [...this.until.values()].map((e) => ({ ...e })).sort((a, b) => a.untilMs - b.untilMs);
  }

  /** Entries held, expired ones not yet pruned included. */
  get size(): number {
    return this.until.size;
  }
}
