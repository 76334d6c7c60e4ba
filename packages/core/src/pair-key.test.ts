import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairKey } from './pair-key';

describe('pairKey', () => {
  it('is the NUL-joined pair, the key the registries have always used', () => {
    expect(pairKey('acc_1', 'gpt-4o-mini')).toBe('acc_1\u0000gpt-4o-mini');
    fc.assert(
      fc.property(fc.string(), fc.string(), (account, model) => {
        expect(pairKey(account, model)).toBe(`${account}\u0000${model}`);
      }),
    );
  });

  it('keeps pairs apart that only a separator tells apart', () => {
    expect(pairKey('a', 'bc')).not.toBe(pairKey('ab', 'c'));
    expect(pairKey('a', 'bc')).toBe('a\u0000bc');
    expect(pairKey('ab', 'c')).toBe('ab\u0000c');
  });

  it('answers the same pair the same way after the memo starts over', () => {
    const first = pairKey('acc_keep', 'model');
    for (let i = 0; i < 5_000; i++) pairKey(`acc_${i}`, `model_${i % 7}`);
    expect(pairKey('acc_keep', 'model')).toBe(first);
    expect(pairKey('acc_4999', 'model_1')).toBe('acc_4999\u0000model_1');
  });
});
