'use client';

import { PROVIDER_KINDS, type ProviderKind } from '@switchyard/core';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Dialog, useDialog } from '@/components/ui/dialog';
import { Field, FormAlert, type FormError } from '@/components/ui/field';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { createProviderAction } from './actions';
import { PROVIDER_KIND_DEFAULTS } from './provider-kind-defaults';

/** "Add provider": a dialog with the kind first; the base URL follows the kind until the operator edits it. */
export function AddProviderDialog() {
  const dialog = useDialog();
  const router = useRouter();
  const [kind, setKind] = useState<ProviderKind>('openai');
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState(PROVIDER_KIND_DEFAULTS.openai.baseUrl);
  const [baseUrlEdited, setBaseUrlEdited] = useState(false);
  const [error, setError] = useState<FormError>(null);
  const [pending, startTransition] = useTransition();

  const chooseKind = (next: ProviderKind) => {
    setKind(next);
    if (!baseUrlEdited) setBaseUrl(PROVIDER_KIND_DEFAULTS[next].baseUrl);
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return setError({ message: 'Give the provider a name.', field: 'name' });
    if (!/^https?:\/\/\S+$/.test(baseUrl.trim()))
      return setError({
        message: 'Enter the base URL, starting with https:// (or http://).',
        field: 'baseUrl',
      });
    setError(null);
    startTransition(async () => {
      const result = await createProviderAction({ name: name.trim(), kind, baseUrl: baseUrl.trim() });
      if (!result.ok) return setError(result);
      dialog.close();
      router.push(`/providers/${result.id}`);
    });
  };

  return (
    <>
      <button type="button" onClick={dialog.open} className={buttonClass('primary')}>
        Add provider
      </button>
      <Dialog dialog={dialog} size="lg" title={<>Add provider</>}>
        <form onSubmit={submit} noValidate className="mt-4 space-y-4">
          <Field id="provider-kind" label="Kind" field="kind" error={error}>
            <select
              id="provider-kind"
              value={kind}
              onChange={(event) => chooseKind(event.target.value as ProviderKind)}
              className={inputClass}
            >
              {PROVIDER_KINDS.map((option) => (
                <option key={option} value={option}>
                  {PROVIDER_KIND_DEFAULTS[option].label}
                </option>
              ))}
            </select>
          </Field>
          <Field
            id="provider-name"
            label="Name"
            field="name"
            error={error}
            hint="How routes and usage name it."
          >
            <input
              id="provider-name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              aria-invalid={error?.field === 'name'}
              maxLength={100}
              className={inputClass}
            />
          </Field>
          <Field
            id="provider-base-url"
            label="Base URL"
            field="baseUrl"
            error={error}
            hint={PROVIDER_KIND_DEFAULTS[kind].baseUrlHint}
          >
            <input
              id="provider-base-url"
              value={baseUrl}
              onChange={(event) => {
                setBaseUrl(event.target.value);
                setBaseUrlEdited(true);
              }}
              aria-invalid={error?.field === 'baseUrl'}
              inputMode="url"
              className={`${inputClass} font-mono`}
            />
          </Field>
          <FormAlert error={error} fields={['kind', 'name', 'baseUrl']} />
          <div className="flex justify-end gap-2">
            <button type="button" onClick={dialog.close} className={buttonClass('secondary')}>
              Cancel
            </button>
            <button type="submit" disabled={pending} className={buttonClass('primary')}>
              {pending ? 'Adding…' : 'Add provider'}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
