import type { Metadata } from 'next';
import { DialogButton } from '@/components/ui/dialog';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { listBudgets } from '@/server/budgets';
import { requireConsoleActor } from '@/server/console-session';
import { listKeys } from '@/server/keys';
import { MAX_PAGE_SIZE } from '@/server/pagination';
import { listTeams } from '@/server/teams';
import { BudgetCard } from './budget-card';
import { BudgetForm } from './budget-form';

export const metadata: Metadata = { title: 'Budgets' };

export default async function BudgetsPage() {
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  const [budgets, keys, teams] = await Promise.all([
    listBudgets(ctx, actor),
    listKeys(ctx, actor, { status: 'active', limit: MAX_PAGE_SIZE }),
    listTeams(ctx, actor),
  ]);
  const writable = canWrite(actor);
  const keyOptions = keys.items.map((key) => ({ id: key.id, name: `${key.name} (${key.prefix}…)` }));
  const teamOptions = teams.items.map((team) => ({ id: team.id, name: team.name }));

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Budgets</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            Spend caps on a key, a team or the whole gateway. Hard budgets refuse a request whose worst-case
            cost would overrun them; soft budgets only alert. Spend is settled cost from the hourly rollups;
            reserved is what the routers hold for requests in flight.
          </p>
        </div>
        {writable && (
          <DialogButton label="Create budget" title="Create budget" size="xl" testId="create-budget-dialog">
            <BudgetForm keys={keyOptions} teams={teamOptions} />
          </DialogButton>
        )}
      </div>

      <section aria-labelledby="budgets-heading">
        <h2 id="budgets-heading" className="text-base font-semibold">
          All budgets <span className="text-sm font-normal text-slate-500">({budgets.items.length})</span>
        </h2>
        {budgets.items.length === 0 ? (
          <p className="mt-3 text-sm text-slate-500">No budgets yet.</p>
        ) : (
          <ul className="mt-3 space-y-4">
            {budgets.items.map((budget) => (
              <BudgetCard
                key={budget.id}
                budget={budget}
                keys={keyOptions}
                teams={teamOptions}
                writable={writable}
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
