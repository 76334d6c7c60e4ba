'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Dialog, useDialog } from '@/components/ui/dialog';
import { Field, FormAlert, type FormError } from '@/components/ui/field';
import { buttonClass, inputClass } from '@/components/ui/styles';
import type { ProviderView } from '@/server/providers';
import { updateProviderAction } from '../actions';

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Renames a provider or moves its base URL. Moving it to another host asks for every account's credential again:
 * a stored credential never follows its provider to a new host (the server refuses the move without them).
 */
export function EditProviderDialog({
  provider,
  accounts,
}: {
  provider: ProviderView;
  accounts: { id: string; name: string }[];
}) {
  const dialog = useDialog();
  const router = useRouter();
  const [name, setName] = useState(provider.name);
  const [baseUrl, setBaseUrl] = useState(provider.baseUrl);
  const [credentials, setCredentials] = useState<Record<string, string>>({});
  const [error, setError] = useState<FormError>(null);
  const [pending, startTransition] = useTransition();
  const newOrigin = originOf(baseUrl.trim());
  const moved = newOrigin !== null && newOrigin !== originOf(provider.baseUrl) && accounts.length > 0;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return setError({ message: 'Give the provider a name.', field: 'name' });
    if (newOrigin === null || !/^https?:/.test(baseUrl.trim()))
      return setError({
        message: 'Enter the base URL, starting with https:// (or http://).',
        field: 'baseUrl',
      });
    const missing = moved ? accounts.find((account) => !credentials[account.id]?.trim()) : undefined;
    if (missing)
      return setError({
        message: `Enter the credential of “${missing.name}” again: it is not sent to a new host without you.`,
        field: 'accountCredentials',
      });
    setError(null);
    startTransition(async () => {
      const result = await updateProviderAction(provider.id, {
        ...(name.trim() === provider.name ? {} : { name: name.trim() }),
        ...(baseUrl.trim() === provider.baseUrl ? {} : { baseUrl: baseUrl.trim() }),
        ...(moved
          ? {
              accountCredentials: Object.fromEntries(
                accounts.map((account) => [account.id, (credentials[account.id] ?? '').trim()]),
              ),
            }
          : {}),
      });
      if (!result.ok) return setError(result);
      setCredentials({});
      dialog.close();
      router.refresh();
    });
  };

  return (
    <>
      <button type="button" onClick={dialog.open} className={buttonClass('secondary')}>
        Edit provider
      </button>
      <Dialog dialog={dialog} size="lg" title={<>Edit “{provider.name}”</>}>
        <form onSubmit={submit} noValidate className="mt-4 space-y-4">
          <Field id="edit-provider-name" label="Name" field="name" error={error}>
            <input
              id="edit-provider-name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              aria-invalid={error?.field === 'name'}
              className={inputClass}
            />
          </Field>
          <Field id="edit-provider-base-url" label="Base URL" field="baseUrl" error={error}>
            <input
              id="edit-provider-base-url"
              value={baseUrl}
              onChange={(event) => setBaseUrl(event.target.value)}
              aria-invalid={error?.field === 'baseUrl'}
              className={`${inputClass} font-mono`}
            />
          </Field>
          {moved && (
            <fieldset className="space-y-3 rounded-md border border-amber-200 bg-amber-50 p-3">
              <legend className="px-1 text-sm font-medium text-amber-900">
                Credentials for the new host
              </legend>
              <p className="text-xs text-amber-900">
                The base URL moves to {newOrigin}. Stored credentials are not sent to another host: enter each
                account’s credential again.
              </p>
              {accounts.map((account) => (
                <div key={account.id}>
                  <label
                    htmlFor={`move-credential-${account.id}`}
                    className="block text-xs font-medium text-slate-700"
                  >
                    {account.name}
                  </label>
                  <input
                    id={`move-credential-${account.id}`}
                    type="password"
                    autoComplete="off"
                    value={credentials[account.id] ?? ''}
                    onChange={(event) => setCredentials({ ...credentials, [account.id]: event.target.value })}
                    className={`${inputClass} font-mono`}
                  />
                </div>
              ))}
              {error?.field === 'accountCredentials' && (
                <p role="alert" data-testid="field-error" className="text-xs text-red-700">
                  {error.message.replace(/^accountCredentials: /, '')}
                </p>
              )}
            </fieldset>
          )}
          <FormAlert error={error} fields={['name', 'baseUrl', 'accountCredentials']} />
          <div className="flex justify-end gap-2">
            <button type="button" onClick={dialog.close} className={buttonClass('secondary')}>
              Cancel
            </button>
            <button type="submit" disabled={pending} className={buttonClass('primary')}>
              {pending ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
