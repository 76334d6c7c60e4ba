/**
 * `setTimeout` for the per-request limits (the request deadline, the body-idle, headers and body-gap timeouts),
 * on one node timer per duration instead of one per request. Nearly every such timer is cleared long before it
 * is due, and a node timer costs most when it is armed and cleared with no other of its duration pending (as at
 * the bench's two connections): a `Timeout` with its async ids, a list made and put in the timer queue, then
 * taken out again (~3k instructions a timer under callgrind, three a non-stream request). Here a timeout is a
 * node in a list ordered by due time, one list per duration (to the second, past one second); clearing it unlinks
 * it. The list's node timer is left armed when the list empties: it fires at most once per duration for nothing,
 * then re-arms for the list's head, so a timeout fires within the same millisecond as a node timer of its own
 * would.
 *
 * The node timers are unref'd: a pending request keeps the process alive through its sockets.
 */
export class SharedTimeout {
  /** performance.now() when this falls due. */
  dueAt = 0;
  prev: SharedTimeout | null = null;
  next: SharedTimeout | null = null;
  /** The list this waits in; null once it fired or was cleared. */
  lane: Lane | null = null;

  constructor(readonly fire: () => void) {}
}

class Lane {
  head: SharedTimeout | null = null;
  tail: SharedTimeout | null = null;
  /** The node timer, armed for the head's due time or earlier (then it re-arms); null when none is armed. */
  timer: NodeJS.Timeout | null = null;
  /** performance.now() when `timer` falls due. */
  timerDueAt = 0;
  readonly onTimer = (): void => this.run();

  constructor(readonly key: number) {}

  run(): void {
    this.timer = null;
    const now = performance.now();
    try {
      let due = this.head;
      // Within a millisecond counts as due: node's timers fire on whole milliseconds of the loop's clock.
      while (due !== null && due.dueAt - now <= 1) {
        unlink(this, due);
        due.fire();
        due = this.head;
      }
    } finally {
      // Re-armed even when a callback threw, so the rest of the list still fires.
      if (this.head !== null) this.arm(this.head.dueAt, performance.now());
      // A list idle for a whole duration goes: limits cut to what is left of a deadline have any duration.
      else if (this.timer === null) lanes.delete(this.key);
    }
  }

  arm(dueAt: number, now: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(this.onTimer, Math.ceil(dueAt - now));
    this.timer.unref();
    this.timerDueAt = dueAt;
  }
}

const lanes = new Map<number, Lane>();

/**
 * Calls `fire` `ms` after `from` (a performance.now() reading, now by default) unless
 * {@link clearSharedTimeout} is called first. `ms` picks the list: a timeout re-armed for what is left of a limit
 * passes the limit itself and an earlier `from`, so it joins the limit's list.
 */
export function setSharedTimeout(fire: () => void, ms: number, from = performance.now()): SharedTimeout {
  // Past a second, one list per whole second: a limit cut to what is left of another (the deadline's remainder, a
  // stream's first-byte limit less the wait for its head) differs by a few ms from request to request.
  const key = ms > 1_000 ? Math.ceil(ms / 1_000) * 1_000 : Math.ceil(ms);
  let lane = lanes.get(key);
  if (lane === undefined) {
    lane = new Lane(key);
    lanes.set(key, lane);
  }
  const timeout = new SharedTimeout(fire);
  timeout.dueAt = from + ms;
  timeout.lane = lane;
  // Timeouts of one list are mostly set in the order they fall due, but for one re-armed from an earlier `from` or
  // one of a slightly shorter duration: walk back from the tail to its place.
  let before = lane.tail;
  while (before !== null && before.dueAt > timeout.dueAt) before = before.prev;
  timeout.prev = before;
  timeout.next = before === null ? lane.head : before.next;
  if (timeout.next === null) lane.tail = timeout;
  else timeout.next.prev = timeout;
  if (before === null) lane.head = timeout;
  else before.next = timeout;
  // An armed node timer falls due no later than the list's head, but for a timeout re-armed from an earlier `from`.
  if (lane.timer === null || timeout.dueAt < lane.timerDueAt) lane.arm(timeout.dueAt, performance.now());
  return timeout;
}

/** Stops `timeout` from firing; nothing when it already fired or was cleared. */
export function clearSharedTimeout(timeout: SharedTimeout): void {
  if (timeout.lane !== null) unlink(timeout.lane, timeout);
}

function unlink(lane: Lane, timeout: SharedTimeout): void {
  if (timeout.prev === null) lane.head = timeout.next;
  else timeout.prev.next = timeout.next;
  if (timeout.next === null) lane.tail = timeout.prev;
  else timeout.next.prev = timeout.prev;
  timeout.prev = null;
  timeout.next = null;
  timeout.lane = null;
}
