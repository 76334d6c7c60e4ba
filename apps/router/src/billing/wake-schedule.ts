/**
 * When a background loop must wake next, with one timer for every reason it has to: the timer always targets
 * the earliest time still ahead, and firing forgets only the times it served. A wake-up asked for while an
 * earlier one was planned is kept for after it, never dropped (which once delayed a webhook's 1 s retry to the
 * next 5 s poll). Retries (`wakeAt`) stay until served; the poll (`pollAt`) is a single slot, each call
 * replacing the last, since a poll counts from the latest pass.
 */
export class WakeSchedule {
  private readonly onWake: () => void;
  private readonly now: () => number;
  /** Pending wake-ups, ascending. */
  private readonly times: number[] = [];
  private poll = Number.POSITIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private closed = false;

  constructor(onWake: () => void, now: () => number = Date.now) {
    this.onWake = onWake;
    this.now = now;
  }

  /** Wakes at `at` (or as soon as possible if that has passed), whatever else is planned. */
  wakeAt(at: number): void {
    if (this.closed) return;
    let i = this.times.length;
    while (i > 0 && (this.times[i - 1] as number) > at) i--;
    if (this.times[i - 1] !== at) this.times.splice(i, 0, at);
    this.arm();
  }

  /** Sets the next poll to `at`, replacing the one planned before. */
  pollAt(at: number): void {
    if (this.closed) return;
    this.poll = at;
    this.arm();
  }

  /** Forgets everything planned and wakes no more. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.times.length = 0;
  }

  /** The earliest planned wake-up, or Infinity. */
  next(): number {
    return Math.min(this.times[0] ?? Number.POSITIVE_INFINITY, this.poll);
  }

  private arm(): void {
    const at = this.next();
    if (this.timer && this.timerAt === at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (at === Number.POSITIVE_INFINITY) return;
    this.timerAt = at;
    // A timer may fire a millisecond early; what it wakes for must be due by then.
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - this.now()) + 5);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    while (this.times.length > 0 && (this.times[0] as number) <= now) this.times.shift();
    if (this.poll <= now) this.poll = Number.POSITIVE_INFINITY;
    this.arm();
    this.onWake();
  }
}
