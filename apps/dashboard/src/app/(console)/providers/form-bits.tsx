'use client';

import type { ReactNode } from 'react';

/** A save failure as the forms here show it: the message, and the field it names (if any). */
export type FormError = { message: string; field?: string } | null;

export const inputClass =
  'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid=true]:border-red-500';

/** The message without the "field: " prefix the admin API puts on it, for showing under that field. */
function plainMessage(error: { message: string; field?: string }): string {
  const prefix = `${error.field}: `;
  return error.field && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** Whether `error` is about `field` (or one of its parts, e.g. `healthCheck.intervalMs`). */
export function errorIs(error: FormError, field: string): boolean {
  return (
    !!error?.field &&
    (error.field === field || error.field.startsWith(`${field}.`) || error.field.startsWith(`${field}[`))
  );
}

/** A labelled input with its hint and, when the save failed because of it, the reason under it. */
export function Field({
  id,
  label,
  field,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  field: string;
  error: FormError;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !errorIs(error, field) && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
      {error && errorIs(error, field) && (
        <p
          role="alert"
          data-testid="field-error"
          data-field={error.field}
          className="mt-1 text-xs text-red-700"
        >
          {plainMessage(error)}
        </p>
      )}
    </div>
  );
}

/** A save failure no field owns, above the buttons. */
export function FormAlert({ error, fields }: { error: FormError; fields: readonly string[] }) {
  if (!error || fields.some((field) => errorIs(error, field))) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
      {error.message}
    </p>
  );
}

/** An integer typed into a text box, or a plain-words reason it is not one within bounds. */
export function readInteger(
  text: string,
  field: string,
  what: string,
  min: number,
  max: number,
): { value: number } | { message: string; field: string } {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isInteger(value) || value < min || value > max) {
    return { message: `${what} must be a whole number from ${min} to ${max}.`, field };
  }
  return { value };
}
