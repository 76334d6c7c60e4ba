/**
 * One thread started on demand and stopped once it has had no work for `idleMs` (`0`: never stopped for idling).
 * Work is bracketed by `acquire` (the running thread, started if there is none) and `release`; the idle timer runs
 * only while nothing is acquired, so a thread with work outstanding is never stopped by it. The main thread runs
 * the timer and every call one at a time, so work that arrives as the timer fires either cleared it first (and
 * keeps the thread) or comes after it (and starts a new thread): it never lands on a thread being stopped.
 */
export class IdleStoppedThread<T> {
  private current: T | null = null;
  /** Acquisitions of `current` not yet released. */
  private busy = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly start: () => T,
    private readonly stop: (thread: T) => void,
    private readonly idleMs: number,
  ) {}

  /** The running thread, started now if there is none; it is not stopped for idling until `release`d. */
  acquire(): T {
    this.clearTimer();
    if (this.current === null) {
      this.current = this.start();
      this.busy = 0;
    }
    this.busy++;
    return this.current;
  }

  /** Ends one `acquire` of `thread`; the last one for the running thread starts the idle timer. */
  release(thread: T): void {
    if (thread !== this.current || this.busy === 0) return;
    this.busy--;
    if (this.busy === 0) this.armTimer();
  }

  /**
   * Forgets `thread` if it is the running one (it exited, or hung and is being replaced), without `stop`: the
   * next `acquire` starts a new one; releases of the forgotten one are ignored.
   */
  forget(thread: T): void {
    if (thread !== this.current) return;
    this.current = null;
    this.busy = 0;
    this.clearTimer();
  }

  /** The running thread, or null. */
  running(): T | null {
    return this.current;
  }

  private armTimer(): void {
    if (this.idleMs <= 0) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      const thread = this.current;
      if (thread === null || this.busy > 0) return;
      this.current = null;
      this.stop(thread);
    }, this.idleMs);
    // An idle thread's timer never keeps the process alive.
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
  }
}
