/** How often a budget resets. `total` never does. */
export type BudgetPeriod = 'daily' | 'weekly' | 'monthly' | 'total';

/** A half-open time window [start, end) in epoch ms. */
export interface PeriodWindow {
  start: number;
  end: number;
}

/** The latest instant a JS Date can hold; the end of a `total` window. */
export const END_OF_TIME = 8_640_000_000_000_000;

/**
 * The budget period containing `now`, as [start, end) epoch ms, with day boundaries at local midnight in
 * `timeZone` (an IANA name; default UTC). Weeks start on Monday (ISO 8601). Months start on the 1st.
 * `total` is [0, END_OF_TIME). DST is handled by finding the first instant of each local day, so a day may
 * be 23 or 25 hours long, and a day whose midnight is skipped starts at the first wall-clock time that
 * exists. Throws RangeError for an unknown time zone (validate with {@link isValidTimeZone} at config time).
 */
export function periodWindow(period: BudgetPeriod, now: number, timeZone = 'UTC'): PeriodWindow {
  if (period === 'total') return { start: 0, end: END_OF_TIME };
  const { year, month, day } = localDate(now, timeZone);
  if (period === 'daily') {
    return {
      start: startOfLocalDay(year, month, day, timeZone),
      end: startOfLocalDay(year, month, day + 1, timeZone),
    };
  }
  if (period === 'weekly') {
    // Date.UTC normalises day overflow/underflow; getUTCDay is 0 for Sunday.
    const sinceMonday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
    const monday = day - sinceMonday;
    return {
      start: startOfLocalDay(year, month, monday, timeZone),
      end: startOfLocalDay(year, month, monday + 7, timeZone),
    };
  }
  return {
    start: startOfLocalDay(year, month, 1, timeZone),
    end: startOfLocalDay(year, month + 1, 1, timeZone),
  };
}

/** True when `timeZone` is an IANA zone name the runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local wall-clock time at `instant`, expressed as if it were UTC epoch ms (whole seconds). */
function localWall(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

function localDate(instant: number, timeZone: string): { year: number; month: number; day: number } {
  const wall = new Date(localWall(instant, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * The first instant whose local wall-clock time is at or after local midnight of (year, month, day); day
 * and month may overflow (Date.UTC normalises them). Fast path: wall − offset, checked; otherwise (the
 * midnight is skipped or repeated by a DST change) a binary search, since "local time ≥ midnight" is
 * monotone in the instant across any real transition.
 */
function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  const offset = (t: number) => localWall(t, timeZone) - Math.floor(t / 1000) * 1000;
  let t = wall - offset(wall);
  t = wall - offset(t);
  if (localWall(t, timeZone) === wall && localWall(t - 1000, timeZone) < wall) return t;
  // Offsets lie within ±14 h, so the answer lies within (wall − 15 h, wall + 15 h].
  let lo = wall - 15 * 3_600_000; // local time here is before the target midnight
  let hi = wall + 15 * 3_600_000; // local time here is after it
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (localWall(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}
