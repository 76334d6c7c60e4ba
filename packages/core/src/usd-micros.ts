import { fail, ok, type Result } from './gateway-error';

/** Micro-USD in one USD. Money in Switchyard is an integer count of micro-USD (bigint), never a float. */
export const MICROS_PER_USD = 1_000_000n;

const DECIMAL = /^(0|[1-9]\d*)(?:\.(\d+))?$/;

/**
 * Parses a decimal USD amount such as `"2.50"` into integer micro-USD (`2_500_000n`) without ever going
 * through a float, so `"0.1"` is exactly 100_000 micros. Accepts plain non-negative decimals only (no sign,
 * exponent, spaces or thousands separators) with at most six fractional digits: a seventh would be a
 * fraction of a micro-USD, which the ledger cannot hold. The error is a sentence fragment a validator can
 * prefix with the field name.
 */
export function parseUsdMicros(text: string): Result<bigint, string> {
  const match = DECIMAL.exec(text);
  if (!match)
    return fail(`must be a non-negative decimal USD amount such as "2.50"; got ${JSON.stringify(text)}`);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > 6) {
    return fail(`has ${fraction.length} decimal places; at most 6 fit in micro-USD (got "${text}")`);
  }
  return ok(BigInt(whole) * MICROS_PER_USD + BigInt(fraction.padEnd(6, '0')));
}

/**
 * Formats integer micro-USD as a decimal USD string: at least `minDecimals` fractional digits (default 2,
 * so prices read "2.50"), trailing zeros beyond that trimmed, never rounded (`75_000n` → "0.075").
 * The inverse of {@link parseUsdMicros} for non-negative amounts.
 */
export function formatUsdMicros(micros: bigint, minDecimals = 2): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / MICROS_PER_USD;
  let fraction = (abs % MICROS_PER_USD).toString().padStart(6, '0');
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${negative ? '-' : ''}${whole}${fraction.length > 0 ? `.${fraction}` : ''}`;
}

/** ⌊n / d⌉ with halves rounded up, for non-negative n and positive d. */
export function divideRoundHalfUp(n: bigint, d: bigint): bigint {
  return (n + d / 2n) / d;
}

/** ⌈n / d⌉ for non-negative n and positive d. */
export function divideCeil(n: bigint, d: bigint): bigint {
  return (n + d - 1n) / d;
}
