import type { RouteTimeouts } from './route-policy';

/** Time limits for one upstream attempt, already cut to what is left of the request's deadline. */
export interface AttemptTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
  /** Milliseconds left until the request's deadline: the attempt must be over by then. */
  totalMs: number;
}

/**
 * The timeouts for an attempt starting at `now` under a request deadline (epoch ms): each configured limit,
 * capped by the time remaining, so no attempt outlives the deadline. Null when the deadline has passed.
 */
export function attemptTimeouts(
  timeouts: RouteTimeouts,
  now: number,
  deadline: number,
): AttemptTimeouts | null {
  const remaining = deadline - now;
  if (remaining <= 0) return null;
  return {
    connectMs: Math.min(timeouts.connectMs, remaining),
    firstByteMs: Math.min(timeouts.firstByteMs, remaining),
    idleMs: Math.min(timeouts.idleMs, remaining),
    totalMs: remaining,
  };
}
