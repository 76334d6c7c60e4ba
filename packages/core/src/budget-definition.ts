import { type GatewayError, gatewayError } from './gateway-error';
import { type BudgetPeriod, isValidTimeZone } from './period-window';
import { formatUsdMicros } from './usd-micros';

/** Whose spend a budget caps: one API key, one team, or the whole gateway. */
export type BudgetScope = 'key' | 'team' | 'global';

/** `hard` refuses a request that could overrun the limit (429 budget_exceeded); `soft` lets it through and alerts. */
export type BudgetMode = 'hard' | 'soft';

/** Alerts fire when spend reaches these percentages of the limit unless a budget sets its own. */
export const DEFAULT_ALERT_THRESHOLDS: readonly number[] = Object.freeze([50, 80, 100]);

/** A spend cap as configured. */
export interface BudgetDefinition {
  /** Readable-prefixed id (`bud_…`). */
  id: string;
  /** Shown in the refusal message and in alerts. */
  name: string;
  scope: BudgetScope;
  /** The key or team id; `null` for `global`. */
  scopeId: string | null;
  period: BudgetPeriod;
  mode: BudgetMode;
  /** Integer micro-USD per period. */
  limitMicros: bigint;
  /** Whole percentages of the limit, ascending, each firing once per period. Default 50/80/100. */
  alertThresholds: readonly number[];
  /** IANA zone whose midnight starts a day/week/month. Default "UTC". */
  timeZone: string;
}

/** A problem with a budget definition, naming the field. */
export interface BudgetDefinitionIssue {
  field: keyof BudgetDefinition;
  message: string;
}

/**
 * Checks a budget definition before it is saved, so the ledger never meets one it cannot enforce: a limit
 * that is not a non-negative integer, thresholds that are not whole percentages in 1..1000 (above 100 is
 * useful for soft budgets), a scope id that does not match the scope, or an unknown time zone.
 */
export function validateBudgetDefinition(budget: BudgetDefinition): BudgetDefinitionIssue[] {
  const issues: BudgetDefinitionIssue[] = [];
  if (budget.id.length === 0) issues.push({ field: 'id', message: 'must not be empty' });
  if (budget.name.trim().length === 0) issues.push({ field: 'name', message: 'must not be empty' });
  if ((budget.scope === 'global') !== (budget.scopeId === null)) {
    issues.push({
      field: 'scopeId',
      message: 'must be null for a global budget and set for a key or team budget',
    });
  }
  if (budget.limitMicros < 0n) issues.push({ field: 'limitMicros', message: 'must not be negative' });
  const t = budget.alertThresholds;
  if (
    t.some((p) => !Number.isInteger(p) || p < 1 || p > 1000) ||
    t.some((p, i) => i > 0 && p <= (t[i - 1] ?? 0))
  ) {
    issues.push({
      field: 'alertThresholds',
      message: 'must be whole percentages from 1 to 1000 in ascending order',
    });
  }
  if (!isValidTimeZone(budget.timeZone))
    issues.push({ field: 'timeZone', message: 'is not a known IANA time zone' });
  return issues;
}

/**
 * The 429 a hard budget refusal becomes, naming the budget and what is left, so the caller can tell a spent
 * budget from a rate limit. Retrying will not help until the period rolls over or the limit is raised.
 */
export function budgetExceededError(
  budget: Pick<BudgetDefinition, 'name' | 'period'>,
  remainingMicros: bigint,
): GatewayError {
  const left = remainingMicros > 0n ? remainingMicros : 0n;
  return gatewayError(
    'budget_exceeded',
    `Budget "${budget.name}" (${budget.period}) would be exceeded: $${formatUsdMicros(left)} left, not enough for this request's worst-case cost.`,
  );
}
