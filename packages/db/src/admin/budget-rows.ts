import type { BudgetDefinition } from '@switchyard/core';
import type { Prisma } from '../client';

/** The columns of a stored budget row that make its definition. */
export type BudgetDefinitionRow = Pick<
  Prisma.BudgetModel,
  'id' | 'name' | 'scope' | 'scopeId' | 'period' | 'mode' | 'limitMicros' | 'alertThresholds' | 'timeZone'
>;

/** The definition a stored budget row holds, without its delivery and bookkeeping columns. */
export function budgetDefinitionFromRow(row: BudgetDefinitionRow): BudgetDefinition {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    scopeId: row.scopeId,
    period: row.period,
    mode: row.mode,
    limitMicros: row.limitMicros,
    alertThresholds: row.alertThresholds,
    timeZone: row.timeZone,
  };
}
