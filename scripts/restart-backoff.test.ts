import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './restart-backoff';

const options = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

/** Starts, optionally becomes ready `readyAfter` ms later, and dies `diesAfter` ms after starting. */
function crashOnce(backoff: RestartBackoff, at: number, diesAfter: number, readyAfter?: number): number {
  backoff.started();
  if (readyAfter !== undefined) backoff.ready(at + readyAfter);
  return backoff.crashed(at + diesAfter);
}

describe('RestartBackoff', () => {
  it('doubles from 0.5 s up to the 30 s cap while the child keeps dying', () => {
    const backoff = new RestartBackoff(options);
    const delays = Array.from({ length: 9 }, (_, i) => crashOnce(backoff, i * 100_000, 1_000, 200));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts again from 0.5 s once the child stayed ready for the reset period', () => {
    const backoff = new RestartBackoff(options);
    for (let i = 0; i < 5; i++) crashOnce(backoff, i * 10_000, 1_000, 100);
    expect(crashOnce(backoff, 100_000, 60_100, 100)).toBe(500);
    expect(crashOnce(backoff, 200_000, 1_000, 100)).toBe(1_000);
  });

  it('does not reset for a child that ran long but never became ready, or was ready too briefly', () => {
    const backoff = new RestartBackoff(options);
    expect(crashOnce(backoff, 0, 1_000)).toBe(500);
    expect(crashOnce(backoff, 10_000, 600_000)).toBe(1_000);
    expect(crashOnce(backoff, 700_000, 59_000, 1_000)).toBe(2_000);
  });
});
