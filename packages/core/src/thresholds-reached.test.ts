import { describe, expect, it } from 'vitest';
import { type BudgetDefinition, DEFAULT_ALERT_THRESHOLDS } from './budget-definition';
import type { BudgetRecord } from './config-snapshot';
import { END_OF_TIME } from './period-window';
import { thresholdsReached } from './thresholds-reached';

const DEC_1 = Date.parse('2026-12-01T00:00:00Z');
const AT = Date.parse('2026-12-06T05:00:00Z');

function record(spentMicros: bigint, overrides: Partial<BudgetDefinition> = {}): BudgetRecord {
  return {
    definition: {
      id: 'bud_1',
      name: 'team monthly',
      scope: 'global',
      scopeId: null,
      period: 'monthly',
      mode: 'soft',
      limitMicros: 1_000_000n,
      alertThresholds: DEFAULT_ALERT_THRESHOLDS,
      timeZone: 'UTC',
      ...overrides,
    },
    webhookUrl: null,
    spentMicros,
    spentSince: overrides.period === 'total' ? 0 : DEC_1,
  };
}

describe('thresholdsReached', () => {
  it('lists every threshold the spend has reached, in the period the spend covers', () => {
    expect(thresholdsReached(record(799_999n), AT)).toEqual([
      {
        budgetId: 'bud_1',
        budgetName: 'team monthly',
        mode: 'soft',
        threshold: 50,
        spentMicros: 799_999n,
        limitMicros: 1_000_000n,
        periodStart: DEC_1,
        periodEnd: Date.parse('2027-01-01T00:00:00Z'),
        at: AT,
      },
    ]);
    expect(thresholdsReached(record(800_000n), AT).map((c) => c.threshold)).toEqual([50, 80]);
    expect(thresholdsReached(record(5_000_000n), AT).map((c) => c.threshold)).toEqual([50, 80, 100]);
  });

  it('lists nothing below the first threshold, or when nothing was spent (even of a zero limit)', () => {
    expect(thresholdsReached(record(499_999n), AT)).toEqual([]);
    expect(thresholdsReached(record(0n), AT)).toEqual([]);
    expect(thresholdsReached(record(0n, { limitMicros: 0n }), AT)).toEqual([]);
    expect(thresholdsReached(record(1n, { limitMicros: 0n }), AT).map((c) => c.threshold)).toEqual([
      50, 80, 100,
    ]);
  });

  it('ends a total budget at the end of time', () => {
    const [crossing] = thresholdsReached(record(600_000n, { period: 'total', alertThresholds: [60] }), AT);
    expect(crossing).toMatchObject({ threshold: 60, periodStart: 0, periodEnd: END_OF_TIME });
  });
});
