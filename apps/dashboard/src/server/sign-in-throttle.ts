/** Who a sign-in attempt is counted against: the account (e-mail as typed, lower-cased) and the client address. */
export interface SignInSubject {
  email: string;
  /** The client address, or null when unknown (then only the account is counted). */
  ip: string | null;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Failed console sign-ins, per account and per client address, with exponential backoff. One instance per
 * dashboard process (see docs): several dashboard instances each count on their own.
 */
export interface SignInThrottle {
  /** Whether an attempt may be evaluated now; a locked subject is refused without checking its password. */
  check(subject: SignInSubject): ThrottleDecision;
  recordFailure(subject: SignInSubject): void;
  /** Clears the account's count; the address keeps its count (one good account must not reset guessing others). */
  recordSuccess(subject: SignInSubject): void;
}

export interface SignInThrottlePolicy {
  /** Failures an account may make before each further one locks it. */
  accountFreeFailures: number;
  /** The same for one client address (higher: an office shares one address). */
  ipFreeFailures: number;
  /** The first lock; each further failure doubles it. */
  baseLockMs: number;
  maxLockMs: number;
  /** A subject's failures are forgotten after this long without a new one. */
  forgetAfterMs: number;
  /** Bounds memory under a spray of addresses or e-mails: the stalest entries go first. */
  maxEntries: number;
}

export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottlePolicy = {
  accountFreeFailures: 5,
  ipFreeFailures: 20,
  baseLockMs: 1_000,
  maxLockMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxEntries: 50_000,
};

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

type FreeFailures = 'accountFreeFailures' | 'ipFreeFailures';

function keysOf(subject: SignInSubject): { key: string; free: FreeFailures }[] {
  const keys: { key: string; free: FreeFailures }[] = [
    { key: `account:${subject.email.trim().toLowerCase()}`, free: 'accountFreeFailures' },
  ];
  if (subject.ip !== null) keys.push({ key: `ip:${subject.ip}`, free: 'ipFreeFailures' });
  return keys;
}

/** The in-process implementation. */
export function createMemorySignInThrottle(
  now: () => Date,
  policy: SignInThrottlePolicy = DEFAULT_SIGN_IN_THROTTLE,
): SignInThrottle {
  const entries = new Map<string, Entry>();

  function live(key: string, at: number): Entry | undefined {
    const entry = entries.get(key);
    if (entry && at - entry.lastFailureAt > policy.forgetAfterMs) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function makeRoom(at: number): void {
    if (entries.size < policy.maxEntries) return;
    for (const [key, entry] of entries) {
      if (at - entry.lastFailureAt > policy.forgetAfterMs || entries.size >= policy.maxEntries)
        entries.delete(key);
      if (entries.size < policy.maxEntries * 0.9) return;
    }
  }

  return {
    check(subject) {
      const at = now().getTime();
      let retryAfterMs = 0;
      for (const { key } of keysOf(subject)) {
        const entry = live(key, at);
        if (entry && entry.lockedUntil > at) retryAfterMs = Math.max(retryAfterMs, entry.lockedUntil - at);
      }
      return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
    },

    recordFailure(subject) {
      const at = now().getTime();
      for (const { key, free } of keysOf(subject)) {
        const entry = live(key, at) ?? { failures: 0, lastFailureAt: at, lockedUntil: 0 };
        entry.failures += 1;
        entry.lastFailureAt = at;
        const over = entry.failures - policy[free];
        if (over >= 0) {
          entry.lockedUntil = at + Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** Math.min(over, 30));
        }
        // Re-inserted so the Map's order stays stalest first.
        entries.delete(key);
        makeRoom(at);
        entries.set(key, entry);
      }
    },

    recordSuccess(subject) {
      entries.delete(`account:${subject.email.trim().toLowerCase()}`);
    },
  };
}
