import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageModelIds } from './page-model-ids';

const sortedIds = fc
  .uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 30 })
  .map((ids) => [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

describe('pageModelIds', () => {
  it('walking forward by after_id visits every id once, in order, whatever the page size', () => {
    fc.assert(
      fc.property(sortedIds, fc.integer({ min: 1, max: 40 }), (ids, limit) => {
        const seen: string[] = [];
        let after: string | null = null;
        for (let pages = 0; pages <= ids.length + 1; pages++) {
          const page = pageModelIds(ids, { afterId: after, limit });
          expect(page.ids.length).toBeLessThanOrEqual(limit);
          seen.push(...page.ids);
          if (!page.hasMore) break;
          expect(page.ids.length).toBe(limit);
          after = page.ids.at(-1) ?? null;
        }
        expect(seen).toEqual(ids);
      }),
    );
  });

  it('walking back by before_id visits every id before the cursor once', () => {
    fc.assert(
      fc.property(
        sortedIds,
        fc.integer({ min: 1, max: 40 }),
        fc.string({ maxLength: 6 }),
        (ids, limit, from) => {
          const seen: string[] = [];
          let before = from;
          for (let pages = 0; pages <= ids.length + 1; pages++) {
            const page = pageModelIds(ids, { beforeId: before, limit });
            seen.unshift(...page.ids);
            if (!page.hasMore) break;
            before = page.ids[0] as string;
          }
          expect(seen).toEqual(ids.filter((id) => id < from));
        },
      ),
    );
  });

  it('a cursor that names no listed id still pages from where it would sort', () => {
    const ids = ['a', 'c', 'e', 'g'];
    expect(pageModelIds(ids, { afterId: 'b', limit: 2 })).toEqual({ ids: ['c', 'e'], hasMore: true });
    expect(pageModelIds(ids, { afterId: 'e', limit: 2 })).toEqual({ ids: ['g'], hasMore: false });
    expect(pageModelIds(ids, { beforeId: 'f', limit: 2 })).toEqual({ ids: ['c', 'e'], hasMore: true });
    expect(pageModelIds(ids, { limit: 10 })).toEqual({ ids, hasMore: false });
  });
});
