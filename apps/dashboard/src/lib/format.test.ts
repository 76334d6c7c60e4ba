import { describe, expect, it } from 'vitest';
import {
  formatDecimalUsd,
  formatDuration,
  formatMicrosUsd,
  formatPercent,
  formatUsdNumber,
  formatUtc,
  microsToUsdNumber,
} from './format';

describe('formatMicrosUsd', () => {
  it.each([
    ['0', '$0.00'],
    ['1', '$0.000001'],
    ['1234', '$0.001234'],
    ['2500000', '$2.50'],
    ['1234567890', '$1,234.56789'],
    ['-1500000', '-$1.50'],
  ])('%s micro-USD reads %s', (micros, expected) => {
    expect(formatMicrosUsd(micros)).toBe(expected);
  });

  it('stays exact beyond the float range', () => {
    expect(formatMicrosUsd(9007199254740993123n)).toBe('$9,007,199,254,740.993123');
  });
});

describe('formatUsdNumber', () => {
  it('reads a chart value back as dollars, rounded to the micro-dollar', () => {
    expect(formatUsdNumber(microsToUsdNumber('14300'))).toBe('$0.0143');
    expect(formatUsdNumber(2.5)).toBe('$2.50');
    expect(formatUsdNumber(0.0000004)).toBe('$0.00');
  });
});

describe('formatUtc', () => {
  it('renders ISO times as UTC and null as a dash', () => {
    expect(formatUtc('2025-03-04T05:06:07.890Z')).toBe('2025-03-04 05:06:07 UTC');
    expect(formatUtc(null)).toBe('—');
  });
});

describe('formatDuration', () => {
  it.each([
    [-5, '0 ms'],
    [850, '850 ms'],
    [1_499, '1 s'],
    [59_400, '59 s'],
    [90_000, '2 min'],
    [7_200_000, '2 h'],
  ])('%s ms reads %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('formatPercent', () => {
  it('renders a 0..1 ratio with one decimal, and null as a dash', () => {
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('formatDecimalUsd', () => {
  it('writes a decimal dollar string (a price) the way formatMicrosUsd writes micros', () => {
    expect(formatDecimalUsd('2.5')).toBe('$2.50');
    expect(formatDecimalUsd('1250')).toBe('$1,250.00');
    expect(formatDecimalUsd('0.000150')).toBe('$0.00015');
    expect(formatDecimalUsd('-3.10')).toBe('-$3.10');
  });

  it('keeps digits beyond micro-dollars rather than rounding a price', () => {
    expect(formatDecimalUsd('0.0000005')).toBe('$0.0000005');
  });

  it('passes through what is not a decimal', () => {
    expect(formatDecimalUsd('n/a')).toBe('n/a');
  });
});
