'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Dialog, DialogActions, useDialog } from '@/components/ui/dialog';
import { Field, FormAlert, type FormError } from '@/components/ui/field';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { readInteger } from '@/lib/read-integer';
import { createTeamAction } from './actions';

/** "Create team": a name and optional shared RPM/TPM limits; opens the team's page once created. */
export function CreateTeamDialog() {
  const dialog = useDialog();
  const router = useRouter();
  const [name, setName] = useState('');
  const [rpmLimit, setRpmLimit] = useState('');
  const [tpmLimit, setTpmLimit] = useState('');
  const [error, setError] = useState<FormError>(null);
  const [pending, startTransition] = useTransition();

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return setError({ message: 'Give the team a name.', field: 'name' });
    for (const [text, field, what] of [
      [rpmLimit, 'rpmLimit', 'The RPM limit'],
      [tpmLimit, 'tpmLimit', 'The TPM limit'],
    ] as const) {
      if (text.trim() === '') continue;
      const checked = readInteger(text, field, what, 1, 1_000_000_000);
      if ('message' in checked) return setError(checked);
    }
    setError(null);
    startTransition(async () => {
      const result = await createTeamAction({ name: name.trim(), rpmLimit, tpmLimit });
      if (!result.ok) return setError(result);
      dialog.close();
      router.push(`/teams/${result.id}`);
    });
  };

  return (
    <>
      <button type="button" onClick={() => dialog.open()} className={buttonClass('primary')}>
        Create team
      </button>
      <Dialog dialog={dialog} title="Create team">
        <form onSubmit={submit} noValidate className="mt-4 space-y-4">
          <Field id="team-name" label="Name" field="name" error={error}>
            <input
              id="team-name"
              value={name}
              maxLength={100}
              onChange={(event) => setName(event.target.value)}
              aria-invalid={error?.field === 'name'}
              className={inputClass}
            />
          </Field>
          <div className="grid grid-cols-2 gap-3">
            <Field id="team-rpm" label="RPM limit" field="rpmLimit" error={error} hint="Empty: unlimited.">
              <input
                id="team-rpm"
                inputMode="numeric"
                value={rpmLimit}
                onChange={(event) => setRpmLimit(event.target.value)}
                className={inputClass}
              />
            </Field>
            <Field id="team-tpm" label="TPM limit" field="tpmLimit" error={error} hint="Empty: unlimited.">
              <input
                id="team-tpm"
                inputMode="numeric"
                value={tpmLimit}
                onChange={(event) => setTpmLimit(event.target.value)}
                className={inputClass}
              />
            </Field>
          </div>
          <FormAlert error={error} fields={['name', 'rpmLimit', 'tpmLimit']} />
          <DialogActions
            onCancel={() => dialog.close()}
            pending={pending}
            submitLabel="Create team"
            pendingLabel="Creating…"
          />
        </form>
      </Dialog>
    </>
  );
}
