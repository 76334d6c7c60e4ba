import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ExpiryCountdown } from '@/components/expiry-countdown';
import { Fact } from '@/components/fact';
import { LocalTime } from '@/components/local-time';
import { StatusBadge } from '@/components/ui/badge';
import { type TableColumn, TableHead } from '@/components/ui/table';
import { formatInteger, formatMicrosUsd, formatMs } from '@/lib/format';
import type { SearchParams } from '@/lib/listing-search-params';
import { getAdminContext } from '@/server/admin-context';
import { AdminError } from '@/server/admin-error';
import { requireConsoleActor } from '@/server/console-session';
import { getKeyActivity, keyActivityQuery, keyActivityWindows } from '@/server/key-activity';
import { can, keyTeamScope } from '@/server/permissions';
import { HourlyChart } from '../../usage/hourly-chart';
import { RevokeKeyButton } from '../revoke-key-button';
import { RotateKeyButton } from '../rotate-key-button';
import { KeySettingsDialog } from './key-settings-dialog';
import { ScheduleRevocationDialog } from './schedule-revocation-dialog';

export const metadata: Metadata = { title: 'API key' };

const REQUEST_COLUMNS: readonly TableColumn[] = [
  { label: 'When', gutter: true },
  { label: 'Request' },
  { label: 'Model' },
  { label: 'Status' },
  { label: 'Latency' },
  { label: 'Tokens' },
  { label: 'Cost', gutter: true },
];

const section = 'rounded-xl border border-slate-200 bg-white p-6 shadow-sm';

export default async function KeyPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requireConsoleActor();
  const { id: rawId } = await params;
  const id = decodeURIComponent(rawId);
  const window = keyActivityQuery.safeParse({ hours: (await searchParams).hours });
  const hours = window.success ? window.data.hours : 24;
  const activity = await getKeyActivity(getAdminContext(), actor, id, hours).catch((error: unknown) => {
    if (error instanceof AdminError && error.code === 'not_found') notFound();
    throw error;
  });
  const { key } = activity;
  const scope = keyTeamScope(actor);
  const writable = can(actor, 'keys.write') && (scope === null || scope.teamId !== null);
  const active = key.status === 'active';
  const totals = activity.hourly.reduce(
    (sum, hour) => ({
      requests: sum.requests + hour.requests,
      errors: sum.errors + hour.errors,
      costMicros: sum.costMicros + BigInt(hour.costMicros),
    }),
    { requests: 0, errors: 0, costMicros: 0n },
  );

  return (
    <div className="space-y-8">
      <div>
        <Link href="/keys" className="text-sm text-slate-600 underline">
          ← API keys
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight" data-testid="key-name">
            {key.name}
          </h1>
          <StatusBadge status={key.status} />
          <span className="font-mono text-sm text-slate-500">{key.prefix}…</span>
        </div>
        {writable && (
          <div className="mt-4 flex flex-wrap gap-2">
            <KeySettingsDialog
              id={key.id}
              initial={{
                name: key.name,
                allowedModels: key.allowedModels,
                tags: key.tags,
                rpmLimit: key.rpmLimit,
                tpmLimit: key.tpmLimit,
              }}
            />
            <RotateKeyButton id={key.id} name={key.name} canRotate={active && key.rotatedTo === null} />
            {active && key.rotatedTo === null && (
              <ScheduleRevocationDialog id={key.id} revokeAt={key.expiresAt} />
            )}
            {active && <RevokeKeyButton id={key.id} name={key.name} />}
          </div>
        )}
      </div>

      <section aria-labelledby="lifetime-heading" className={section}>
        <h2 id="lifetime-heading" className="text-base font-semibold">
          Lifetime
        </h2>
        <p className="mt-2 text-sm text-slate-700" data-testid="key-lifetime">
          {key.revokedAt ? (
            <>
              Revoked <LocalTime iso={key.revokedAt} />.
            </>
          ) : key.rotatedTo && key.expiresAt ? (
            <>
              Rotated to{' '}
              <Link href={`/keys/${key.rotatedTo}`} className="underline">
                its successor
              </Link>
              ; this key {active ? 'stops' : 'stopped'} at <LocalTime iso={key.expiresAt} />
              {active && (
                <>
                  {' '}
                  (<ExpiryCountdown at={key.expiresAt} />)
                </>
              )}
              .
            </>
          ) : key.expiresAt ? (
            <>
              {active ? 'Revokes' : 'Stopped'} at <LocalTime iso={key.expiresAt} />
              {active && (
                <>
                  {' '}
                  (<ExpiryCountdown at={key.expiresAt} />)
                </>
              )}
              .
            </>
          ) : (
            'No stop time: the key works until it is revoked.'
          )}
          {key.rotatedFrom && (
            <>
              {' '}
              It replaced{' '}
              <Link href={`/keys/${key.rotatedFrom}`} className="underline">
                an older key
              </Link>
              .
            </>
          )}
        </p>
      </section>

      <section aria-labelledby="settings-heading" className={section}>
        <h2 id="settings-heading" className="text-base font-semibold">
          Settings
        </h2>
        <dl className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Fact label="Id">
            <span className="font-mono text-xs">{key.id}</span>
          </Fact>
          <Fact label="Environment">{key.environment}</Fact>
          <Fact label="Team">
            {key.teamId ? (
              <Link href={`/teams/${key.teamId}`} className="underline" data-testid="key-team">
                {activity.teamName ?? key.teamId}
              </Link>
            ) : (
              '—'
            )}
          </Fact>
          <Fact label="Models">{key.allowedModels.length === 0 ? 'all' : key.allowedModels.join(', ')}</Fact>
          <Fact label="Tags">{key.tags.length === 0 ? '—' : key.tags.join(', ')}</Fact>
          <Fact label="Traffic">
            {key.defaultTrafficClass} (
            {key.allowedTrafficClasses.length === 0 ? 'any' : key.allowedTrafficClasses.join(', ')})
          </Fact>
          <Fact label="RPM / TPM" testId="key-limits">
            {key.rpmLimit ?? '∞'} / {key.tpmLimit ?? '∞'}
          </Fact>
          <Fact label="Created">
            <LocalTime iso={key.createdAt} />
          </Fact>
          <Fact label="Last used">{key.lastUsedAt ? <LocalTime iso={key.lastUsedAt} /> : 'never'}</Fact>
        </dl>
      </section>

      <section aria-labelledby="usage-heading" className={section}>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="usage-heading" className="text-base font-semibold">
            Usage and cost
          </h2>
          <nav aria-label="Usage window" className="flex gap-3 text-sm">
            {keyActivityWindows.map((option) => (
              <Link
                key={option}
                href={`/keys/${key.id}?hours=${option}`}
                aria-current={option === hours ? 'page' : undefined}
                className={option === hours ? 'font-semibold' : 'text-slate-600 underline'}
              >
                {option === 24 ? 'Last 24 hours' : 'Last 7 days'}
              </Link>
            ))}
          </nav>
        </div>
        <p className="mt-2 text-sm text-slate-600" data-testid="key-usage-totals">
          {formatInteger(totals.requests)} request{totals.requests === 1 ? '' : 's'},{' '}
          {formatInteger(totals.errors)} failed, {formatMicrosUsd(totals.costMicros)}
        </p>
        <HourlyChart buckets={activity.hourly} />
      </section>

      <section aria-labelledby="errors-heading" className={section}>
        <h2 id="errors-heading" className="text-base font-semibold">
          Errors by class
        </h2>
        {activity.errorClasses.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">No failed requests in this window.</p>
        ) : (
          <ul className="mt-3 space-y-1 text-sm" data-testid="key-error-classes">
            {activity.errorClasses.map((row) => (
              <li key={row.errorClass} className="flex justify-between gap-4 sm:max-w-md">
                <Link
                  href={`/requests?keyId=${encodeURIComponent(key.id)}&errorClass=${encodeURIComponent(row.errorClass)}`}
                  className="font-mono text-xs underline"
                >
                  {row.errorClass}
                </Link>
                <span>{formatInteger(row.requests)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section
        aria-labelledby="requests-heading"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <div className="flex flex-wrap items-baseline justify-between gap-2 px-6 pt-5">
          <h2 id="requests-heading" className="text-base font-semibold">
            Recent requests
          </h2>
          <Link href={`/requests?keyId=${encodeURIComponent(key.id)}`} className="text-sm underline">
            All of this key’s requests →
          </Link>
        </div>
        {activity.recentRequests.length === 0 ? (
          <p className="px-6 py-8 text-sm text-slate-500">No requests yet.</p>
        ) : (
          <div className="mt-3 overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <TableHead columns={REQUEST_COLUMNS} />
              <tbody className="divide-y divide-slate-100">
                {activity.recentRequests.map((request) => (
                  <tr key={request.requestId} data-testid="key-request-row">
                    <td className="whitespace-nowrap px-6 py-2 text-slate-600">
                      <LocalTime iso={request.createdAt} />
                    </td>
                    <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">
                      <Link href={`/requests/${request.requestId}`} className="underline">
                        {request.requestId}
                      </Link>
                    </td>
                    <td className="whitespace-nowrap px-3 py-2">{request.requestedModel}</td>
                    <td className="whitespace-nowrap px-3 py-2">
                      <StatusBadge status={request.status} />
                      {request.errorClass && (
                        <span className="ml-2 font-mono text-xs text-slate-500">{request.errorClass}</span>
                      )}
                    </td>
                    <td className="whitespace-nowrap px-3 py-2">{formatMs(request.latencyMs)}</td>
                    <td className="whitespace-nowrap px-3 py-2">
                      {formatInteger(request.inputTokens + request.outputTokens)}
                    </td>
                    <td className="whitespace-nowrap px-6 py-2">{formatMicrosUsd(request.costMicros)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
