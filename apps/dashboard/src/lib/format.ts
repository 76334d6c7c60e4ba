const MICROS_PER_USD = 1_000_000n;

/**
 * Integer micro-USD (as the API sends it, a decimal string) → "$1,234.50", "$0.000123". Exact: no floats.
 * Shows at least cents and at most micro-dollars.
 */
export function formatMicrosUsd(micros: string | bigint): string {
  const value = BigInt(micros);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const dollars = (abs / MICROS_PER_USD).toLocaleString('en-US');
  const fraction = (abs % MICROS_PER_USD).toString().padStart(6, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${sign}$${dollars}.${fraction}`;
}

/**
 * A decimal dollar string (prices come as `Decimal` strings) → the same "$1,234.50" form as {@link formatMicrosUsd}.
 * Digits beyond micro-dollars are kept, not rounded: a price is shown as it is stored. Anything else is returned as is.
 */
export function formatDecimalUsd(value: string): string {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(value.trim());
  if (!match) return value;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > 6) {
    return `${sign}$${BigInt(whole).toLocaleString('en-US')}.${significant}`;
  }
  return formatMicrosUsd(BigInt(`${sign}${whole}${significant.padEnd(6, '0')}`));
}

/** Micro-USD → dollars as a number, for chart axes only (display, never arithmetic on money). */
export function microsToUsdNumber(micros: string): number {
  return Number(micros) / 1_000_000;
}

/** A dollar amount from a chart axis or tooltip ({@link microsToUsdNumber}'s output) → "$0.0143". */
export function formatUsdNumber(usd: number): string {
  return formatMicrosUsd(BigInt(Math.round(usd * 1_000_000)));
}

/** ISO time → "2025-01-31 14:05:09 UTC". Deterministic on server and client, so hydration never differs. */
export function formatUtc(iso: string | null): string {
  if (iso === null) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** ISO hour start → "14:00" (UTC) for chart ticks. */
export function formatUtcHour(iso: string): string {
  return iso.slice(11, 16);
}

export function formatInteger(value: number | null): string {
  return value === null ? '—' : value.toLocaleString('en-US');
}

export function formatMs(value: number | null): string {
  return value === null ? '—' : `${value.toLocaleString('en-US')} ms`;
}

/** A 0..1 ratio → "12.5%". */
export function formatPercent(ratio: number | null): string {
  return ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`;
}

/** A duration in ms → "850 ms", "12 s", "3 min", "2 h": coarse, for "how long ago" and "how long left". */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, ms);
  if (abs < 1_000) return `${Math.round(abs)} ms`;
  if (abs < 60_000) return `${Math.round(abs / 1_000)} s`;
  if (abs < 3_600_000) return `${Math.round(abs / 60_000)} min`;
  return `${Math.round(abs / 3_600_000)} h`;
}
