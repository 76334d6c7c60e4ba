import type { Metadata } from 'next';
import { LocalTime } from '@/components/local-time';
import { Table, type TableColumn } from '@/components/ui/table';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { MAX_PAGE_SIZE } from '@/server/pagination';
import { listUsageDeadLetters } from '@/server/usage-dead-letters';

export const metadata: Metadata = { title: 'Dead letters' };

const COLUMNS: readonly TableColumn[] = [
  { label: 'Parked', gutter: true },
  { label: 'Request' },
  { label: 'SQLSTATE' },
  { label: 'Error' },
  { label: 'Event', gutter: true },
];

export default async function DeadLettersPage() {
  const actor = await requireConsoleActor();
  const letters = await listUsageDeadLetters(getAdminContext(), actor, { limit: MAX_PAGE_SIZE });
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Dead letters</h1>
        <p className="mt-1 text-sm text-slate-600">
          Usage events PostgreSQL refused even when written alone. The routers write every other event of the
          batch and park these here, so one bad event never holds back the rest. Their requests are missing
          from usage, cost and budgets: account for them by hand.
        </p>
      </div>
      <section
        aria-labelledby="dead-letters-heading"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <h2 id="dead-letters-heading" className="px-6 pt-5 text-base font-semibold">
          Parked events{' '}
          <span className="text-sm font-normal text-slate-500">
            ({letters.total}
            {letters.nextCursor ? `, newest ${letters.items.length} shown` : ''})
          </span>
        </h2>
        {letters.items.length === 0 ? (
          <p className="px-6 py-8 text-sm text-slate-500">None: every usage event was stored.</p>
        ) : (
          <Table columns={COLUMNS}>
            {letters.items.map((letter) => (
              <tr key={letter.id} className="align-top">
                <td className="whitespace-nowrap px-6 py-3 text-slate-600">
                  <LocalTime iso={letter.createdAt} />
                </td>
                <td className="whitespace-nowrap px-3 py-3 font-mono text-xs">{letter.requestId ?? '—'}</td>
                <td className="px-3 py-3 font-mono text-xs">{letter.sqlState ?? '—'}</td>
                <td className="max-w-md px-3 py-3 text-slate-700">{letter.error}</td>
                <td className="px-6 py-3">
                  <details>
                    <summary className="cursor-pointer text-slate-600">
                      {letter.event.length.toLocaleString('en-US')} characters
                    </summary>
                    <pre className="mt-2 max-h-64 max-w-xl overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs">
                      {letter.event}
                    </pre>
                  </details>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </div>
  );
}
