/** Capped exponential backoff parameters, in milliseconds. */
export interface BackoffConfig {
  /** Ceiling of the first retry's wait; doubles per retry. */
  baseMs: number;
  /** The wait ceiling never grows past this. */
  capMs: number;
}

/**
 * Default retry backoff: retry 0 waits up to 250 ms, retry 1 up to 500 ms, … never more than 10 s. Short
 * enough for an interactive retry to fit a 60 s deadline, long enough to spread a synchronized herd.
 */
export const DEFAULT_BACKOFF: Readonly<BackoffConfig> = Object.freeze({ baseMs: 250, capMs: 10_000 });

/**
 * AWS "full jitter": a uniformly random wait in [0, min(cap, base × 2^attempt)), floored to whole
 * milliseconds. `attempt` is the 0-based retry number (negative counts as 0); `random` returns [0, 1).
 */
export function fullJitterBackoff(attempt: number, config: BackoffConfig, random: () => number): number {
  const exponent = Math.max(0, Math.floor(attempt));
  const ceiling = Math.min(config.capMs, config.baseMs * 2 ** exponent);
  return Math.floor(random() * Math.max(0, ceiling));
}

const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_WEEKDAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (what senders must send). */
const IMF_FIXDATE = new RegExp(`^${WEEKDAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
/** Obsolete RFC 850 form: "Sunday, 06-Nov-94 08:49:37 GMT". */
const RFC_850 = new RegExp(`^${LONG_WEEKDAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
/** Obsolete asctime form: "Sun Nov  6 08:49:37 1994" (always UTC). */
const ASCTIME = new RegExp(`^${WEEKDAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`, 'i');
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DELTA_SECONDS = /^-?\d+(?:\.\d+)?$/;

/**
 * Reads a `Retry-After` header as milliseconds to wait from `now` (epoch ms): delta-seconds ("120", also
 * fractional "1.5" as some providers send) or an HTTP-date in any of RFC 9110's three forms, parsed as UTC
 * without relying on the host's `Date.parse`. A time in the past or a negative delay gives 0. Absent or
 * unparseable gives null, so the caller can tell "no hint" from "retry now".
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | null {
  if (header === null || header === undefined) return null;
  const value = header.trim();
  if (value === '') return null;
  if (DELTA_SECONDS.test(value)) {
    const ms = Math.ceil(Number(value) * 1000);
    if (!Number.isFinite(ms)) return null;
    return Math.max(0, ms);
  }
  const at = parseHttpDate(value, now);
  return at === null ? null : Math.max(0, at - now);
}

function parseHttpDate(value: string, now: number): number | null {
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(Number(m[3]), m[2], Number(m[1]), m[4], m[5], m[6]);
  m = RFC_850.exec(value);
  if (m) {
    // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future means the most recent past such year.
    const currentYear = new Date(now).getUTCFullYear();
    let year = Math.floor(currentYear / 100) * 100 + Number(m[3]);
    if (year > currentYear + 50) year -= 100;
    return utc(year, m[2], Number(m[1]), m[4], m[5], m[6]);
  }
  m = ASCTIME.exec(value);
  if (m) return utc(Number(m[6]), m[1], Number((m[2] as string).trim()), m[3], m[4], m[5]);
  return null;
}

function utc(
  year: number,
  monthName: string | undefined,
  day: number,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
): number | null {
  const month = MONTHS.indexOf((monthName ?? '').toLowerCase());
  const h = Number(hour);
  const min = Number(minute);
  const s = Number(second);
  if (month < 0 || day < 1 || day > 31 || h > 23 || min > 59 || s > 60) return null;
  // Date.UTC rolls "31 Feb" into March; a date that rolled over is not a real date.
  if (new Date(Date.UTC(year, month, day)).getUTCDate() !== day) return null;
  return Date.UTC(year, month, day, h, min, s);
}
