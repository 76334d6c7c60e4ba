import { describe, expect, it } from 'vitest';
import {
  type BudgetDefinition,
  budgetExceededError,
  DEFAULT_ALERT_THRESHOLDS,
  validateBudgetDefinition,
} from './budget-definition';

const valid: BudgetDefinition = {
  id: 'bud_1',
  name: 'Team A monthly',
  scope: 'team',
  scopeId: 'team_a',
  period: 'monthly',
  mode: 'hard',
  limitMicros: 100_000_000n,
  alertThresholds: DEFAULT_ALERT_THRESHOLDS,
  timeZone: 'Europe/Berlin',
};

describe('validateBudgetDefinition', () => {
  it('accepts a well-formed budget, defaults included', () => {
    expect(DEFAULT_ALERT_THRESHOLDS).toEqual([50, 80, 100]);
    expect(validateBudgetDefinition(valid)).toEqual([]);
    expect(
      validateBudgetDefinition({ ...valid, scope: 'global', scopeId: null, alertThresholds: [120] }),
    ).toEqual([]);
  });

  it('names each field at fault', () => {
    const fields = (b: Partial<BudgetDefinition>) =>
      validateBudgetDefinition({ ...valid, ...b }).map((i) => i.field);
    expect(fields({ scope: 'global' })).toEqual(['scopeId']);
    expect(fields({ scopeId: null })).toEqual(['scopeId']);
    expect(fields({ limitMicros: -1n })).toEqual(['limitMicros']);
    expect(fields({ alertThresholds: [80, 50] })).toEqual(['alertThresholds']);
    expect(fields({ alertThresholds: [50, 50] })).toEqual(['alertThresholds']);
    expect(fields({ alertThresholds: [0.5] })).toEqual(['alertThresholds']);
    expect(fields({ timeZone: 'Europe/Atlantis' })).toEqual(['timeZone']);
    expect(fields({ id: '', name: ' ' })).toEqual(['id', 'name']);
  });
});

describe('budgetExceededError', () => {
  it('is a 429 budget_exceeded naming the budget and what is left', () => {
    const error = budgetExceededError(valid, 1_250_000n);
    expect(error.code).toBe('budget_exceeded');
    expect(error.status).toBe(429);
    expect(error.message).toContain('"Team A monthly"');
    expect(error.message).toContain('$1.25 left');
    expect(budgetExceededError(valid, -5n).message).toContain('$0.00 left');
  });
});
