'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { buttonClass, filterInputClass } from '@/components/ui/styles';
import { useHydrated } from '@/components/use-hydrated';
import { fromLocalInput, toLocalInput } from '@/lib/datetime-local';

/** The filters as the page's URL carries them: times as ISO instants, the rest verbatim. */
export type AuditFilterValues = {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
};

const TEXT_FIELDS = [
  { name: 'actor', label: 'Actor', placeholder: 'e-mail or usr_…' },
  { name: 'action', label: 'Action', placeholder: 'api_key.revoke or api_key.' },
  { name: 'targetType', label: 'Target type', placeholder: 'api_key' },
  { name: 'targetId', label: 'Target id', placeholder: 'key_…' },
] as const;

export function AuditFilters({ initial }: { initial: AuditFilterValues }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [values, setValues] = useState({
    ...initial,
    from: toLocalInput(initial.from),
    to: toLocalInput(initial.to),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const params = new URLSearchParams();
    const from = fromLocalInput(values.from);
    const to = fromLocalInput(values.to);
    if (from) params.set('from', from);
    if (to) params.set('to', to);
    for (const field of TEXT_FIELDS) {
      const value = values[field.name]?.trim();
      if (value) params.set(field.name, value);
    }
    router.push(params.size > 0 ? `/audit?${params}` : '/audit');
  }

  const input = filterInputClass;
  return (
    <form onSubmit={submit} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label="Audit filters">
      <label className="text-sm text-slate-700">
        From (your time)
        <input
          type="datetime-local"
          name="from"
          value={values.from}
          disabled={!hydrated}
          onChange={(e) => setValues({ ...values, from: e.target.value })}
          className={input}
        />
      </label>
      <label className="text-sm text-slate-700">
        To (your time)
        <input
          type="datetime-local"
          name="to"
          value={values.to}
          disabled={!hydrated}
          onChange={(e) => setValues({ ...values, to: e.target.value })}
          className={input}
        />
      </label>
      {TEXT_FIELDS.map((field) => (
        <label key={field.name} className="text-sm text-slate-700">
          {field.label}
          <input
            type="text"
            name={field.name}
            placeholder={field.placeholder}
            value={values[field.name] ?? ''}
            disabled={!hydrated}
            onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            className={input}
          />
        </label>
      ))}
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-2">
        <button
          type="submit"
          disabled={!hydrated}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
        >
          Apply filters
        </button>
        <button
          type="button"
          disabled={!hydrated}
          onClick={() => {
            setValues({ from: '', to: '' });
            router.push('/audit');
          }}
          className={buttonClass('secondary')}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
