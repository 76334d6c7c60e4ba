import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settleUsage } from './settle-usage';
import { emptyUsageReport, type UsageReport } from './usage-report';

const GUESS = { inputTokens: 8, outputTokens: 14 };
const guess = () => GUESS;

function report(fields: Partial<UsageReport>): UsageReport {
  return { ...emptyUsageReport(), ...fields };
}

const usage = (inputTokens: number, outputTokens: number, parts: Partial<Record<string, number>> = {}) => ({
  inputTokens,
  outputTokens,
  cachedInputTokens: parts.cached ?? 0,
  reasoningTokens: parts.reasoning ?? 0,
  cacheWriteTokens: parts.cacheWrite ?? 0,
});

describe('settleUsage', () => {
  it('bills a complete, valid report as reported, without estimating', () => {
    const settled = settleUsage(
      report({ inputTokens: 9, outputTokens: 4, totalTokens: 13, cachedInputTokens: 2, reasoningTokens: 1 }),
      () => {
        throw new Error('must not estimate');
      },
    );
    expect(settled).toEqual({ usage: usage(9, 4, { cached: 2, reasoning: 1 }), estimated: false });
    expect(settleUsage(report({ inputTokens: 0, outputTokens: 0 }), guess)).toEqual({
      usage: usage(0, 0),
      estimated: false,
    });
  });

  it('estimates what is missing, from what is known, flagged', () => {
    expect(settleUsage(null, guess)).toEqual({ usage: usage(8, 14), estimated: true });
    expect(settleUsage(report({}), guess)).toEqual({ usage: usage(8, 14), estimated: true });
    // Only the total: split with the estimated prompt.
    expect(settleUsage(report({ totalTokens: 18 }), guess)).toEqual({ usage: usage(8, 10), estimated: true });
    expect(settleUsage(report({ totalTokens: 5 }), guess)).toEqual({ usage: usage(5, 0), estimated: true });
    // One side and the total: the other is their difference; without a usable total, the estimate.
    expect(settleUsage(report({ outputTokens: 7, totalTokens: 20 }), guess).usage).toEqual(usage(13, 7));
    expect(settleUsage(report({ inputTokens: 9, totalTokens: 20 }), guess).usage).toEqual(usage(9, 11));
    expect(settleUsage(report({ inputTokens: 9, totalTokens: 3 }), guess).usage).toEqual(usage(9, 14));
    expect(settleUsage(report({ inputTokens: 9 }), guess)).toEqual({ usage: usage(9, 14), estimated: true });
  });

  it('flags what is inconsistent or malformed, keeping the counts it can read', () => {
    expect(settleUsage(report({ inputTokens: 9, outputTokens: 4, totalTokens: 99 }), guess)).toEqual({
      usage: usage(9, 4),
      estimated: true,
    });
    expect(settleUsage(report({ inputTokens: 9, outputTokens: 4, malformed: true }), guess).estimated).toBe(
      true,
    );
    // Parts beyond their totals are clamped into them.
    expect(
      settleUsage(
        report({
          inputTokens: 9,
          outputTokens: 4,
          cachedInputTokens: 7,
          cacheWriteTokens: 7,
          reasoningTokens: 5,
        }),
        guess,
      ),
    ).toEqual({ usage: usage(9, 4, { cached: 7, cacheWrite: 2, reasoning: 4 }), estimated: true });
  });

  it('always returns non-negative integers, parts within totals, unflagged only for a complete report', () => {
    const count = fc.option(fc.nat({ max: 1_000_000 }), { nil: null });
    const reports = fc.option(
      fc.record({
        inputTokens: count,
        outputTokens: count,
        totalTokens: count,
        cachedInputTokens: count,
        reasoningTokens: count,
        cacheWriteTokens: count,
        malformed: fc.boolean(),
      }),
      { nil: null },
    );
    const estimates = fc.record({
      inputTokens: fc.nat({ max: 10_000 }),
      outputTokens: fc.nat({ max: 10_000 }),
    });
    fc.assert(
      fc.property(reports, estimates, (reported, estimate) => {
        const { usage: u, estimated } = settleUsage(reported, () => estimate);
        for (const value of Object.values(u)) expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
        expect(u.cachedInputTokens + (u.cacheWriteTokens ?? 0)).toBeLessThanOrEqual(u.inputTokens);
        expect(u.reasoningTokens ?? 0).toBeLessThanOrEqual(u.outputTokens);
        if (!estimated) {
          expect(reported?.malformed).toBe(false);
          expect([u.inputTokens, u.outputTokens]).toEqual([reported?.inputTokens, reported?.outputTokens]);
        }
      }),
    );
  });
});
