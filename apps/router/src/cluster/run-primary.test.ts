import { describe, expect, it } from 'vitest';
import { restartDelayMs } from './run-primary';

describe('restartDelayMs', () => {
  it('replaces a worker that ran long enough at once, and backs off a crash loop up to 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 50].map(restartDelayMs)).toEqual([
      0, 250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000,
    ]);
  });
});
