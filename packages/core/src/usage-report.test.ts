import { describe, expect, it } from 'vitest';
import {
  emptyUsageReport,
  isUsageReportComplete,
  MAX_REPORTED_TOKENS,
  readTokenCount,
  type UsageReport,
  usageCountReader,
} from './usage-report';

describe('readTokenCount', () => {
  it('reads non-negative integers in bounds; absent is undefined; anything else is unreadable (null)', () => {
    expect(readTokenCount(0)).toBe(0);
    expect(readTokenCount(11)).toBe(11);
    expect(readTokenCount(MAX_REPORTED_TOKENS)).toBe(MAX_REPORTED_TOKENS);
    expect(readTokenCount(undefined)).toBeUndefined();
    expect(readTokenCount(null)).toBeUndefined();
    for (const bad of [
      11.5,
      '11',
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1e300,
      MAX_REPORTED_TOKENS + 1,
      {},
      [1],
      true,
    ]) {
      expect(readTokenCount(bad)).toBeNull();
    }
  });
});

describe('isUsageReportComplete', () => {
  const base: UsageReport = {
    inputTokens: 9,
    outputTokens: 4,
    totalTokens: 13,
    cachedInputTokens: 2,
    reasoningTokens: 1,
    cacheWriteTokens: null,
    malformed: false,
  };
  it('needs both sides, a matching total when sent, parts within totals, nothing malformed', () => {
    expect(isUsageReportComplete(base)).toBe(true);
    expect(isUsageReportComplete({ ...base, totalTokens: null })).toBe(true);
    expect(isUsageReportComplete({ ...base, totalTokens: 14 })).toBe(false);
    expect(isUsageReportComplete({ ...base, inputTokens: null })).toBe(false);
    expect(isUsageReportComplete({ ...base, outputTokens: null })).toBe(false);
    expect(isUsageReportComplete({ ...base, malformed: true })).toBe(false);
    expect(isUsageReportComplete({ ...base, cachedInputTokens: 5, cacheWriteTokens: 5 })).toBe(false);
    expect(isUsageReportComplete({ ...base, reasoningTokens: 5 })).toBe(false);
  });
});

describe('usageCountReader', () => {
  it('gives each count, null for an absent or unreadable one, and marks only an unreadable one malformed', () => {
    const report = emptyUsageReport();
    const count = usageCountReader(report);
    expect([count(12), count(undefined), count(null)]).toEqual([12, null, null]);
    expect(report.malformed).toBe(false);
    expect(count('12')).toBeNull();
    expect(report.malformed).toBe(true);
    const unreadable = emptyUsageReport(true);
    expect(unreadable.malformed).toBe(true);
    const { malformed: _, ...counts } = unreadable;
    expect(Object.values(counts)).toEqual([null, null, null, null, null, null]);
  });
});
