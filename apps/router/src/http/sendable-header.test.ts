import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sendableHeader } from './sendable-header';

/** Node's own rule for a header value (lib/_http_common.js checkInvalidHeaderChar). */
const nodeAccepts = (value: string) => !/[^\t\x20-\x7e\x80-\xff]/.test(value);

describe('sendableHeader', () => {
  it('passes printable ASCII through unchanged', () => {
    expect(sendableHeader('team-a primary (eu)')).toBe('team-a primary (eu)');
  });

  it('percent-encodes a name Node could not send, and decodes back to it', () => {
    expect(sendableHeader('主账户')).toBe('%E4%B8%BB%E8%B4%A6%E6%88%B7');
    expect(sendableHeader('a\nb')).toBe('a%0Ab');
  });

  it('always gives a value Node sends, which reads back to the name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (name) => {
        const value = sendableHeader(name);
        expect(nodeAccepts(value)).toBe(true);
        if (value !== name) expect(decodeURIComponent(value)).toBe(name);
      }),
    );
  });
});
