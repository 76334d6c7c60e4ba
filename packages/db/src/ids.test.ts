import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId', () => {
  it('is the prefix, an underscore and 20 base62 characters', () => {
    expect(newId('key')).toMatch(/^key_[0-9A-Za-z]{20}$/);
    expect(newId('req')).toMatch(/^req_[0-9A-Za-z]{20}$/);
  });

  it('sorts by creation time', () => {
    const earlier = newId('req', Date.UTC(2025, 0, 1));
    const later = newId('req', Date.UTC(2025, 0, 1) + 1);
    expect(earlier < later).toBe(true);
  });

  it('does not collide within the same millisecond', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('x', now)));
    expect(ids.size).toBe(10_000);
  });
});
