import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { KeysetPager } from '@/components/keyset-pager';
import { LocalTime } from '@/components/local-time';
import { FilterBar } from '@/components/ui/filter-bar';
import { type FilterField, TIME_RANGE_FIELDS } from '@/components/ui/filter-fields';
import { Table, type TableColumn } from '@/components/ui/table';
import { readListingParams, type SearchParams } from '@/lib/listing-search-params';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { toAdminError } from '@/server/admin-error';
import { type AuditLogView, listAuditLog, listAuditLogQuery } from '@/server/audit';
import { requireConsoleActor } from '@/server/console-session';

export const metadata: Metadata = { title: 'Audit log' };

const PAGE_SIZE = 50;
const FILTER_FIELDS = [
  ...TIME_RANGE_FIELDS,
  { kind: 'text', name: 'actor', label: 'Actor', placeholder: 'e-mail or usr_…' },
  { kind: 'text', name: 'action', label: 'Action', placeholder: 'api_key.revoke or api_key.' },
  { kind: 'text', name: 'targetType', label: 'Target type', placeholder: 'api_key' },
  { kind: 'text', name: 'targetId', label: 'Target id', placeholder: 'key_…' },
] as const satisfies readonly FilterField[];
const FILTER_NAMES = FILTER_FIELDS.map((field) => field.name);

const COLUMNS: readonly TableColumn[] = [
  { label: 'When', gutter: true },
  { label: 'Actor' },
  { label: 'Action' },
  { label: 'Target' },
  { label: 'Details', gutter: true },
];

function actorLabel(item: AuditLogView): string {
  if (item.actorType === 'admin_token') return 'admin token';
  if (item.actorType === 'api_token')
    return `API token ${item.actorTokenName ?? item.actorId ?? '(deleted)'}`;
  if (item.actorType === 'user') return item.actorEmail ?? item.actorId ?? 'deleted user';
  return item.actorId ? `${item.actorId} (not signed in)` : 'not signed in';
}

function fieldCount(value: unknown): number {
  return value && typeof value === 'object' ? Object.keys(value).length : 0;
}

function Json({ label, value }: { label: string; value: unknown }) {
  if (fieldCount(value) === 0) return null;
  return (
    <div>
      <div className="mt-2 text-xs font-medium text-slate-500">{label}</div>
      <pre className="mt-1 max-h-64 max-w-xl overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-900">
        {JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}

/** The row's client, what changed (before → after) and its details, behind one disclosure. */
function Details({ item }: { item: AuditLogView }) {
  const changed = fieldCount(item.after);
  const summary =
    changed > 0
      ? `${changed} field${changed === 1 ? '' : 's'} changed`
      : fieldCount(item.details) > 0
        ? 'details'
        : 'client';
  if (item.ip === null && item.userAgent === null && changed === 0 && fieldCount(item.details) === 0) {
    return <span className="text-slate-400">—</span>;
  }
  return (
    <details>
      <summary className="cursor-pointer text-slate-600">{summary}</summary>
      <dl className="mt-2 grid max-w-xl grid-cols-[auto_1fr] gap-x-3 text-xs">
        <dt className="text-slate-500">IP</dt>
        <dd className="font-mono">{item.ip ?? '—'}</dd>
        <dt className="text-slate-500">User agent</dt>
        <dd className="break-all">{item.userAgent ?? '—'}</dd>
      </dl>
      <Json label="Before" value={item.before} />
      <Json label="After" value={item.after} />
      <Json label="Details" value={item.details} />
    </details>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireConsoleActor();
  const params = await searchParams;
  const { filters, cursor } = readListingParams(params, FILTER_NAMES);

  let content: ReactNode;
  if (!canWrite(actor)) {
    content = (
      <p className="px-6 py-8 text-sm text-slate-500">Only owners and admins may read the audit log.</p>
    );
  } else {
    const parsed = listAuditLogQuery.safeParse({ ...filters, cursor, limit: PAGE_SIZE });
    const page = parsed.success
      ? await listAuditLog(getAdminContext(), actor, parsed.data).catch((error: unknown) =>
          toAdminError(error),
        )
      : toAdminError(parsed.error);
    if (page instanceof Error) {
      content = (
        <p role="alert" className="px-6 py-8 text-sm text-red-700">
          {page.code === 'internal'
            ? 'The audit log could not be read.'
            : `Check the filters: ${page.message}`}
        </p>
      );
    } else if (page.items.length === 0) {
      content = (
        <p className="px-6 py-8 text-sm text-slate-500">
          {cursor ? 'No older entries.' : 'No entries match these filters.'}
        </p>
      );
    } else {
      content = (
        <>
          <Table columns={COLUMNS}>
            {page.items.map((item) => (
              <tr key={item.id} className="align-top">
                <td className="whitespace-nowrap px-6 py-3 text-slate-600">
                  <LocalTime iso={item.createdAt} />
                </td>
                <td className="max-w-56 truncate px-3 py-3" title={item.actorId ?? undefined}>
                  {actorLabel(item)}
                </td>
                <td className="whitespace-nowrap px-3 py-3 font-mono text-xs">{item.action}</td>
                <td className="whitespace-nowrap px-3 py-3 text-xs">
                  <span className="text-slate-500">{item.targetType}</span>{' '}
                  <span className="font-mono">{item.targetId ?? ''}</span>
                </td>
                <td className="px-6 py-3">
                  <Details item={item} />
                </td>
              </tr>
            ))}
          </Table>
          <KeysetPager
            path="/audit"
            label="Audit pages"
            filters={filters}
            cursor={cursor}
            nextCursor={page.nextCursor}
          />
        </>
      );
    }
  }

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every change made in the console or through the admin API, every sign-in and failed sign-in, and
          every refused action, newest first. Times are in your zone (UTC on hover); secrets are masked.
        </p>
      </div>
      <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <FilterBar path="/audit" label="Audit filters" fields={FILTER_FIELDS} initial={filters} />
      </section>
      <section
        aria-labelledby="audit-heading"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <h2 id="audit-heading" className="px-6 pt-5 text-base font-semibold">
          Entries
        </h2>
        {content}
      </section>
    </div>
  );
}
