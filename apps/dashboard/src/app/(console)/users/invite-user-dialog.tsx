'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Dialog, DialogActions, useDialog } from '@/components/ui/dialog';
import { Field, FormAlert, type FormError } from '@/components/ui/field';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { type TeamOption, TeamSelect } from '../teams/team-select';
import { type InviteResult, inviteNewUserAction } from './actions';
import { InviteLinkPanel } from './invite-link-panel';

/** "Invite user": e-mail, role and team; on success the one-time link is shown in the dialog, once. */
export function InviteUserDialog({
  roles,
  teams,
}: {
  roles: readonly string[];
  teams: readonly TeamOption[];
}) {
  const dialog = useDialog();
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('member');
  const [teamId, setTeamId] = useState(teams[0]?.id ?? '');
  const [error, setError] = useState<FormError>(null);
  const [invited, setInvited] = useState<Extract<InviteResult, { ok: true }> | null>(null);
  const [pending, startTransition] = useTransition();

  const open = () => {
    setInvited(null);
    setError(null);
    dialog.open();
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) {
      return setError({ message: 'Enter the e-mail address of the person to invite.', field: 'email' });
    }
    if (role === 'member' && teamId === '') {
      return setError({ message: 'A member manages the keys of one team: choose it.', field: 'teamId' });
    }
    setError(null);
    startTransition(async () => {
      const result = await inviteNewUserAction({ email: email.trim(), name, role, teamId });
      if (!result.ok) return setError(result);
      setInvited(result);
      setEmail('');
      setName('');
      router.refresh();
    });
  };

  return (
    <>
      <button type="button" onClick={open} className={buttonClass('primary')}>
        Invite user
      </button>
      <Dialog
        dialog={dialog}
        title="Invite user"
        size="lg"
        // The secret leaves the page with the dialog (closed by its button or Escape): shown once.
        onClose={() => setInvited(null)}
      >
        {invited ? (
          <InviteLinkPanel
            email={invited.email}
            url={invited.invite.url}
            expiresAt={invited.invite.expiresAt}
            onDone={() => dialog.close()}
          />
        ) : (
          <form onSubmit={submit} noValidate className="mt-4 space-y-4">
            <Field id="invite-email" label="E-mail" field="email" error={error}>
              <input
                id="invite-email"
                type="email"
                value={email}
                onChange={(event) => setEmail(event.target.value)}
                aria-invalid={error?.field === 'email'}
                className={inputClass}
              />
            </Field>
            <Field id="invite-name" label="Name (optional)" field="name" error={error}>
              <input
                id="invite-name"
                value={name}
                onChange={(event) => setName(event.target.value)}
                className={inputClass}
              />
            </Field>
            <Field
              id="invite-role"
              label="Role"
              field="role"
              error={error}
              hint="Viewer: reads only. Member: also manages their team's keys. Admin: everything but owners."
            >
              <select
                id="invite-role"
                value={role}
                onChange={(event) => setRole(event.target.value)}
                className={inputClass}
              >
                {roles.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="invite-team" label="Team" field="teamId" error={error}>
              <TeamSelect
                id="invite-team"
                value={teamId}
                onChange={setTeamId}
                teams={teams}
                noneLabel="No team"
                invalid={error?.field === 'teamId'}
              />
            </Field>
            <FormAlert error={error} fields={['email', 'name', 'role', 'teamId']} />
            <DialogActions
              onCancel={() => dialog.close()}
              pending={pending}
              submitLabel="Create invite link"
              pendingLabel="Inviting…"
            />
          </form>
        )}
      </Dialog>
    </>
  );
}
