import { describe, expect, it } from 'vitest';
import { divideCeil, divideRoundHalfUp, formatUsdMicros, parseUsdMicros } from './usd-micros';

describe('parseUsdMicros', () => {
  it('reads decimal USD exactly into integer micro-USD', () => {
    expect(parseUsdMicros('2.50')).toEqual({ ok: true, value: 2_500_000n });
    expect(parseUsdMicros('0.1')).toEqual({ ok: true, value: 100_000n });
    expect(parseUsdMicros('0.075')).toEqual({ ok: true, value: 75_000n });
    expect(parseUsdMicros('0.000001')).toEqual({ ok: true, value: 1n });
    expect(parseUsdMicros('15')).toEqual({ ok: true, value: 15_000_000n });
    expect(parseUsdMicros('0')).toEqual({ ok: true, value: 0n });
  });

  it('keeps amounts far beyond float precision exact', () => {
    expect(parseUsdMicros('90071992547.409931')).toEqual({ ok: true, value: 90_071_992_547_409_931n });
  });

  it('refuses anything but a plain non-negative decimal', () => {
    for (const bad of ['-1', '1e-3', ' 2', '2.', '.5', '01.5', '1,000', 'abc', '', '+1']) {
      const result = parseUsdMicros(bad);
      expect(result.ok, bad).toBe(false);
    }
  });

  it('refuses a seventh decimal place, which would be a fraction of a micro-USD', () => {
    const result = parseUsdMicros('0.0000001');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('7 decimal places');
  });
});

describe('formatUsdMicros', () => {
  it('shows at least two decimals and trims trailing zeros beyond them', () => {
    expect(formatUsdMicros(2_500_000n)).toBe('2.50');
    expect(formatUsdMicros(10_000_000n)).toBe('10.00');
    expect(formatUsdMicros(75_000n)).toBe('0.075');
    expect(formatUsdMicros(1n)).toBe('0.000001');
    expect(formatUsdMicros(0n)).toBe('0.00');
    expect(formatUsdMicros(-1_230_000n)).toBe('-1.23');
    expect(formatUsdMicros(5_000_000n, 0)).toBe('5');
  });

  it('round-trips with parseUsdMicros', () => {
    for (const micros of [0n, 1n, 75_000n, 2_500_000n, 123_456_789n, 10n ** 15n + 7n]) {
      expect(parseUsdMicros(formatUsdMicros(micros))).toEqual({ ok: true, value: micros });
    }
  });
});

describe('integer division helpers', () => {
  it('rounds half up and ceils', () => {
    expect(divideRoundHalfUp(1_499_999n, 1_000_000n)).toBe(1n);
    expect(divideRoundHalfUp(1_500_000n, 1_000_000n)).toBe(2n);
    expect(divideRoundHalfUp(0n, 1_000_000n)).toBe(0n);
    expect(divideCeil(1_000_001n, 1_000_000n)).toBe(2n);
    expect(divideCeil(1_000_000n, 1_000_000n)).toBe(1n);
    expect(divideCeil(0n, 1_000_000n)).toBe(0n);
  });
});
