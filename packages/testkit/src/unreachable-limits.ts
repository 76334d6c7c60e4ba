import type { PrismaClient } from '@switchyard/db';
import { newId } from '@switchyard/db';

/** Limits no test or bench run can reach: every check runs on every request, no refusal ever happens. */
export const UNREACHABLE_LIMITS = { rpmLimit: 100_000_000, tpmLimit: 1_000_000_000 } as const;
const UNREACHABLE_BUDGET_MICROS = 1_000_000_000_000n; // $1,000,000

/**
 * Creates a team under {@link UNREACHABLE_LIMITS} and hard budgets far above any spend on the key `keyId`
 * (monthly), that team (daily) and the whole gateway (total). The key itself is the caller's to create or update
 * with `teamId` and the same limits, last: a router snapshot that sees the key then also has its team and budgets.
 */
export async function createUnreachableTeamAndBudgets(
  prisma: PrismaClient,
  keyId: string,
  name: string,
): Promise<{ teamId: string }> {
  const team = await prisma.team.create({ data: { id: newId('team'), name, ...UNREACHABLE_LIMITS } });
  const budgets = [
    { scope: 'key', scopeId: keyId, period: 'monthly' },
    { scope: 'team', scopeId: team.id, period: 'daily' },
    { scope: 'global', scopeId: null, period: 'total' },
  ] as const;
  for (const budget of budgets) {
    await prisma.budget.create({
      data: {
        id: newId('bud'),
        name: `${name} ${budget.scope}`,
        ...budget,
        mode: 'hard',
        limitMicros: UNREACHABLE_BUDGET_MICROS,
      },
    });
  }
  return { teamId: team.id };
}
