'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { DialogActions } from '@/components/ui/dialog';
import { Field, FormAlert, type FormError } from '@/components/ui/field';
import { inputClass } from '@/components/ui/styles';
import { readInteger } from '@/lib/read-integer';
import { updateKeySettingsAction } from '../actions';

const FIELDS = ['name', 'allowedModels', 'tags', 'rpmLimit', 'tpmLimit'] as const;
const MAX_PER_MINUTE = 1_000_000_000;

/** Words separated by commas or spaces, without empties. */
function list(text: string): string[] {
  return text.split(/[\s,]+/).filter((item) => item.length > 0);
}

/** Empty is unlimited; anything else a whole number, else a reason naming the field. */
function limit(text: string, field: string, what: string) {
  if (text.trim() === '') return { value: null };
  return readInteger(text, field, what, 1, MAX_PER_MINUTE);
}

/** "Edit settings" on a key's page: name, models, tags and per-minute limits; keeps the input on error. */
export function KeySettingsDialog({
  id,
  initial,
}: {
  id: string;
  initial: {
    name: string;
    allowedModels: string[];
    tags: string[];
    rpmLimit: number | null;
    tpmLimit: number | null;
  };
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [values, setValues] = useState({
    name: initial.name,
    allowedModels: initial.allowedModels.join(', '),
    tags: initial.tags.join(', '),
    rpmLimit: initial.rpmLimit?.toString() ?? '',
    tpmLimit: initial.tpmLimit?.toString() ?? '',
  });
  const [error, setError] = useState<FormError>(null);
  const [pending, startTransition] = useTransition();
  const set = (field: (typeof FIELDS)[number]) => (event: { target: { value: string } }) =>
    setValues({ ...values, [field]: event.target.value });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (values.name.trim() === '') return setError({ message: 'Give the key a name.', field: 'name' });
    const rpm = limit(values.rpmLimit, 'rpmLimit', 'Requests per minute');
    if ('message' in rpm) return setError(rpm);
    const tpm = limit(values.tpmLimit, 'tpmLimit', 'Tokens per minute');
    if ('message' in tpm) return setError(tpm);
    setError(null);
    startTransition(async () => {
      const result = await updateKeySettingsAction(id, {
        name: values.name.trim(),
        allowedModels: list(values.allowedModels),
        tags: list(values.tags),
        rpmLimit: rpm.value,
        tpmLimit: tpm.value,
      });
      if (!result.ok) return setError(result);
      dialog.current?.close();
      router.refresh();
    });
  };

  const input = (field: (typeof FIELDS)[number], props: { inputMode?: 'numeric' } = {}) => (
    <input
      id={`key-${field}`}
      value={values[field]}
      onChange={set(field)}
      aria-invalid={error?.field === field}
      className={inputClass}
      {...props}
    />
  );

  return (
    <>
      <button
        type="button"
        onClick={() => {
          setError(null);
          dialog.current?.showModal();
        }}
        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
      >
        Edit settings
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="key-settings-title"
        className="m-auto w-full max-w-lg rounded-xl p-6 text-left shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id="key-settings-title" className="text-base font-semibold">
          Key settings
        </h2>
        <form onSubmit={submit} noValidate className="mt-4 space-y-4">
          <Field id="key-name" label="Name" field="name" error={error}>
            {input('name')}
          </Field>
          <Field
            id="key-allowedModels"
            label="Models"
            field="allowedModels"
            error={error}
            hint="Public model names, separated by commas; empty allows every model."
          >
            {input('allowedModels')}
          </Field>
          <Field id="key-tags" label="Tags" field="tags" error={error} hint="Separated by commas.">
            {input('tags')}
          </Field>
          <Field
            id="key-rpmLimit"
            label="Requests per minute"
            field="rpmLimit"
            error={error}
            hint="Empty: unlimited."
          >
            {input('rpmLimit', { inputMode: 'numeric' })}
          </Field>
          <Field
            id="key-tpmLimit"
            label="Tokens per minute"
            field="tpmLimit"
            error={error}
            hint="Empty: unlimited."
          >
            {input('tpmLimit', { inputMode: 'numeric' })}
          </Field>
          <FormAlert error={error} fields={FIELDS} />
          <DialogActions
            onCancel={() => dialog.current?.close()}
            pending={pending}
            submitLabel="Save"
            pendingLabel="Saving…"
          />
        </form>
      </dialog>
    </>
  );
}
