'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState } from 'react';
import { useHydrated } from '@/components/use-hydrated';
import { fromLocalInput, toLocalInput } from '@/lib/datetime-local';
import type { FilterChoice, FilterField } from './filter-fields';
import { buttonClass, filterInputClass } from './styles';

/** The options, plus the current value when it is not among them (a deleted key still has requests). */
function withCurrent(choices: readonly FilterChoice[], current: string | undefined): readonly FilterChoice[] {
  return current && !choices.some((choice) => choice.value === current)
    ? [...choices, { value: current, label: current }]
    : choices;
}

type Values = Partial<Record<string, string>>;

/** The URL's values as the form shows them: instants become local `datetime-local` text. */
function formValues(fields: readonly FilterField[], initial: Values): Values {
  const values: Values = { ...initial };
  for (const field of fields)
    if (field.kind === 'time') values[field.name] = toLocalInput(initial[field.name]);
  return values;
}

/**
 * A listing's filters above its table (request explorer, audit log). Applying navigates to `path` with the filled
 * fields as search parameters, in the order of `fields`, so every filtered view is a link that can be shared and
 * paged; Clear returns to the unfiltered listing.
 */
export function FilterBar({
  path,
  label,
  fields,
  initial,
  submitLabel = 'Apply filters',
}: {
  /** The listing's own path, e.g. `/audit`. */
  path: string;
  /** The form's accessible name, e.g. "Audit filters". */
  label: string;
  fields: readonly FilterField[];
  /** The filters as the page's URL carries them (times as ISO instants). */
  initial: Values;
  submitLabel?: string;
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const id = useId();
  const [values, setValues] = useState(() => formValues(fields, initial));
  const set = (name: string, value: string) => setValues({ ...values, [name]: value });

  function submit(event: FormEvent) {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const field of fields) {
      const raw = values[field.name]?.trim() ?? '';
      const value = field.kind === 'time' ? fromLocalInput(raw) : raw;
      if (value) params.set(field.name, value);
    }
    router.push(params.size > 0 ? `${path}?${params}` : path);
  }

  return (
    <form onSubmit={submit} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label={label}>
      {fields.map((field) => (
        <div key={field.name} className="text-sm text-slate-700">
          <label htmlFor={`${id}-${field.name}`}>
            {field.kind === 'time' ? `${field.label} (your time)` : field.label}
          </label>
          {field.kind === 'select' ? (
            <select
              id={`${id}-${field.name}`}
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
          ) : (
            <input
              id={`${id}-${field.name}`}
              type={field.kind === 'time' ? 'datetime-local' : 'text'}
              name={field.name}
              placeholder={field.kind === 'text' ? field.placeholder : undefined}
              value={values[field.name] ?? ''}
              disabled={!hydrated}
              onChange={(e) => set(field.name, e.target.value)}
              className={filterInputClass}
            />
          )}
        </div>
      ))}
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
        <button type="submit" disabled={!hydrated} className={buttonClass('primary')}>
          {submitLabel}
        </button>
        <button
          type="button"
          disabled={!hydrated}
          onClick={() => {
            setValues({});
            router.push(path);
          }}
          className={buttonClass('secondary')}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
