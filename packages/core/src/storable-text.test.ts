import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storableText, storableTextIssue } from './storable-text';

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Any code point, plus NUL and surrogate halves often (fast-check's own units never produce lone surrogates). */
const hostileUnit = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '😀'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

describe('storableTextIssue', () => {
  it('names what PostgreSQL would refuse, longest first', () => {
    expect(storableTextIssue('gpt-4o-mini', 256)).toBeNull();
    expect(storableTextIssue('emoji 😀 and ü', 256)).toBeNull();
    expect(storableTextIssue('a\u0000b', 256)).toBe('nul');
    expect(storableTextIssue('a\ud800b', 256)).toBe('lone_surrogate');
    expect(storableTextIssue('a\udc00', 256)).toBe('lone_surrogate');
    expect(storableTextIssue('\ude00\ud83d', 256)).toBe('lone_surrogate');
    expect(storableTextIssue('x'.repeat(257), 256)).toBe('too_long');
    expect(storableTextIssue('x'.repeat(256), 256)).toBeNull();
  });
});

describe('storableText', () => {
  it('returns a clean string itself', () => {
    const value = 'demo-chat 😀';
    expect(storableText(value, 256)).toBe(value);
  });

  it('strips NUL, replaces unpaired surrogates and cuts without splitting a pair', () => {
    expect(storableText('a\u0000b\u0000', 256)).toBe('ab');
    expect(storableText('a\ud800b\udc00', 256)).toBe('a\ufffdb\ufffd');
    expect(storableText('ab😀', 3)).toBe('ab');
    expect(storableText('abc😀', 5)).toBe('abc😀');
  });

  it('always yields text that storableTextIssue accepts, and leaves storable text alone', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: hostileUnit, maxLength: 400 }),
        fc.integer({ min: 1, max: 300 }),
        (value, max) => {
          const stored = storableText(value, max);
          expect(storableTextIssue(stored, max)).toBeNull();
          expect(stored.includes('\u0000')).toBe(false);
          expect(LONE.test(stored)).toBe(false);
          if (storableTextIssue(value, max) === null) expect(stored).toBe(value);
        },
      ),
      { numRuns: 500 },
    );
  });
});
