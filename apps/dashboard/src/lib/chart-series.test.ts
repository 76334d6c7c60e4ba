import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketStarts, OTHER_SERIES_COLOR, SERIES_COLORS, seriesColors } from './chart-series';

const HOUR = 3_600_000;

describe('bucketStarts', () => {
  it('lists every bucket of the window, empty ones included', () => {
    expect(bucketStarts('2026-01-01T00:00:00.000Z', '2026-01-01T04:00:00.000Z', 'hour')).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
      '2026-01-01T03:00:00.000Z',
    ]);
    expect(bucketStarts('2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z', 'day')).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
    ]);
  });

  it('gives one bucket per hour of any window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 800 }), (hour, hours) => {
        const from = new Date(hour * HOUR).toISOString();
        const to = new Date((hour + hours) * HOUR).toISOString();
        const buckets = bucketStarts(from, to, 'hour');
        expect(buckets).toHaveLength(hours);
        if (hours > 0) expect(buckets[0]).toBe(from);
      }),
    );
  });
});

describe('seriesColors', () => {
  it('gives a series the same colour whatever else is shown and in whatever order', () => {
    const alone = seriesColors(['team-a']);
    const withOthers = seriesColors(['team-z', 'team-b', 'team-a']);
    const reordered = seriesColors(['team-a', 'team-b', 'team-z']);
    expect(withOthers.get('team-a')).toBe(reordered.get('team-a'));
    expect(withOthers.get('team-b')).toBe(reordered.get('team-b'));
    expect(alone.get('team-a')).toBe(withOthers.get('team-a'));
  });

  it('never gives two shown series one colour, and "other" is always grey', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: SERIES_COLORS.length }),
        (names) => {
          const colors = seriesColors([...names.filter((name) => name !== 'other'), 'other']);
          expect(colors.get('other')).toBe(OTHER_SERIES_COLOR);
          const used = names.filter((name) => name !== 'other').map((name) => colors.get(name));
          expect(new Set(used).size).toBe(used.length);
          for (const color of used) expect(SERIES_COLORS).toContain(color);
        },
      ),
    );
  });
});
