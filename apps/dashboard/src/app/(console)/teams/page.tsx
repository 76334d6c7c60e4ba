import type { Metadata } from 'next';
import Link from 'next/link';
import { Table, type TableColumn } from '@/components/ui/table';
import { getAdminContext } from '@/server/admin-context';
import { consolePageAccess } from '@/server/console-session';
import { can } from '@/server/permissions';
import { listTeams } from '@/server/teams';
import { CreateTeamDialog } from './create-team-dialog';

export const metadata: Metadata = { title: 'Teams' };

const COLUMNS: readonly TableColumn[] = [
  { label: 'Name', gutter: true },
  { label: 'Members', align: 'right' },
  { label: 'Keys', align: 'right' },
  { label: 'RPM / TPM', align: 'right', gutter: true },
];

export default async function TeamsPage() {
  const { actor } = await consolePageAccess('read');
  const teams = await listTeams(getAdminContext(), actor);
  const own = actor.teamId;

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Teams</h1>
          <p className="mt-1 text-sm text-slate-600">
            A team groups keys under shared limits and budgets; its members manage its keys.
          </p>
        </div>
        {can(actor, 'config.write') && <CreateTeamDialog />}
      </div>
      <section
        aria-labelledby="teams-heading"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <h2 id="teams-heading" className="px-6 pt-5 text-base font-semibold">
          All teams <span className="text-sm font-normal text-slate-500">({teams.items.length})</span>
        </h2>
        {teams.items.length === 0 ? (
          <p className="px-6 py-8 text-sm text-slate-500">No teams yet.</p>
        ) : (
          <Table columns={COLUMNS}>
            {teams.items.map((team) => (
              <tr key={team.id} data-testid="team-row" data-team-name={team.name}>
                <td className="px-6 py-2 whitespace-nowrap font-medium">
                  <Link href={`/teams/${team.id}`} className="text-indigo-700 hover:underline">
                    {team.name}
                  </Link>
                  {team.id === own && <span className="ml-2 text-xs text-slate-500">(your team)</span>}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{team.memberCount}</td>
                <td className="px-3 py-2 text-right tabular-nums">{team.keyCount}</td>
                <td className="px-6 py-2 text-right whitespace-nowrap tabular-nums text-slate-600">
                  {team.rpmLimit ?? '∞'} / {team.tpmLimit ?? '∞'}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </div>
  );
}
