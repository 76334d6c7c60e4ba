import { type TableColumn, TableHead } from '@/components/ui/table';
import { formatMs } from '@/lib/format';
import type { AttemptView } from '@/server/usage';

const ATTEMPT_COLUMNS: readonly TableColumn[] = [
  { label: '#' },
  { label: 'Why' },
  { label: 'Account' },
  { label: 'Upstream model' },
  { label: 'HTTP', align: 'right' },
  { label: 'Error' },
  { label: 'Latency', align: 'right' },
  { label: 'TTFT', align: 'right' },
];

/** Every upstream attempt of one request, in order: where it went, how it ended and why the router sent it. */
export function AttemptsTable({ attempts }: { attempts: AttemptView[] }) {
  return (
    <table className="text-xs">
      <TableHead columns={ATTEMPT_COLUMNS} />
      <tbody className="divide-y divide-slate-200">
        {attempts.map((attempt, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an event's attempts are an append-only log; position is identity.
          <tr key={index} data-testid="usage-attempt">
            <td className="px-3 py-1 tabular-nums">{index + 1}</td>
            <td className="px-3 py-1 font-mono">{attempt.reason ?? '—'}</td>
            <td className="px-3 py-1 whitespace-nowrap" title={attempt.accountId}>
              {attempt.accountName ?? attempt.accountId}
            </td>
            <td className="px-3 py-1 font-mono">{attempt.model}</td>
            <td className="px-3 py-1 text-right tabular-nums">{attempt.status ?? '—'}</td>
            <td className="px-3 py-1">{attempt.errorClass ?? '—'}</td>
            <td className="px-3 py-1 text-right tabular-nums">{formatMs(attempt.latencyMs)}</td>
            <td className="px-3 py-1 text-right tabular-nums">{formatMs(attempt.ttftMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
