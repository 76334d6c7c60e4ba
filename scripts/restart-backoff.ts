// How long `npm start` waits before restarting a child that died: doubling from half a second up to a cap, so a
// crash is repaired at once but a crash loop does not burn the machine, and back to the start once the child has
// served for a while, so one crash a day is not punished for yesterday's.

export interface RestartBackoffOptions {
  /** Wait before the first restart, and again after a healthy run. */
  initialMs: number;
  /** Longest wait between restarts in a crash loop. */
  maxMs: number;
  /** A child that stayed ready this long before dying starts again from `initialMs`. */
  resetAfterMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoffOptions = {
  initialMs: 500,
  maxMs: 30_000,
  resetAfterMs: 60_000,
};

/** The restart delays of one supervised child. The clock is passed in: `now` in milliseconds. */
export class RestartBackoff {
  private nextMs: number;
  private readyAt: number | undefined;

  constructor(private readonly options: RestartBackoffOptions = DEFAULT_RESTART_BACKOFF) {
    this.nextMs = options.initialMs;
  }

  /** The child was (re)started: it is not healthy until it says it is ready. */
  started(): void {
    this.readyAt = undefined;
  }

  /** The child became ready (serves). */
  ready(now: number): void {
    this.readyAt ??= now;
  }

  /** The child died unexpectedly at `now`: how long to wait before starting it again. */
  crashed(now: number): number {
    if (this.readyAt !== undefined && now - this.readyAt >= this.options.resetAfterMs) {
      this.nextMs = this.options.initialMs;
    }
    const delay = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.options.maxMs);
    return delay;
  }
}
