import { describe, expect, it } from 'vitest';
import { newRequestId } from './server';

describe('newRequestId', () => {
  // 1,000 ids span four refills of the 256-id pool.
  const ids = Array.from({ length: 1_000 }, () => newRequestId());

  it('answers req_ and 32 lowercase hex characters', () => {
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('never repeats an id, across pool refills too', () => {
    expect(new Set(ids).size).toBe(ids.length);
    // Consecutive ids share no 16-byte window: each takes its own bytes from the pool.
    for (let i = 1; i < ids.length; i++) expect(ids[i]).not.toBe(ids[i - 1]);
  });

  it('draws every one of the 32 hex digits at random (128 bits, no fixed version digit)', () => {
    for (let position = 4; position < 36; position++) {
      const seen = new Set(ids.map((id) => id[position]));
      expect(seen.size, `digit ${position - 4}`).toBeGreaterThan(8);
    }
  });
});
