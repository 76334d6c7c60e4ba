import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleStoppedThread } from './idle-stopped-thread';

const IDLE_MS = 1_000;

/** A stand-in thread: its number, and whether it was stopped. */
interface FakeThread {
  n: number;
  stopped: boolean;
}

function harness(idleMs = IDLE_MS) {
  const started: FakeThread[] = [];
  const stops: FakeThread[] = [];
  const threads = new IdleStoppedThread<FakeThread>(
    () => {
      const thread = { n: started.length, stopped: false };
      started.push(thread);
      return thread;
    },
    (thread) => {
      expect(thread.stopped).toBe(false);
      thread.stopped = true;
      stops.push(thread);
    },
    idleMs,
  );
  return { threads, started, stops };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('IdleStoppedThread', () => {
  it('stops the thread idleMs after its last work ends, and starts a new one for the next', () => {
    const { threads, started, stops } = harness();
    const first = threads.acquire();
    vi.advanceTimersByTime(5 * IDLE_MS);
    expect(stops).toEqual([]);
    threads.release(first);
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(stops).toEqual([]);
    // Work within the idle period keeps the same thread and restarts the period when it ends.
    expect(threads.acquire()).toBe(first);
    threads.release(first);
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(stops).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(stops).toEqual([first]);
    expect(threads.running()).toBeNull();
    const second = threads.acquire();
    expect(second).not.toBe(first);
    expect(started).toHaveLength(2);
  });

  it('never stops for idling when idleMs is 0', () => {
    const { threads, stops } = harness(0);
    threads.release(threads.acquire());
    vi.advanceTimersByTime(10 * 60_000);
    expect(stops).toEqual([]);
  });

  it('ignores releases of a forgotten thread, and does not stop it', () => {
    const { threads, stops } = harness();
    const hung = threads.acquire();
    threads.forget(hung);
    const next = threads.acquire();
    threads.release(hung);
    vi.advanceTimersByTime(5 * IDLE_MS);
    // `next` still holds work: nothing stopped, not even the forgotten thread (its owner ends it).
    expect(stops).toEqual([]);
    threads.release(next);
    vi.advanceTimersByTime(IDLE_MS);
    expect(stops).toEqual([next]);
  });

  it('holds its invariants over any interleaving of work and time', () => {
    type Op = { kind: 'acquire' } | { kind: 'release'; pick: number } | { kind: 'wait'; ms: number };
    const op = fc.oneof(
      fc.constant<Op>({ kind: 'acquire' }),
      fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 2 * IDLE_MS }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        vi.setSystemTime(0);
        vi.clearAllTimers();
        const { threads, started, stops } = harness();
        /** Work outstanding: the thread each acquisition got. */
        const held: FakeThread[] = [];
        /** When the running thread last had no work (null while some is held). */
        let idleSince: number | null = null;
        for (const step of ops) {
          if (step.kind === 'acquire') {
            const thread = threads.acquire();
            // Work always lands on a live thread.
            expect(thread.stopped).toBe(false);
            held.push(thread);
            idleSince = null;
          } else if (step.kind === 'release') {
            if (held.length === 0) continue;
            const [thread] = held.splice(step.pick % held.length, 1);
            threads.release(thread as FakeThread);
            if (held.length === 0) idleSince = Date.now();
          } else {
            vi.advanceTimersByTime(step.ms);
          }
          // A thread with work outstanding is never stopped.
          for (const thread of held) expect(thread.stopped).toBe(false);
          // At most one thread is alive, and it is the running one.
          const alive = started.filter((thread) => !thread.stopped);
          expect(alive.length).toBeLessThanOrEqual(1);
          expect(threads.running()).toBe(alive[0] ?? null);
          // An idle thread lives exactly idleMs.
          const running = threads.running();
          if (running !== null && idleSince !== null) expect(Date.now() - idleSince).toBeLessThan(IDLE_MS);
        }
        // Once all work ends, idleMs later no thread is left.
        for (const thread of held) threads.release(thread);
        vi.advanceTimersByTime(IDLE_MS);
        expect(threads.running()).toBeNull();
        expect(stops).toHaveLength(started.length);
      }),
      { numRuns: 300 },
    );
  });
});
