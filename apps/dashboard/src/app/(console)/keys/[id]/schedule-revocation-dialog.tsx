'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { DialogActions } from '@/components/ui/dialog';
import { Field, FormAlert, type FormError } from '@/components/ui/field';
import { inputClass } from '@/components/ui/styles';
import { useHydrated } from '@/components/use-hydrated';
import { fromLocalInput, toLocalInput } from '@/lib/datetime-local';
import { scheduleKeyRevocationAction } from '../actions';

/**
 * "Revoke at…": the key keeps working until the chosen time (the reader's zone), then every router refuses it.
 * Stored as the key's `expiresAt`; "Cancel scheduled revocation" clears it.
 */
export function ScheduleRevocationDialog({ id, revokeAt }: { id: string; revokeAt: string | null }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const hydrated = useHydrated();
  const [value, setValue] = useState(() => toLocalInput(revokeAt ?? undefined));
  const [error, setError] = useState<FormError>(null);
  const [pending, startTransition] = useTransition();

  const save = (at: string | null) => {
    setError(null);
    startTransition(async () => {
      const result = await scheduleKeyRevocationAction(id, at);
      if (!result.ok) {
        return setError({
          message: result.message,
          field: result.field === 'expiresAt' ? 'revokeAt' : result.field,
        });
      }
      dialog.current?.close();
      router.refresh();
    });
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const at = fromLocalInput(value);
    if (at === undefined)
      return setError({ message: 'Choose the date and time to revoke at.', field: 'revokeAt' });
    if (Date.parse(at) <= Date.now()) {
      return setError({ message: 'Choose a time in the future (or revoke now instead).', field: 'revokeAt' });
    }
    save(at);
  };

  return (
    <>
      <button
        type="button"
        disabled={!hydrated}
        onClick={() => {
          setError(null);
          dialog.current?.showModal();
        }}
        className="rounded-md border border-red-200 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60"
      >
        {revokeAt ? 'Change scheduled revocation' : 'Revoke at…'}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="schedule-revocation-title"
        className="m-auto w-full max-w-md rounded-xl p-6 text-left shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id="schedule-revocation-title" className="text-base font-semibold">
          Schedule revocation
        </h2>
        <p className="mt-2 text-sm text-slate-600">
          The key keeps working until this time, then every router refuses it (401). You can change or cancel
          it until then.
        </p>
        <form onSubmit={submit} noValidate className="mt-4 space-y-4">
          <Field id="revoke-at" label="Revoke at (your time)" field="revokeAt" error={error}>
            <input
              id="revoke-at"
              type="datetime-local"
              value={value}
              onChange={(event) => setValue(event.target.value)}
              aria-invalid={error?.field === 'revokeAt'}
              className={inputClass}
            />
          </Field>
          <FormAlert error={error} fields={['revokeAt']} />
          {revokeAt && (
            <button
              type="button"
              disabled={pending}
              onClick={() => save(null)}
              className="text-sm text-slate-700 underline disabled:opacity-60"
            >
              Cancel scheduled revocation
            </button>
          )}
          <DialogActions
            onCancel={() => dialog.current?.close()}
            pending={pending}
            submitLabel="Schedule revocation"
            pendingLabel="Saving…"
          />
        </form>
      </dialog>
    </>
  );
}
