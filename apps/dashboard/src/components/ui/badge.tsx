export type BadgeTone = 'green' | 'red' | 'orange' | 'amber' | 'sky' | 'slate' | 'muted';

const toneClasses: Record<BadgeTone, string> = {
  green: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  red: 'bg-red-50 text-red-700 ring-red-600/20',
  orange: 'bg-orange-50 text-orange-700 ring-orange-600/20',
  amber: 'bg-amber-50 text-amber-800 ring-amber-600/20',
  sky: 'bg-sky-50 text-sky-800 ring-sky-600/20',
  slate: 'bg-slate-100 text-slate-700 ring-slate-500/20',
  muted: 'bg-slate-50 text-slate-500 ring-slate-400/20',
};

/** The tone of each status word the console shows; unknown words are slate. */
const statusTones: Record<string, BadgeTone> = {
  active: 'green',
  success: 'green',
  revoked: 'red',
  error: 'red',
  rejected: 'orange',
  expired: 'amber',
  interrupted: 'amber',
  client_cancelled: 'slate',
  // Target availability and circuit breaker states (health page).
  available: 'green',
  closed: 'green',
  disabled: 'slate',
  credential_rejected: 'red',
  circuit_open: 'red',
  open: 'red',
  half_open: 'amber',
  cooling: 'sky',
  no_data: 'muted',
  // Price rows (pricing page) and usage cost flags.
  in_force: 'green',
  superseded: 'slate',
  scheduled: 'sky',
  estimated: 'amber',
  unpriced: 'red',
};

/** A small rounded label. */
export function Badge({ tone, children, testId }: { tone: BadgeTone; children: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${toneClasses[tone]}`}
    >
      {children}
    </span>
  );
}

/** A status word in its tone. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <Badge tone={statusTones[status] ?? 'slate'} testId={testId}>
      {status}
    </Badge>
  );
}
