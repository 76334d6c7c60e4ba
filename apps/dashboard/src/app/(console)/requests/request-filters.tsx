'use client';

import { TRAFFIC_CLASSES } from '@switchyard/core';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { useHydrated } from '@/components/use-hydrated';
import { fromLocalInput, toLocalInput } from '@/lib/datetime-local';
import { usageSurfaces } from '@/lib/usage-surfaces';
import { REQUEST_FILTER_NAMES, type RequestFilterValues } from './request-filter-names';

const STATUSES = ['success', 'error', 'interrupted', 'client_cancelled', 'rejected'] as const;

const TEXT_FIELDS = [
  { name: 'requestId', label: 'Request id', placeholder: 'req_…' },
  { name: 'keyId', label: 'Key id', placeholder: 'key_…' },
  { name: 'teamId', label: 'Team id', placeholder: 'team_…' },
  { name: 'requestedModel', label: 'Requested model', placeholder: 'gpt-4o' },
  { name: 'servedModel', label: 'Served model', placeholder: 'gpt-4o-2024-08-06' },
  { name: 'providerId', label: 'Provider id', placeholder: 'prv_…' },
  { name: 'errorClass', label: 'Error class', placeholder: 'upstream_5xx' },
] as const;

const SELECT_FIELDS = [
  { name: 'status', label: 'Status', options: STATUSES },
  { name: 'trafficClass', label: 'Traffic class', options: TRAFFIC_CLASSES },
  { name: 'surface', label: 'Protocol', options: usageSurfaces },
] as const;

const input =
  'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm disabled:bg-slate-50 dark:border-slate-600 dark:bg-slate-900';

/** The explorer's filters; applying one navigates, so every filtered view is a link that can be shared. */
export function RequestFilters({ initial }: { initial: RequestFilterValues }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [values, setValues] = useState<RequestFilterValues>({
    ...initial,
    from: toLocalInput(initial.from),
    to: toLocalInput(initial.to),
  });
  const set = (name: keyof RequestFilterValues, value: string) => setValues({ ...values, [name]: value });

  function submit(event: FormEvent) {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const name of REQUEST_FILTER_NAMES) {
      const raw = values[name]?.trim() ?? '';
      const value = name === 'from' || name === 'to' ? fromLocalInput(raw) : raw;
      if (value) params.set(name, value);
    }
    router.push(params.size > 0 ? `/requests?${params}` : '/requests');
  }

  return (
    <form onSubmit={submit} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label="Request filters">
      {(['from', 'to'] as const).map((name) => (
        <label key={name} className="text-sm text-slate-700">
          {name === 'from' ? 'From' : 'To'} (your time)
          <input
            type="datetime-local"
            name={name}
            value={values[name] ?? ''}
            disabled={!hydrated}
            onChange={(e) => set(name, e.target.value)}
            className={input}
          />
        </label>
      ))}
      {TEXT_FIELDS.map((field) => (
        <label key={field.name} className="text-sm text-slate-700">
          {field.label}
          <input
            type="text"
            name={field.name}
            placeholder={field.placeholder}
            value={values[field.name] ?? ''}
            disabled={!hydrated}
            onChange={(e) => set(field.name, e.target.value)}
            className={input}
          />
        </label>
      ))}
      {SELECT_FIELDS.map((field) => (
        <label key={field.name} className="text-sm text-slate-700">
          {field.label}
          <select
            name={field.name}
            value={values[field.name] ?? ''}
            disabled={!hydrated}
            onChange={(e) => set(field.name, e.target.value)}
            className={input}
          >
            <option value="">any</option>
            {field.options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </label>
      ))}
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
        <button
          type="submit"
          disabled={!hydrated}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
        >
          Search
        </button>
        <button
          type="button"
          disabled={!hydrated}
          onClick={() => {
            setValues({});
            router.push('/requests');
          }}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 disabled:opacity-50"
        >
          Clear
        </button>
      </div>
    </form>
  );
}
