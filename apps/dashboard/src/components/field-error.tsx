/** The save error's message under the input it names; nothing for other inputs. */
export function FieldError({
  field,
  error,
}: {
  field: string;
  error: { field?: string; message: string } | null;
}) {
  if (!error?.field || !(error.field === field || error.field.startsWith(`${field}[`))) return null;
  return (
    <p role="alert" data-testid="field-error" data-field={error.field} className="mt-1 text-xs text-red-700">
      {error.message}
    </p>
  );
}
