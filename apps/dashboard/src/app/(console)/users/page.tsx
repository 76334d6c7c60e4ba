import { USER_ROLES } from '@switchyard/db/admin';
import type { Metadata } from 'next';
import { LocalTime } from '@/components/local-time';
import { NotAllowed } from '@/components/not-allowed';
import { StatusBadge } from '@/components/ui/badge';
import { Table, type TableColumn } from '@/components/ui/table';
import { getAdminContext } from '@/server/admin-context';
import { consolePageAccess } from '@/server/console-session';
import { mayAssignRole } from '@/server/permissions';
import { listTeams } from '@/server/teams';
import { listUsers } from '@/server/users';
import { InviteUserDialog } from './invite-user-dialog';
import { UserControls } from './user-controls';

export const metadata: Metadata = { title: 'Users' };

const COLUMNS: readonly TableColumn[] = [
  { label: 'E-mail', gutter: true },
  { label: 'Name' },
  { label: 'Role' },
  { label: 'Team' },
  { label: 'Status' },
  { label: 'Created' },
  { label: 'Actions', srOnly: true, gutter: true },
];

export default async function UsersPage() {
  const { actor, allowed } = await consolePageAccess('users.manage');
  if (!allowed) return <NotAllowed title="Users" reason="Only owners and admins may manage users." />;
  const ctx = getAdminContext();
  const [users, teams] = await Promise.all([listUsers(ctx, actor), listTeams(ctx, actor)]);
  const roles = USER_ROLES.filter((role) => mayAssignRole(actor, role));
  const teamOptions = teams.items.map((team) => ({ id: team.id, name: team.name }));
  const self = actor.kind === 'user' ? actor.userId : null;

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
          <p className="mt-1 text-sm text-slate-600">
            Who may sign in to the console, with which role. Owners and admins manage everything (only owners
            manage owners); members manage their own team's keys; viewers read.
          </p>
        </div>
        <InviteUserDialog roles={roles} teams={teamOptions} />
      </div>

      <section
        aria-labelledby="users-heading"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <h2 id="users-heading" className="px-6 pt-5 text-base font-semibold">
          All users <span className="text-sm font-normal text-slate-500">({users.items.length})</span>
        </h2>
        <Table columns={COLUMNS}>
          {users.items.map((user) => (
            <tr key={user.id} data-testid="user-row" data-email={user.email}>
              <td className="px-6 py-2 whitespace-nowrap font-medium">{user.email}</td>
              <td className="px-3 py-2 text-slate-600">{user.name ?? '—'}</td>
              <td className="px-3 py-2" data-testid="user-role">
                {user.role}
              </td>
              <td className="px-3 py-2 text-slate-600">{user.teamName ?? '—'}</td>
              <td className="px-3 py-2" data-testid="user-status">
                <StatusBadge status={user.status} />
              </td>
              <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                <LocalTime iso={user.createdAt} />
              </td>
              <td className="px-6 py-2 text-right whitespace-nowrap">
                {user.id !== self && mayAssignRole(actor, user.role) ? (
                  <UserControls user={user} roles={roles} teams={teamOptions} />
                ) : (
                  <span className="text-xs text-slate-400">{user.id === self ? 'you' : 'owner'}</span>
                )}
              </td>
            </tr>
          ))}
        </Table>
      </section>
    </div>
  );
}
