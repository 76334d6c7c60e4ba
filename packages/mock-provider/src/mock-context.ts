import type { ServerResponse } from 'node:http';
import { defaultFaultsOf, type MockFaultSettings, type MockFaults, parseMockFaults } from './mock-faults';
import { MockStatsRecorder } from './mock-stats';
import { createSeededRandom, type RandomSource } from './seeded-random';

/** Most prompt prefixes and response ids an instance remembers; a test never comes close. */
export const MAX_REMEMBERED = 100_000;

/** The state of one mock instance, shared by its route handlers. */
export class MockContext {
  /** The instance faults exactly as last set. */
  faults: MockFaults = {};
  /** The defaults part of `faults`, precomputed so a healthy request does no work. */
  defaults: MockFaultSettings | undefined;
  /** `faults.byModel` as a map (a plain object lookup would find `constructor` & co.). */
  byModel: Map<string, MockFaultSettings> | undefined;
  /** `faults.byKey` as a map, for the same reason. */
  byKey: Map<string, MockFaultSettings> | undefined;
  /** Draws for `failRate`; seeded when `faults.seed` is set. */
  random: RandomSource = Math.random;
  readonly stats = new MockStatsRecorder();
  /** Responses the mock destroyed on purpose (drops), not to be counted as client aborts. */
  readonly dropped = new WeakSet<ServerResponse>();
  /**
   * Prompt prefixes a request marked with `cache_control` (Anthropic), keyed by API key and prefix, so the
   * first request writes the cache and a repeat reads it. Bounded: cleared past `MAX_REMEMBERED`.
   */
  readonly promptCache = new Set<string>();
  /** Ids of the Responses (`resp_…`) this instance issued, which `previous_response_id` may name. Bounded too. */
  readonly responseIds = new Set<string>();
  /** Set by `close()`: connections torn down then are not client aborts either. */
  closing = false;
  private seq = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  /** The `close` listener of every `/v1` response, shared (no closure per request); `this` is the response. */
  readonly onResponseClose: (this: ServerResponse) => void;

  constructor(readonly now: () => number) {
    const clientAborted = (res: ServerResponse) =>
      !res.writableFinished && !this.closing && !this.dropped.has(res);
    const stats = this.stats;
    this.onResponseClose = function onResponseClose(this: ServerResponse) {
      if (clientAborted(this)) stats.recordAborted();
    };
  }

  /** Replaces the instance faults; throws a TypeError naming the bad field. */
  setFaults(faults: unknown): MockFaults {
    const parsed = parseMockFaults(faults);
    if (!parsed.ok) throw new TypeError(`Invalid mock faults: ${parsed.message}`);
    this.faults = parsed.value;
    this.defaults = defaultFaultsOf(parsed.value);
    this.byModel =
      parsed.value.byModel === undefined ? undefined : new Map(Object.entries(parsed.value.byModel));
    this.byKey = parsed.value.byKey === undefined ? undefined : new Map(Object.entries(parsed.value.byKey));
    this.random = parsed.value.seed === undefined ? Math.random : createSeededRandom(parsed.value.seed);
    return parsed.value;
  }

  /** A short unique suffix for ids (`chatcmpl-mock…`, `call_mock…`, `req_mock…`). */
  nextId(): string {
    this.seq++;
    return this.seq.toString(36).padStart(8, '0');
  }

  /** Adds `value` to a bounded memory of this instance; true when it was already there. */
  remember(set: Set<string>, value: string): boolean {
    if (set.has(value)) return true;
    if (set.size >= MAX_REMEMBERED) set.clear();
    set.add(value);
    return false;
  }

  /** `setTimeout`, tracked so `close()` can cancel what is pending. */
  readonly later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  };

  cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Destroys the connection on purpose (a drop fault). */
  drop(res: ServerResponse): void {
    this.dropped.add(res);
    res.socket?.destroy();
  }
}
