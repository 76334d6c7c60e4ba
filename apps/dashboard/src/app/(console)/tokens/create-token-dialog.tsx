'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { CopyButton } from '@/components/copy-button';
import { Field, FormAlert, type FormError, inputClass } from '../providers/form-bits';
import { type CreateTokenResult, createTokenAction } from './actions';

/** "Create token": name, scope, optional team and expiry; the secret is shown in the dialog, once. */
export function CreateTokenDialog({
  teams,
  adminApiUrl,
}: {
  teams: readonly { id: string; name: string }[];
  adminApiUrl: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [name, setName] = useState('');
  const [scope, setScope] = useState('read');
  const [teamId, setTeamId] = useState('');
  const [expiresInDays, setExpiresInDays] = useState('90');
  const [error, setError] = useState<FormError>(null);
  const [created, setCreated] = useState<Extract<CreateTokenResult, { ok: true }> | null>(null);
  const [pending, startTransition] = useTransition();

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (name.trim() === '')
      return setError({ message: 'Name the token after the script that uses it.', field: 'name' });
    setError(null);
    startTransition(async () => {
      const result = await createTokenAction({ name: name.trim(), scope, teamId, expiresInDays });
      if (!result.ok) return setError(result);
      setCreated(result);
      setName('');
      router.refresh();
    });
  };

  return (
    <>
      <button
        type="button"
        onClick={() => {
          setCreated(null);
          setError(null);
          dialog.current?.showModal();
        }}
        className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500"
      >
        Create token
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="create-token-title"
        className="m-auto w-full max-w-lg rounded-xl p-6 text-left shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id="create-token-title" className="text-base font-semibold">
          Create admin API token
        </h2>
        {created ? (
          <div
            role="status"
            data-testid="new-token-panel"
            className="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-4"
          >
            <p className="text-sm font-semibold text-amber-900">
              Token “{created.token.name}” created. Copy it now: it will not be shown again.
            </p>
            <div className="mt-3 flex items-center gap-2">
              <code
                data-testid="new-token-plaintext"
                className="block flex-1 overflow-x-auto rounded-md bg-white px-3 py-2 font-mono text-xs text-slate-900 ring-1 ring-amber-200"
              >
                {created.plaintext}
              </code>
              <CopyButton text={created.plaintext} />
            </div>
            <p className="mt-3 text-xs text-amber-900">
              <code className="font-mono">curl {adminApiUrl}/keys -H "Authorization: Bearer …"</code>
            </p>
            <button
              type="button"
              onClick={() => dialog.current?.close()}
              className="mt-3 text-sm font-medium text-amber-900 underline"
            >
              I have copied it
            </button>
          </div>
        ) : (
          <form onSubmit={submit} noValidate className="mt-4 space-y-4">
            <Field
              id="token-name"
              label="Name"
              field="name"
              error={error}
              hint="e.g. the CI job or script using it."
            >
              <input
                id="token-name"
                value={name}
                maxLength={100}
                onChange={(event) => setName(event.target.value)}
                aria-invalid={error?.field === 'name'}
                className={inputClass}
              />
            </Field>
            <Field
              id="token-scope"
              label="Scope"
              field="scope"
              error={error}
              hint="Read: every GET. Write: the changes an admin may make (with a team: that team's keys only). Tokens never manage users or tokens."
            >
              <select
                id="token-scope"
                value={scope}
                onChange={(event) => setScope(event.target.value)}
                className={inputClass}
              >
                <option value="read">read</option>
                <option value="write">write</option>
              </select>
            </Field>
            <Field id="token-team" label="Team" field="teamId" error={error}>
              <select
                id="token-team"
                value={teamId}
                onChange={(event) => setTeamId(event.target.value)}
                className={inputClass}
              >
                <option value="">Every team</option>
                {teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name} only
                  </option>
                ))}
              </select>
            </Field>
            <Field id="token-expiry" label="Expires" field="expiresInDays" error={error}>
              <select
                id="token-expiry"
                value={expiresInDays}
                onChange={(event) => setExpiresInDays(event.target.value)}
                className={inputClass}
              >
                <option value="30">In 30 days</option>
                <option value="90">In 90 days</option>
                <option value="365">In 1 year</option>
                <option value="">Never (until revoked)</option>
              </select>
            </Field>
            <FormAlert error={error} fields={['name', 'scope', 'teamId', 'expiresInDays']} />
            <div className="flex justify-end gap-2">
              <button
                type="button"
                onClick={() => dialog.current?.close()}
                className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
              >
                Cancel
              </button>
              <button
                type="submit"
                disabled={pending}
                className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
              >
                {pending ? 'Creating…' : 'Create token'}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </>
  );
}
