import { cloneElement, isValidElement, type ReactNode } from 'react';

/** A save failure as the forms show it: the message, and the field it names (if any). */
export type FormError = { message: string; field?: string } | null;

/** Whether `error` is about `field` (or one of its parts, e.g. `healthCheck.intervalMs`, `targets[0]`). */
export function errorIs(error: FormError, field: string): boolean {
  return (
    !!error?.field &&
    (error.field === field || error.field.startsWith(`${field}.`) || error.field.startsWith(`${field}[`))
  );
}

/** The message without the "field: " prefix the admin API puts on it, for showing next to that field. */
export function plainMessage(error: { message: string; field?: string }): string {
  const prefix = `${error.field}: `;
  return error.field && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** The save error's message under the input it names; nothing for other inputs. */
export function FieldError({ field, error, id }: { field: string; error: FormError; id?: string }) {
  if (!error || !errorIs(error, field)) return null;
  return (
    <p
      id={id}
      role="alert"
      data-testid="field-error"
      data-field={error.field}
      className="mt-1 text-xs text-red-700"
    >
      {plainMessage(error)}
    </p>
  );
}

/**
 * A labelled input with its hint and, when the save failed because of it, the reason under it. The input (a single
 * element child) is described by whichever of the two is shown, so a screen reader reads it with the field.
 */
export function Field({
  id,
  label,
  field,
  error,
  hint,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  /** The name the server reports errors under. */
  field: string;
  error: FormError;
  hint?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  const failed = errorIs(error, field);
  const describedBy = failed ? `${id}-error` : hint ? `${id}-hint` : undefined;
  const input =
    describedBy !== undefined &&
    isValidElement<{ 'aria-describedby'?: string }>(children) &&
    children.props['aria-describedby'] === undefined
      ? cloneElement(children, { 'aria-describedby': describedBy })
      : children;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {input}
      {hint && !failed && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} field={field} error={error} />
    </div>
  );
}

/** A save failure no listed field owns, shown once above the buttons. */
export function FormAlert({
  error,
  fields,
  className = '',
}: {
  error: FormError;
  fields: readonly string[];
  className?: string;
}) {
  if (!error || fields.some((field) => errorIs(error, field))) return null;
  return (
    <p role="alert" className={`rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ${className}`}>
      {error.message}
    </p>
  );
}
