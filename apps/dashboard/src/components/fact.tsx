import type { ReactNode } from 'react';

/** One labelled value of a detail page's `<dl>` (a request's, a key's). */
export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
