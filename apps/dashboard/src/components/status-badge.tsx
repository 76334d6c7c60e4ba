const tones: Record<string, string> = {
  active: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  success: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  revoked: 'bg-red-50 text-red-700 ring-red-600/20',
  error: 'bg-red-50 text-red-700 ring-red-600/20',
  rejected: 'bg-orange-50 text-orange-700 ring-orange-600/20',
  expired: 'bg-amber-50 text-amber-800 ring-amber-600/20',
  interrupted: 'bg-amber-50 text-amber-800 ring-amber-600/20',
  client_cancelled: 'bg-slate-100 text-slate-700 ring-slate-500/20',
  // Target availability and circuit breaker states (health page).
  available: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  closed: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  disabled: 'bg-slate-100 text-slate-600 ring-slate-500/20',
  credential_rejected: 'bg-red-50 text-red-700 ring-red-600/20',
  circuit_open: 'bg-red-50 text-red-700 ring-red-600/20',
  open: 'bg-red-50 text-red-700 ring-red-600/20',
  half_open: 'bg-amber-50 text-amber-800 ring-amber-600/20',
  cooling: 'bg-sky-50 text-sky-800 ring-sky-600/20',
  no_data: 'bg-slate-50 text-slate-500 ring-slate-400/20',
  // Price rows (pricing page) and usage cost flags.
  in_force: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  superseded: 'bg-slate-100 text-slate-600 ring-slate-500/20',
  scheduled: 'bg-sky-50 text-sky-800 ring-sky-600/20',
  estimated: 'bg-amber-50 text-amber-800 ring-amber-600/20',
  unpriced: 'bg-red-50 text-red-700 ring-red-600/20',
};

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
        tones[status] ?? 'bg-slate-100 text-slate-700 ring-slate-500/20'
      }`}
    >
      {status}
    </span>
  );
}
