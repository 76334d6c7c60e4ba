import { describe, expect, it } from 'vitest';
import { clearSharedTimeout, setSharedTimeout } from './shared-timeout';

/** Resolves with performance.now() when the timeout set by `set` fires. */
function firedAt(set: (fire: () => void) => void): Promise<number> {
  return new Promise((resolve) => set(() => resolve(performance.now())));
}

describe('setSharedTimeout', () => {
  it('fires at its time, not before and not much after', async () => {
    const start = performance.now();
    const at = await firedAt((fire) => setSharedTimeout(fire, 60));
    expect(at - start).toBeGreaterThanOrEqual(59);
    expect(at - start).toBeLessThan(60 + 40);
  });

  it('a cleared timeout does not fire; the next of its duration still does, at its own time', async () => {
    let clearedFired = false;
    const first = setSharedTimeout(() => {
      clearedFired = true;
    }, 70);
    clearSharedTimeout(first);
    const start = performance.now();
    const at = await firedAt((fire) => setSharedTimeout(fire, 70));
    // The list's node timer was armed for the first: it fires ~10 ms early for nothing, then re-arms.
    expect(at - start).toBeGreaterThanOrEqual(69);
    expect(at - start).toBeLessThan(70 + 40);
    expect(clearedFired).toBe(false);
    clearSharedTimeout(first); // clearing twice changes nothing
  });

  it('a timeout whose list emptied waits for its own time, not the list timer armed earlier', async () => {
    const early = setSharedTimeout(() => {}, 50);
    clearSharedTimeout(early);
    await firedAt((fire) => setTimeout(fire, 20));
    const start = performance.now();
    const at = await firedAt((fire) => setSharedTimeout(fire, 50));
    expect(at - start).toBeGreaterThanOrEqual(49);
    expect(at - start).toBeLessThan(50 + 40);
  });

  it('a timeout set from an earlier time goes before later ones and fires at its own time', async () => {
    const order: string[] = [];
    const start = performance.now();
    const later = firedAt((fire) =>
      setSharedTimeout(() => {
        order.push('later');
        fire();
      }, 120),
    );
    const earlier = firedAt((fire) =>
      setSharedTimeout(
        () => {
          order.push('earlier');
          fire();
        },
        120,
        start - 60,
      ),
    );
    const [laterAt, earlierAt] = await Promise.all([later, earlier]);
    expect(order).toEqual(['earlier', 'later']);
    expect(earlierAt - start).toBeGreaterThanOrEqual(59);
    expect(earlierAt - start).toBeLessThan(60 + 40);
    expect(laterAt - start).toBeGreaterThanOrEqual(119);
  });

  it('many timeouts of one duration fire in order, the cleared ones not at all', async () => {
    const fired: number[] = [];
    const timeouts = Array.from({ length: 10 }, (_, i) => setSharedTimeout(() => fired.push(i), 30));
    for (const i of [0, 3, 4, 9]) clearSharedTimeout(timeouts[i] as (typeof timeouts)[number]);
    await firedAt((fire) => setSharedTimeout(fire, 31));
    expect(fired).toEqual([1, 2, 5, 6, 7, 8]);
  });
  it('limits a few ms apart share a list and still fire in due order, each at its own time', async () => {
    const order: number[] = [];
    const start = performance.now();
    // 1,300 ms and 1,250 ms: one list (whole seconds past one second), the later-set one due first.
    const times = await Promise.all(
      [1_300, 1_250].map((ms) =>
        firedAt((fire) =>
          setSharedTimeout(() => {
            order.push(ms);
            fire();
          }, ms),
        ),
      ),
    );
    expect(order).toEqual([1_250, 1_300]);
    expect((times[0] as number) - start).toBeGreaterThanOrEqual(1_299);
    expect((times[0] as number) - start).toBeLessThan(1_300 + 40);
    expect((times[1] as number) - start).toBeGreaterThanOrEqual(1_249);
    expect((times[1] as number) - start).toBeLessThan(1_250 + 40);
  });
});
