import { describe, expect, it } from 'vitest';
import { decodePageCursor, encodePageCursor, toPage } from './page-cursor';

describe('page cursors', () => {
  it('round-trips a position, ids containing the separator included', () => {
    const cursor = { at: 1_795_323_756_435, id: 'req_a:b' };
    expect(decodePageCursor(encodePageCursor(cursor))).toEqual(cursor);
  });

  it('rejects text it did not produce', () => {
    for (const text of [
      '',
      'not-a-cursor',
      Buffer.from('abc:').toString('base64url'),
      Buffer.from(':id').toString('base64url'),
      Buffer.from('-5:id').toString('base64url'),
      Buffer.from('1.5:id').toString('base64url'),
    ]) {
      expect(decodePageCursor(text), text).toBeNull();
    }
  });

  it('cuts a limit+1 result into a page and the position of its last row', () => {
    const rows = [
      { t: 3, id: 'c' },
      { t: 2, id: 'b' },
      { t: 1, id: 'a' },
    ];
    const position = (row: { t: number; id: string }) => ({ at: row.t, id: row.id });
    const page = toPage(rows, 2, position, (row) => row.id);
    expect(page.items).toEqual(['c', 'b']);
    expect(decodePageCursor(page.nextCursor ?? '')).toEqual({ at: 2, id: 'b' });
    expect(toPage(rows, 3, position, (row) => row.id).nextCursor).toBeNull();
  });
});
