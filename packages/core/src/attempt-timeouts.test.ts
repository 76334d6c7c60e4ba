import { describe, expect, it } from 'vitest';
import { attemptTimeouts } from './attempt-timeouts';

const timeouts = { connectMs: 3_000, firstByteMs: 30_000, idleMs: 20_000, totalMs: 60_000 };

describe('attemptTimeouts', () => {
  it('uses the configured limits while the deadline is far', () => {
    expect(attemptTimeouts(timeouts, 1_000, 61_000)).toEqual({
      connectMs: 3_000,
      firstByteMs: 30_000,
      idleMs: 20_000,
      totalMs: 60_000,
    });
  });

  it('cuts every limit to the time left', () => {
    expect(attemptTimeouts(timeouts, 50_000, 61_000)).toEqual({
      connectMs: 3_000,
      firstByteMs: 11_000,
      idleMs: 11_000,
      totalMs: 11_000,
    });
    expect(attemptTimeouts(timeouts, 60_000, 61_000)).toEqual({
      connectMs: 1_000,
      firstByteMs: 1_000,
      idleMs: 1_000,
      totalMs: 1_000,
    });
  });

  it('is null once the deadline has passed', () => {
    expect(attemptTimeouts(timeouts, 61_000, 61_000)).toBeNull();
    expect(attemptTimeouts(timeouts, 70_000, 61_000)).toBeNull();
  });
});
