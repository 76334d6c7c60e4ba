import { TRAFFIC_CLASSES } from '@switchyard/core';
import type { Metadata } from 'next';
import Link from 'next/link';
import { ExpiryCountdown } from '@/components/expiry-countdown';
import { KeysetPager } from '@/components/keyset-pager';
import { LocalTime } from '@/components/local-time';
import { StatusBadge } from '@/components/ui/badge';
import { HIDE_BELOW, STICKY_END_CELL, Table, type TableColumn, Truncate } from '@/components/ui/table';
import { getEnv } from '@/env';
import type { SearchParams } from '@/lib/listing-search-params';
import { getAdminContext } from '@/server/admin-context';
import { toAdminError } from '@/server/admin-error';
import { requireConsoleActor } from '@/server/console-session';
import { listKeys, listKeysQuery } from '@/server/keys';
import { can, keyTeamScope } from '@/server/permissions';
import { listRoutes } from '@/server/routes';
import { listTeams } from '@/server/teams';
import { CreateKeyDialog } from './create-key-dialog';
import { KeyCapturePayloadsForm } from './key-capture-payloads-form';
import { KeyFilters } from './key-filters';
import { KeyLimitsForm } from './key-limits-form';
import { keyListQuery } from './key-list-filters';
import { RevokeKeyButton } from './revoke-key-button';
import { RotateKeyButton } from './rotate-key-button';

export const metadata: Metadata = { title: 'API keys' };

const PAGE_SIZE = 50;

/** Phones and narrow windows drop the columns an operator reads least; name, status, limits and actions stay. */
const KEY_COLUMNS: readonly TableColumn[] = [
  { label: 'Name', gutter: true },
  { label: 'Prefix', hideBelow: 'sm' },
  { label: 'Team', hideBelow: 'lg' },
  { label: 'Environment', hideBelow: '2xl' },
  { label: 'Status' },
  { label: 'Models', hideBelow: 'lg' },
  { label: 'Traffic', hideBelow: '2xl' },
  { label: 'RPM / TPM' },
  { label: 'Payloads', hideBelow: 'xl' },
  { label: 'Last used', hideBelow: 'md' },
  { label: 'Created', hideBelow: '2xl' },
  { label: 'Expires', hideBelow: '2xl' },
];

export default async function KeysPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  const params = await searchParams;
  const { filters, cursor, query } = keyListQuery(params);
  const parsed = listKeysQuery.safeParse({ ...query, limit: PAGE_SIZE });
  const [listed, routes, teams] = await Promise.all([
    parsed.success
      ? listKeys(ctx, actor, parsed.data).catch((error: unknown) => toAdminError(error))
      : toAdminError(parsed.error),
    listRoutes(ctx, actor),
    listTeams(ctx, actor),
  ]);
  const keys = listed instanceof Error ? { items: [], nextCursor: null } : listed;
  // Members (and team tokens) manage only their own team's keys; the services enforce it, the form follows it.
  const scope = keyTeamScope(actor);
  const writable = can(actor, 'keys.write') && (scope === null || scope.teamId !== null);
  const teamName = new Map(teams.items.map((team) => [team.id, team.name]));
  const teamOptions = teams.items
    .filter((team) => scope === null || team.id === scope.teamId)
    .map((team) => ({ id: team.id, name: team.name }));
  const requested = filters.team;
  const defaultTeamId =
    scope?.teamId ?? (requested !== undefined && teamName.has(requested) ? requested : '');
  // Rotated keys usually share a name; the prefix tells them apart.
  const prefixById = new Map(keys.items.map((key) => [key.id, `${key.prefix}…`]));

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            Keys authenticate applications against the router. Only a digest is stored; the key itself is
            shown once.
          </p>
        </div>
        {writable && (
          <CreateKeyDialog
            routerUrl={getEnv().ROUTER_PUBLIC_URL}
            knownModels={routes.items.map((route) => route.publicModel)}
            trafficClasses={TRAFFIC_CLASSES}
            teams={teamOptions}
            defaultTeamId={defaultTeamId}
            teamFixed={scope !== null}
            // A team's page links here with `create=1`: "Create key in <team>" lands in the open form.
            openAtStart={params.create === '1'}
          />
        )}
      </div>
      {scope !== null && scope.teamId === null && (
        <p role="status" className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-700">
          You belong to no team, so you have no keys to manage. Ask an admin to add you to a team.
        </p>
      )}

      <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <KeyFilters initial={filters} teams={scope === null ? teamOptions : []} />
      </section>

      <section
        aria-labelledby="keys-heading"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <h2 id="keys-heading" className="px-6 pt-5 text-base font-semibold">
          {scope === null ? 'All keys' : 'Your team’s keys'}{' '}
          <span className="text-sm font-normal text-slate-500">
            ({keys.items.length}
            {keys.nextCursor ? ' newest shown' : ''})
          </span>
        </h2>
        {listed instanceof Error ? (
          <p role="alert" className="px-6 py-8 text-sm text-red-700">
            {listed.code === 'internal'
              ? 'The keys could not be read.'
              : `Check the filters: ${listed.message}`}
          </p>
        ) : keys.items.length === 0 ? (
          <p className="px-6 py-8 text-sm text-slate-500">
            {cursor
              ? 'No older keys.'
              : Object.keys(filters).length > 0
                ? 'No keys match these filters.'
                : 'No keys yet (revoked keys are hidden; choose a status to see them).'}
          </p>
        ) : (
          <Table
            columns={
              writable
                ? [...KEY_COLUMNS, { label: 'Actions', srOnly: true, gutter: true, stickyEnd: true }]
                : KEY_COLUMNS
            }
          >
            {keys.items.map((key) => (
              <tr key={key.id} data-testid="key-row" data-key-id={key.id}>
                <td className="px-6 py-2 whitespace-nowrap font-medium">
                  <Link href={`/keys/${key.id}`} className="underline-offset-2 hover:underline">
                    <Truncate text={key.name} className="max-w-[16rem]" />
                  </Link>
                </td>
                <td className={`px-3 py-2 whitespace-nowrap font-mono text-xs ${HIDE_BELOW.sm}`}>
                  {key.prefix}…
                </td>
                <td
                  className={`px-3 py-2 whitespace-nowrap text-slate-600 ${HIDE_BELOW.lg}`}
                  data-testid="key-team"
                >
                  <Truncate
                    text={key.teamId ? (teamName.get(key.teamId) ?? key.teamId) : '—'}
                    className="max-w-[12rem]"
                  />
                </td>
                <td className={`px-3 py-2 ${HIDE_BELOW['2xl']}`}>{key.environment}</td>
                <td className="px-3 py-2" data-testid="key-status">
                  <StatusBadge status={key.status} />
                  {key.rotatedTo && (
                    <span className="mt-1 block text-xs text-slate-500" data-testid="key-rotated-to">
                      rotated to {prefixById.get(key.rotatedTo) ?? key.rotatedTo}
                      {key.status === 'active' && key.expiresAt && (
                        <>
                          ; <ExpiryCountdown at={key.expiresAt} />
                        </>
                      )}
                    </span>
                  )}
                  {key.rotatedFrom && (
                    <span className="mt-1 block text-xs text-slate-500" data-testid="key-rotated-from">
                      replaces {prefixById.get(key.rotatedFrom) ?? key.rotatedFrom}
                    </span>
                  )}
                </td>
                <td className={`px-3 py-2 text-slate-600 ${HIDE_BELOW.lg}`}>
                  <Truncate text={key.allowedModels.length === 0 ? 'all' : key.allowedModels.join(', ')} />
                </td>
                <td className={`px-3 py-2 text-slate-600 ${HIDE_BELOW['2xl']}`} data-testid="key-traffic">
                  {key.defaultTrafficClass}
                  <span className="text-xs text-slate-400">
                    {' '}
                    ({key.allowedTrafficClasses.length === 0 ? 'any' : key.allowedTrafficClasses.join(', ')})
                  </span>
                </td>
                <td className="px-3 py-2 whitespace-nowrap text-slate-600" data-testid="key-limits">
                  {writable ? (
                    <KeyLimitsForm
                      id={key.id}
                      name={key.name}
                      rpmLimit={key.rpmLimit}
                      tpmLimit={key.tpmLimit}
                    />
                  ) : (
                    `${key.rpmLimit ?? '∞'} / ${key.tpmLimit ?? '∞'}`
                  )}
                </td>
                <td
                  className={`px-3 py-2 whitespace-nowrap text-slate-600 ${HIDE_BELOW.xl}`}
                  data-testid="key-payloads"
                >
                  {writable ? (
                    <KeyCapturePayloadsForm id={key.id} name={key.name} capturing={key.capturePayloads} />
                  ) : key.capturePayloads ? (
                    'captured'
                  ) : (
                    'off'
                  )}
                </td>
                <td className={`px-3 py-2 whitespace-nowrap text-slate-600 ${HIDE_BELOW.md}`}>
                  {key.lastUsedAt ? <LocalTime iso={key.lastUsedAt} /> : 'never'}
                </td>
                <td className={`px-3 py-2 whitespace-nowrap text-slate-600 ${HIDE_BELOW['2xl']}`}>
                  <LocalTime iso={key.createdAt} />
                </td>
                <td className={`px-3 py-2 whitespace-nowrap text-slate-600 ${HIDE_BELOW['2xl']}`}>
                  {key.expiresAt ? <LocalTime iso={key.expiresAt} /> : 'never'}
                </td>
                {writable && (
                  <td className={`px-6 py-2 text-right whitespace-nowrap ${STICKY_END_CELL}`}>
                    <RotateKeyButton
                      id={key.id}
                      name={key.name}
                      canRotate={key.status === 'active' && key.rotatedTo === null}
                    />
                    {key.status === 'active' && <RevokeKeyButton id={key.id} name={key.name} />}
                  </td>
                )}
              </tr>
            ))}
          </Table>
        )}
        <KeysetPager
          path="/keys"
          label="Key pages"
          filters={filters}
          cursor={cursor}
          nextCursor={keys.nextCursor}
        />
      </section>
    </div>
  );
}
