import { describe, expect, it } from 'vitest';
import { END_OF_TIME, isValidTimeZone, periodWindow } from './period-window';

const utc = (iso: string) => Date.parse(iso);
const iso = (w: { start: number; end: number }) => [
  new Date(w.start).toISOString(),
  new Date(w.end).toISOString(),
];

describe('periodWindow in UTC', () => {
  const now = utc('2026-11-22T08:13:46.123Z'); // a Sunday

  it('daily: midnight to midnight', () => {
    expect(iso(periodWindow('daily', now))).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
  });

  it('weekly: Monday to Monday (ISO weeks), Sunday belonging to the week before', () => {
    expect(iso(periodWindow('weekly', now))).toEqual([
      '2026-11-16T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
    ]);
    expect(iso(periodWindow('weekly', utc('2026-11-23T00:00:00Z')))).toEqual([
      '2026-11-23T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ]);
  });

  it('monthly: the 1st to the 1st, across a year end and a leap February', () => {
    expect(iso(periodWindow('monthly', now))).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
    expect(iso(periodWindow('monthly', utc('2026-12-31T23:59:59.999Z')))).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
    expect(iso(periodWindow('monthly', utc('2028-02-29T12:00:00Z')))).toEqual([
      '2028-02-01T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
    ]);
  });

  it('total: all of time', () => {
    expect(periodWindow('total', now)).toEqual({ start: 0, end: END_OF_TIME });
  });

  it('is half-open: the end instant belongs to the next period', () => {
    const w = periodWindow('daily', now);
    expect(periodWindow('daily', w.end - 1).start).toBe(w.start);
    expect(periodWindow('daily', w.end).start).toBe(w.end);
    expect(periodWindow('daily', w.start).start).toBe(w.start);
  });
});

describe('periodWindow in other time zones', () => {
  it('starts days at local midnight (Tokyo, +9)', () => {
    // 20:00 UTC on the 22nd is 05:00 on the 23rd in Tokyo.
    expect(iso(periodWindow('daily', utc('2026-11-22T20:00:00Z'), 'Asia/Tokyo'))).toEqual([
      '2026-11-22T15:00:00.000Z',
      '2026-11-23T15:00:00.000Z',
    ]);
    expect(iso(periodWindow('monthly', utc('2026-12-31T23:30:00Z'), 'Asia/Tokyo'))).toEqual([
      '2026-12-31T15:00:00.000Z',
      '2027-01-31T15:00:00.000Z',
    ]);
  });

  it('handles half-hour offsets (Kolkata, +5:30)', () => {
    expect(iso(periodWindow('daily', utc('2026-06-01T12:00:00Z'), 'Asia/Kolkata'))).toEqual([
      '2026-05-31T18:30:00.000Z',
      '2026-06-01T18:30:00.000Z',
    ]);
  });

  it('gives 23- and 25-hour days at DST changes (New York)', () => {
    const spring = periodWindow('daily', utc('2026-03-08T12:00:00Z'), 'America/New_York');
    expect(iso(spring)).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
    const autumn = periodWindow('daily', utc('2026-11-01T12:00:00Z'), 'America/New_York');
    expect(autumn.end - autumn.start).toBe(25 * 3_600_000);
  });

  it('starts a day whose midnight is skipped at the first time that exists (Santiago, 00:00 → 01:00)', () => {
    expect(iso(periodWindow('daily', utc('2024-09-08T12:00:00Z'), 'America/Santiago'))).toEqual([
      '2024-09-08T04:00:00.000Z',
      '2024-09-09T03:00:00.000Z',
    ]);
  });

  it('handles a day where 23:00–24:00 repeats (Santiago, 24:00 → 23:00)', () => {
    expect(iso(periodWindow('daily', utc('2024-04-06T12:00:00Z'), 'America/Santiago'))).toEqual([
      '2024-04-06T03:00:00.000Z',
      '2024-04-07T04:00:00.000Z',
    ]);
  });

  it('handles a skipped calendar day (Apia jumped from 29 to 31 December 2011)', () => {
    expect(iso(periodWindow('daily', utc('2011-12-30T12:00:00Z'), 'Pacific/Apia'))).toEqual([
      '2011-12-30T10:00:00.000Z',
      '2011-12-31T10:00:00.000Z',
    ]);
  });

  it('tiles time: consecutive windows share their boundary, every instant falls in exactly one', () => {
    for (const tz of ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      for (const period of ['daily', 'weekly', 'monthly'] as const) {
        let w = periodWindow(period, utc('2026-01-01T00:00:00Z'), tz);
        for (let i = 0; i < 40; i++) {
          const next = periodWindow(period, w.end, tz);
          expect(next.start, `${tz} ${period}`).toBe(w.end);
          expect(next.end).toBeGreaterThan(next.start);
          w = next;
        }
      }
    }
  });

  it('refuses unknown zones, and says which are known', () => {
    expect(() => periodWindow('daily', 0, 'Mars/Olympus')).toThrow(RangeError);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
  });
});
