import type { Metadata } from 'next';
import { LocalTime } from '@/components/local-time';
import { NotAllowed } from '@/components/not-allowed';
import { StatusBadge } from '@/components/ui/badge';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Table, type TableColumn } from '@/components/ui/table';
import { getAdminContext } from '@/server/admin-context';
import { listAdminTokens } from '@/server/admin-tokens';
import { consolePageAccess } from '@/server/console-session';
import { listTeams } from '@/server/teams';
import { revokeTokenAction } from './actions';
import { CreateTokenDialog } from './create-token-dialog';

export const metadata: Metadata = { title: 'Admin API tokens' };

const COLUMNS: readonly TableColumn[] = [
  { label: 'Name', gutter: true },
  { label: 'Prefix' },
  { label: 'Scope' },
  { label: 'Team' },
  { label: 'Status' },
  { label: 'Last used' },
  { label: 'Expires' },
  { label: 'Created' },
  { label: 'Actions', srOnly: true, gutter: true },
];

export default async function TokensPage() {
  const { actor, allowed } = await consolePageAccess('tokens.manage');
  if (!allowed) {
    return (
      <NotAllowed title="Admin API tokens" reason="Only owners and admins may manage admin API tokens." />
    );
  }
  const ctx = getAdminContext();
  const [tokens, teams] = await Promise.all([listAdminTokens(ctx, actor), listTeams(ctx, actor)]);
  const teamName = new Map(teams.items.map((team) => [team.id, team.name]));

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Admin API tokens</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            Tokens let scripts call the admin API (<code className="font-mono">/api/admin/v1</code>) with a
            read or write scope, optionally for one team. Only a digest is stored; the token is shown once.
            The SWITCHYARD_ADMIN_TOKEN setting stays for bootstrapping the first users.
          </p>
        </div>
        <CreateTokenDialog
          teams={teams.items.map((team) => ({ id: team.id, name: team.name }))}
          adminApiUrl="/api/admin/v1"
        />
      </div>
      <section
        aria-labelledby="tokens-heading"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <h2 id="tokens-heading" className="px-6 pt-5 text-base font-semibold">
          Tokens <span className="text-sm font-normal text-slate-500">({tokens.items.length})</span>
        </h2>
        {tokens.items.length === 0 ? (
          <p className="px-6 py-8 text-sm text-slate-500">
            No tokens yet. Create one for each script that needs the API.
          </p>
        ) : (
          <Table columns={COLUMNS}>
            {tokens.items.map((token) => (
              <tr key={token.id} data-testid="token-row" data-token-name={token.name}>
                <td className="px-6 py-2 whitespace-nowrap font-medium">{token.name}</td>
                <td className="px-3 py-2 whitespace-nowrap font-mono text-xs">{token.prefix}…</td>
                <td className="px-3 py-2">{token.scope}</td>
                <td className="px-3 py-2 text-slate-600">
                  {token.teamId ? (teamName.get(token.teamId) ?? token.teamId) : 'every team'}
                </td>
                <td className="px-3 py-2" data-testid="token-status">
                  <StatusBadge status={token.status} />
                </td>
                <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                  {token.lastUsedAt ? <LocalTime iso={token.lastUsedAt} /> : 'never'}
                </td>
                <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                  {token.expiresAt ? <LocalTime iso={token.expiresAt} /> : 'never'}
                </td>
                <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                  <LocalTime iso={token.createdAt} />
                </td>
                <td className="px-6 py-2 text-right whitespace-nowrap">
                  {token.status === 'active' && (
                    <ConfirmButton
                      label="Revoke"
                      title={`Revoke ${token.name}?`}
                      description="Scripts using this token get 401 from their next call. This cannot be undone."
                      confirmLabel="Revoke token"
                      destructive
                      ariaLabel={`Revoke ${token.name}`}
                      run={revokeTokenAction.bind(null, token.id)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </div>
  );
}
