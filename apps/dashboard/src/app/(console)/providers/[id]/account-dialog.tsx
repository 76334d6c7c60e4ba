'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Dialog, useDialog } from '@/components/ui/dialog';
import { Field, FormAlert, type FormError } from '@/components/ui/field';
import { buttonClass, cellInputClass, inputClass } from '@/components/ui/styles';
import { readInteger } from '@/lib/read-integer';
import type { AccountView } from '@/server/accounts';
import { type AccountFormInput, createAccountAction, updateAccountAction } from '../actions';

const FIELDS = ['name', 'credential', 'weight', 'priority', 'healthCheck'] as const;

type CheckChoice = 'follow' | 'on' | 'off';

function checkChoice(enabled: boolean | null): CheckChoice {
  return enabled === null ? 'follow' : enabled ? 'on' : 'off';
}

/**
 * Adds an account to a provider, or (with `account`) changes one. The credential is write-only: it is never
 * shown, only its last four characters; left empty when editing, the stored one stays.
 */
export function AccountDialog({
  providerId,
  credentialLabel,
  account,
}: {
  providerId: string;
  credentialLabel: string;
  account?: AccountView;
}) {
  const editing = account !== undefined;
  const prefix = editing ? `account-${account.id}` : 'new-account';
  const dialog = useDialog();
  const router = useRouter();
  const [name, setName] = useState(account?.name ?? '');
  const [credential, setCredential] = useState('');
  const [weight, setWeight] = useState(String(account?.weight ?? 1));
  const [priority, setPriority] = useState(String(account?.priority ?? 0));
  const [enabled, setEnabled] = useState(account?.enabled ?? true);
  const [check, setCheck] = useState<CheckChoice>(checkChoice(account?.healthCheck.enabled ?? null));
  const [intervalText, setIntervalText] = useState(
    account?.healthCheck.intervalMs == null ? '' : String(account.healthCheck.intervalMs / 1000),
  );
  const [error, setError] = useState<FormError>(null);
  const [pending, startTransition] = useTransition();

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return setError({ message: 'Give the account a name.', field: 'name' });
    if (!editing && credential.trim() === '')
      return setError({ message: 'Paste the credential the provider gave you.', field: 'credential' });
    const w = readInteger(weight, 'weight', 'Weight', 0, 1000);
    if ('message' in w) return setError(w);
    const p = readInteger(priority, 'priority', 'Priority', 0, 1000);
    if ('message' in p) return setError(p);
    let intervalMs: number | null = null;
    if (intervalText.trim() !== '') {
      const seconds = Number(intervalText.trim());
      if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 3600)
        return setError({
          message: 'The interval is a number of seconds from 0.1 to 3600, or empty to follow the routers.',
          field: 'healthCheck',
        });
      intervalMs = Math.round(seconds * 1000);
    }
    const input: AccountFormInput = {
      name: name.trim(),
      weight: w.value,
      priority: p.value,
      enabled,
      healthCheck: { enabled: check === 'follow' ? null : check === 'on', intervalMs },
      ...(credential.trim() === '' ? {} : { credential: credential.trim() }),
    };
    setError(null);
    startTransition(async () => {
      const result = editing
        ? await updateAccountAction(providerId, account.id, input)
        : await createAccountAction(providerId, input);
      if (!result.ok) return setError(result);
      setCredential('');
      if (!editing) {
        setName('');
        setWeight('1');
        setPriority('0');
        setCheck('follow');
        setIntervalText('');
      }
      dialog.close();
      router.refresh();
    });
  };

  return (
    <>
      <button
        type="button"
        onClick={dialog.open}
        aria-label={editing ? `Edit ${account.name}` : undefined}
        className={editing ? buttonClass('secondary', 'sm') : buttonClass('primary')}
      >
        {editing ? 'Edit' : 'Add account'}
      </button>
      <Dialog dialog={dialog} size="lg" title={editing ? `Edit “${account.name}”` : 'Add account'}>
        <form onSubmit={submit} noValidate className="mt-4 space-y-4">
          <Field id={`${prefix}-name`} label="Name" field="name" error={error}>
            <input
              id={`${prefix}-name`}
              value={name}
              onChange={(event) => setName(event.target.value)}
              aria-invalid={error?.field === 'name'}
              maxLength={100}
              className={inputClass}
            />
          </Field>
          <Field
            id={`${prefix}-credential`}
            label={credentialLabel}
            field="credential"
            error={error}
            hint={
              editing
                ? `Leave empty to keep the stored credential${account.credentialLast4 ? ` (ending …${account.credentialLast4})` : ''}. It is never shown again after saving.`
                : 'Stored encrypted and never shown again; the console shows its last four characters.'
            }
          >
            <input
              id={`${prefix}-credential`}
              type="password"
              autoComplete="off"
              value={credential}
              onChange={(event) => setCredential(event.target.value)}
              aria-invalid={error?.field === 'credential'}
              className={`${inputClass} font-mono`}
            />
          </Field>
          <div className="grid grid-cols-2 gap-4">
            <Field
              id={`${prefix}-weight`}
              label="Weight"
              field="weight"
              error={error}
              hint="Share of traffic among accounts of equal priority; 0 drains it."
            >
              <input
                id={`${prefix}-weight`}
                inputMode="numeric"
                value={weight}
                onChange={(event) => setWeight(event.target.value)}
                aria-invalid={error?.field === 'weight'}
                className={inputClass}
              />
            </Field>
            <Field
              id={`${prefix}-priority`}
              label="Priority"
              field="priority"
              error={error}
              hint="Lower numbers are tried first."
            >
              <input
                id={`${prefix}-priority`}
                inputMode="numeric"
                value={priority}
                onChange={(event) => setPriority(event.target.value)}
                aria-invalid={error?.field === 'priority'}
                className={inputClass}
              />
            </Field>
          </div>
          <Field
            id={`${prefix}-check`}
            label="Active health checks"
            field="healthCheck"
            error={error}
            hint="The routers list models with this credential at this interval; empty interval follows HEALTH_CHECK_INTERVAL_MS."
          >
            <div className="mt-1 flex gap-2">
              <select
                id={`${prefix}-check`}
                value={check}
                onChange={(event) => setCheck(event.target.value as CheckChoice)}
                className={`${cellInputClass} w-1/2 py-2`}
              >
                <option value="follow">As the routers decide</option>
                <option value="on">On</option>
                <option value="off">Off</option>
              </select>
              <input
                aria-label="Health check interval in seconds"
                inputMode="decimal"
                placeholder="seconds"
                value={intervalText}
                onChange={(event) => setIntervalText(event.target.value)}
                aria-invalid={error?.field?.startsWith('healthCheck') ?? false}
                className={`${cellInputClass} w-1/2 py-2`}
              />
            </div>
          </Field>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
            Enabled (receives traffic)
          </label>
          <FormAlert error={error} fields={FIELDS} />
          <div className="flex justify-end gap-2">
            <button type="button" onClick={dialog.close} className={buttonClass('secondary')}>
              Cancel
            </button>
            <button type="submit" disabled={pending} className={buttonClass('primary')}>
              {pending ? 'Saving…' : editing ? 'Save' : 'Add account'}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
