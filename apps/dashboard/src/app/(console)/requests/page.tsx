import { TRAFFIC_CLASSES } from '@switchyard/core';
import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { KeysetPager } from '@/components/keyset-pager';
import { LocalTime } from '@/components/local-time';
import { StatusBadge } from '@/components/ui/badge';
import { FilterBar } from '@/components/ui/filter-bar';
import { type FilterField, TIME_RANGE_FIELDS, verbatimChoices } from '@/components/ui/filter-fields';
import { Table, type TableColumn } from '@/components/ui/table';
import { formatInteger, formatMicrosUsd, formatMs } from '@/lib/format';
import { readListingParams, type SearchParams } from '@/lib/listing-search-params';
import { usageSurfaces } from '@/lib/usage-surfaces';
import { getAdminContext } from '@/server/admin-context';
import { toAdminError } from '@/server/admin-error';
import { requireConsoleActor } from '@/server/console-session';
import { listKeys } from '@/server/keys';
import { MAX_PAGE_SIZE } from '@/server/pagination';
import { listProviders } from '@/server/providers';
import { listRequests, listRequestsQuery } from '@/server/requests';
import { listTeams } from '@/server/teams';
import { REQUEST_FILTER_NAMES } from './request-filter-names';

export const metadata: Metadata = { title: 'Requests' };

const PAGE_SIZE = 50;
const STATUSES = ['success', 'error', 'interrupted', 'client_cancelled', 'rejected'] as const;

const COLUMNS: readonly TableColumn[] = [
  { label: 'When', gutter: true },
  { label: 'Request' },
  { label: 'Key' },
  { label: 'Model' },
  { label: 'Served by' },
  { label: 'Status' },
  { label: 'Class' },
  { label: 'Attempts', align: 'right' },
  { label: 'Latency', align: 'right' },
  { label: 'Tokens', align: 'right' },
  { label: 'Cost', align: 'right', gutter: true },
];

export default async function RequestsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireConsoleActor();
  const params = await searchParams;
  const { filters, cursor } = readListingParams(params, REQUEST_FILTER_NAMES);

  const ctx = getAdminContext();
  const parsed = listRequestsQuery.safeParse({ ...filters, cursor, limit: PAGE_SIZE });
  const [page, keys, teams, providers] = await Promise.all([
    parsed.success
      ? listRequests(ctx, actor, parsed.data).catch((error: unknown) => toAdminError(error))
      : toAdminError(parsed.error),
    listKeys(ctx, actor, { limit: MAX_PAGE_SIZE }),
    listTeams(ctx, actor),
    listProviders(ctx, actor),
  ]);
  // Keys, teams and providers by name, so an operator picks rather than types an id.
  const filterFields: FilterField[] = [
    ...TIME_RANGE_FIELDS,
    { kind: 'text', name: 'requestId', label: 'Request id', placeholder: 'req_…' },
    { kind: 'text', name: 'requestedModel', label: 'Requested model', placeholder: 'gpt-4o' },
    { kind: 'text', name: 'servedModel', label: 'Served model', placeholder: 'gpt-4o-2024-08-06' },
    { kind: 'text', name: 'errorClass', label: 'Error class', placeholder: 'upstream_5xx' },
    {
      kind: 'select',
      name: 'keyId',
      label: 'Key',
      options: keys.items.map((key) => ({ value: key.id, label: `${key.name} (${key.prefix}…)` })),
    },
    {
      kind: 'select',
      name: 'teamId',
      label: 'Team',
      options: teams.items.map((team) => ({ value: team.id, label: team.name })),
    },
    {
      kind: 'select',
      name: 'providerId',
      label: 'Served by provider',
      options: providers.items.map((provider) => ({ value: provider.id, label: provider.name })),
    },
    { kind: 'select', name: 'status', label: 'Status', options: verbatimChoices(STATUSES) },
    {
      kind: 'select',
      name: 'trafficClass',
      label: 'Traffic class',
      options: verbatimChoices(TRAFFIC_CLASSES),
    },
    { kind: 'select', name: 'surface', label: 'Protocol', options: verbatimChoices(usageSurfaces) },
  ];

  let content: ReactNode;
  if (page instanceof Error) {
    content = (
      <p role="alert" className="px-6 py-8 text-sm text-red-700">
        {page.code === 'internal' ? 'Requests could not be read.' : `Check the filters: ${page.message}`}
      </p>
    );
  } else if (page.items.length === 0) {
    content = (
      <p className="px-6 py-8 text-sm text-slate-500">
        {cursor ? 'No older requests.' : 'No requests match these filters.'}
      </p>
    );
  } else {
    content = (
      <>
        <Table columns={COLUMNS}>
          {page.items.map((item) => (
            <tr key={item.requestId} data-testid="request-row" data-request-id={item.requestId}>
              <td className="whitespace-nowrap px-6 py-2 text-slate-600">
                <LocalTime iso={item.createdAt} />
              </td>
              <td className="max-w-48 truncate px-3 py-2 font-mono text-xs" title={item.requestId}>
                <Link
                  href={`/requests/${encodeURIComponent(item.requestId)}`}
                  className="text-indigo-700 underline"
                >
                  {item.requestId}
                </Link>
              </td>
              <td className="max-w-40 truncate px-3 py-2" title={item.keyId ?? undefined}>
                {item.keyName ?? <span className="text-slate-400">{item.keyId ?? '—'}</span>}
              </td>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{item.requestedModel}</td>
              <td className="max-w-48 truncate px-3 py-2 text-xs" title={item.servedModel ?? undefined}>
                {item.servedModel ? (
                  <>
                    <span className="font-mono">{item.servedModel}</span>
                    <span className="text-slate-500">
                      {' '}
                      · {item.servedAccountName ?? item.servedAccountId}
                    </span>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td className="whitespace-nowrap px-3 py-2">
                <StatusBadge status={item.status} />
                {item.errorClass && <span className="ml-1 text-xs text-slate-500">{item.errorClass}</span>}
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-xs">{item.trafficClass ?? '—'}</td>
              <td className="px-3 py-2 text-right tabular-nums">{item.attempts.length}</td>
              <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                {formatMs(item.latencyMs)}
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                {formatInteger(item.inputTokens)} / {formatInteger(item.outputTokens)}
              </td>
              <td className="whitespace-nowrap px-6 py-2 text-right tabular-nums">
                {item.costEstimated && <StatusBadge status="estimated" />}
                {item.unpriced && <StatusBadge status="unpriced" />} {formatMicrosUsd(item.costMicros)}
              </td>
            </tr>
          ))}
        </Table>
        <KeysetPager
          path="/requests"
          label="Request pages"
          filters={filters}
          cursor={cursor}
          nextCursor={page.nextCursor}
        />
      </>
    );
  }

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Requests</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every request through the router, newest first, 50 a page. Find one by the <code>x-request-id</code>{' '}
          the router answered with, or narrow by key, team, model, provider, status, traffic class or error
          class. Times are in your zone (UTC on hover).
        </p>
      </div>
      <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <FilterBar
          path="/requests"
          label="Request filters"
          fields={filterFields}
          initial={filters}
          submitLabel="Search"
        />
      </section>
      <section
        aria-labelledby="requests-heading"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <h2 id="requests-heading" className="px-6 pt-5 text-base font-semibold">
          Requests
        </h2>
        {content}
      </section>
    </div>
  );
}
