import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { LocalTime } from '@/components/local-time';
import { StatusBadge } from '@/components/ui/badge';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { buttonClass } from '@/components/ui/styles';
import { Table, type TableColumn } from '@/components/ui/table';
import { getAdminContext } from '@/server/admin-context';
import { AdminError } from '@/server/admin-error';
import { consolePageAccess } from '@/server/console-session';
import { listKeys } from '@/server/keys';
import { MAX_PAGE_SIZE } from '@/server/pagination';
import { can } from '@/server/permissions';
import { getTeam } from '@/server/teams';
import { listUsers } from '@/server/users';
import { deleteTeamAction } from '../actions';

export const metadata: Metadata = { title: 'Team' };

const KEY_COLUMNS: readonly TableColumn[] = [
  { label: 'Name', gutter: true },
  { label: 'Prefix' },
  { label: 'Status' },
  { label: 'Last used', gutter: true },
];
const MEMBER_COLUMNS: readonly TableColumn[] = [
  { label: 'E-mail', gutter: true },
  { label: 'Role' },
  { label: 'Status', gutter: true },
];

export default async function TeamPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { actor } = await consolePageAccess('read');
  const ctx = getAdminContext();
  const team = await getTeam(ctx, actor, id).catch((error: unknown) => {
    if (error instanceof AdminError && error.code === 'not_found') notFound();
    throw error;
  });
  const [keys, members] = await Promise.all([
    listKeys(ctx, actor, { teamId: id, limit: MAX_PAGE_SIZE }),
    can(actor, 'users.manage') ? listUsers(ctx, actor, { teamId: id }) : null,
  ]);
  const managesKeys = can(actor, 'keys.write') && (actor.role !== 'member' || actor.teamId === id);

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <p className="text-sm text-slate-500">
            <Link href="/teams" className="hover:underline">
              Teams
            </Link>{' '}
            /
          </p>
          <h1 className="text-2xl font-semibold tracking-tight break-words">{team.name}</h1>
          <p className="mt-1 text-sm text-slate-600">
            Limits across its keys: {team.rpmLimit ?? '∞'} requests and {team.tpmLimit ?? '∞'} tokens per
            minute.
          </p>
        </div>
        <div className="flex min-w-0 flex-wrap gap-2">
          {managesKeys && (
            <Link href={`/keys?team=${team.id}&create=1`} className={`max-w-full ${buttonClass('primary')}`}>
              Create key in <span className="ml-1 min-w-0 truncate">{team.name}</span>
            </Link>
          )}
          {can(actor, 'config.write') && (
            <ConfirmButton
              label="Delete team"
              title={`Delete ${team.name}?`}
              description="Refused while keys belong to the team. Its members stay, without a team."
              confirmLabel="Delete team"
              destructive
              ariaLabel={`Delete ${team.name}`}
              run={deleteTeamAction.bind(null, team.id)}
            />
          )}
        </div>
      </div>

      {members && (
        <section
          aria-labelledby="members-heading"
          className="rounded-xl border border-slate-200 bg-white shadow-sm"
        >
          <h2 id="members-heading" className="px-6 pt-5 text-base font-semibold">
            Members <span className="text-sm font-normal text-slate-500">({members.items.length})</span>
          </h2>
          {members.items.length === 0 ? (
            <p className="px-6 py-6 text-sm text-slate-500">
              No members. Invite users into this team on the{' '}
              <Link href="/users" className="underline">
                Users
              </Link>{' '}
              page.
            </p>
          ) : (
            <Table columns={MEMBER_COLUMNS}>
              {members.items.map((user) => (
                <tr key={user.id} data-testid="member-row">
                  <td className="px-6 py-2 font-medium">{user.email}</td>
                  <td className="px-3 py-2">{user.role}</td>
                  <td className="px-6 py-2">
                    <StatusBadge status={user.status} />
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </section>
      )}

      <section
        aria-labelledby="team-keys-heading"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <h2 id="team-keys-heading" className="px-6 pt-5 text-base font-semibold">
          Keys <span className="text-sm font-normal text-slate-500">({keys.items.length})</span>
        </h2>
        {keys.items.length === 0 ? (
          <p className="px-6 py-6 text-sm text-slate-500">
            {actor.role === 'member' && actor.teamId !== id
              ? "You see only your own team's keys."
              : 'No keys in this team.'}
          </p>
        ) : (
          <Table columns={KEY_COLUMNS}>
            {keys.items.map((key) => (
              <tr key={key.id} data-testid="team-key-row">
                <td className="px-6 py-2 font-medium">{key.name}</td>
                <td className="px-3 py-2 font-mono text-xs">{key.prefix}…</td>
                <td className="px-3 py-2">
                  <StatusBadge status={key.status} />
                </td>
                <td className="px-6 py-2 whitespace-nowrap text-slate-600">
                  {key.lastUsedAt ? <LocalTime iso={key.lastUsedAt} /> : 'never'}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </div>
  );
}
