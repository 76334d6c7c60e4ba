'use client';

import { TRAFFIC_CLASSES } from '@switchyard/core';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { buttonClass, filterInputClass } from '@/components/ui/styles';
import { useHydrated } from '@/components/use-hydrated';
import { fromLocalInput, toLocalInput } from '@/lib/datetime-local';
import { usageSurfaces } from '@/lib/usage-surfaces';
import { REQUEST_FILTER_NAMES, type RequestFilterValues } from './request-filter-names';

const STATUSES = ['success', 'error', 'interrupted', 'client_cancelled', 'rejected'] as const;

const TEXT_FIELDS = [
  { name: 'requestId', label: 'Request id', placeholder: 'req_…' },
  { name: 'requestedModel', label: 'Requested model', placeholder: 'gpt-4o' },
  { name: 'servedModel', label: 'Served model', placeholder: 'gpt-4o-2024-08-06' },
  { name: 'errorClass', label: 'Error class', placeholder: 'upstream_5xx' },
] as const;

/** One option of a select: the id the API filters by and the name an operator knows it by. */
export interface FilterChoice {
  value: string;
  label: string;
}

/** The keys, teams and providers that exist, so an operator picks by name rather than typing an id. */
export interface RequestFilterChoices {
  keys: FilterChoice[];
  teams: FilterChoice[];
  providers: FilterChoice[];
}

const verbatim = (values: readonly string[]): FilterChoice[] =>
  values.map((value) => ({ value, label: value }));

/** The options, plus the current value when it is not among them (a deleted key still has requests). */
function withCurrent(choices: FilterChoice[], current: string | undefined): FilterChoice[] {
  return current && !choices.some((choice) => choice.value === current)
    ? [...choices, { value: current, label: current }]
    : choices;
}

/** The explorer's filters; applying one navigates, so every filtered view is a link that can be shared. */
export function RequestFilters({
  initial,
  choices,
}: {
  initial: RequestFilterValues;
  choices: RequestFilterChoices;
}) {
  const selects = [
    { name: 'keyId', label: 'Key', options: choices.keys },
    { name: 'teamId', label: 'Team', options: choices.teams },
    { name: 'providerId', label: 'Served by provider', options: choices.providers },
    { name: 'status', label: 'Status', options: verbatim(STATUSES) },
    { name: 'trafficClass', label: 'Traffic class', options: verbatim(TRAFFIC_CLASSES) },
    { name: 'surface', label: 'Protocol', options: verbatim(usageSurfaces) },
  ] as const;
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
            className={filterInputClass}
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
            className={filterInputClass}
          />
        </label>
      ))}
      {selects.map((field) => (
        <label key={field.name} className="text-sm text-slate-700">
          {field.label}
          <select
            name={field.name}
            value={values[field.name] ?? ''}
            disabled={!hydrated}
            onChange={(e) => set(field.name, e.target.value)}
            className={filterInputClass}
          >
            <option value="">any</option>
            {withCurrent(field.options, initial[field.name]).map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
        <button type="submit" disabled={!hydrated} className={buttonClass('primary')}>
          Search
        </button>
        <button
          type="button"
          disabled={!hydrated}
          onClick={() => {
            setValues({});
            router.push('/requests');
          }}
          className={buttonClass('secondary')}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
