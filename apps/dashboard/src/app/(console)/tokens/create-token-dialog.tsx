'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Dialog, DialogActions, useDialog } from '@/components/ui/dialog';
import { Field, FormAlert, type FormError } from '@/components/ui/field';
import { ShownOncePanel } from '@/components/ui/shown-once-panel';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { type TeamOption, TeamSelect } from '../teams/team-select';
import { type CreateTokenResult, createTokenAction } from './actions';

/** "Create token": name, scope, optional team and expiry; the secret is shown in the dialog, once. */
export function CreateTokenDialog({
  teams,
  adminApiUrl,
}: {
  teams: readonly TeamOption[];
  adminApiUrl: string;
}) {
  const dialog = useDialog();
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
          dialog.open();
        }}
        className={buttonClass('primary')}
      >
        Create token
      </button>
      <Dialog
        dialog={dialog}
        title="Create admin API token"
        size="lg"
        // The secret leaves the page with the dialog (closed by its button or Escape): shown once.
        onClose={() => setCreated(null)}
      >
        {created ? (
          <ShownOncePanel
            message={`Token “${created.token.name}” created. Copy it now: it will not be shown again.`}
            secret={created.plaintext}
            testId="new-token-panel"
            secretTestId="new-token-plaintext"
            onDone={() => dialog.close()}
          >
            <p className="mt-3 text-xs text-amber-900">
              <code className="font-mono">curl {adminApiUrl}/keys -H "Authorization: Bearer …"</code>
            </p>
          </ShownOncePanel>
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
              <TeamSelect
                id="token-team"
                value={teamId}
                onChange={setTeamId}
                teams={teams}
                noneLabel="Every team"
                optionSuffix=" only"
              />
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
            <DialogActions
              onCancel={() => dialog.close()}
              pending={pending}
              submitLabel="Create token"
              pendingLabel="Creating…"
            />
          </form>
        )}
      </Dialog>
    </>
  );
}
