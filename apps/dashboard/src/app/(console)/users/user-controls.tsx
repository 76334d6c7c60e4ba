'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Dialog, DialogActions, useDialog } from '@/components/ui/dialog';
import { Field, FormAlert, type FormError } from '@/components/ui/field';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { type TeamOption, TeamSelect } from '../teams/team-select';
import { type InviteResult, reinviteUserAction, updateUserAction } from './actions';
import { InviteLinkPanel } from './invite-link-panel';

export interface UserRow {
  id: string;
  email: string;
  role: string;
  teamId: string | null;
  status: 'active' | 'invited' | 'disabled';
}

/** Per user: change role and team (a dialog; a new role signs them out), a new invite link, disable/enable. */
export function UserControls({
  user,
  roles,
  teams,
}: {
  user: UserRow;
  roles: readonly string[];
  teams: readonly TeamOption[];
}) {
  const dialog = useDialog();
  const inviteDialog = useDialog();
  const router = useRouter();
  const [role, setRole] = useState(user.role);
  const [teamId, setTeamId] = useState(user.teamId ?? '');
  const [error, setError] = useState<FormError>(null);
  const [invite, setInvite] = useState<Extract<InviteResult, { ok: true }> | null>(null);
  const [inviteError, setInviteError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const save = (event: React.FormEvent) => {
    event.preventDefault();
    const changes: { role?: string; teamId?: string } = {};
    if (role !== user.role) changes.role = role;
    if (teamId !== (user.teamId ?? '')) changes.teamId = teamId;
    if (Object.keys(changes).length === 0) return dialog.close();
    startTransition(async () => {
      const result = await updateUserAction(user.id, changes);
      if (!result.ok) return setError(result);
      setError(null);
      dialog.close();
      router.refresh();
    });
  };

  const reinvite = () =>
    startTransition(async () => {
      const result = await reinviteUserAction(user.id);
      if (!result.ok) return setInviteError(result.message);
      setInviteError(null);
      setInvite(result);
      inviteDialog.open();
    });

  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <button
        type="button"
        aria-label={`Edit ${user.email}`}
        onClick={() => {
          setRole(user.role);
          setTeamId(user.teamId ?? '');
          setError(null);
          dialog.open();
        }}
        className={buttonClass('secondary', 'sm')}
      >
        Edit
      </button>
      {user.status !== 'disabled' && (
        <button
          type="button"
          disabled={pending}
          onClick={reinvite}
          aria-label={`New invite link for ${user.email}`}
          className={buttonClass('secondary', 'sm')}
        >
          {user.status === 'invited' ? 'New invite link' : 'Reset link'}
        </button>
      )}
      {user.status === 'disabled' ? (
        <ConfirmButton
          label="Enable"
          title={`Enable ${user.email}?`}
          description="They can sign in again with their password."
          confirmLabel="Enable"
          destructive={false}
          ariaLabel={`Enable ${user.email}`}
          run={() => updateUserAction(user.id, { disabled: false })}
        />
      ) : (
        <ConfirmButton
          label="Disable"
          title={`Disable ${user.email}?`}
          description="They are signed out everywhere at once and cannot sign in until enabled again. Their keys keep working."
          confirmLabel="Disable user"
          destructive
          ariaLabel={`Disable ${user.email}`}
          run={() => updateUserAction(user.id, { disabled: true })}
        />
      )}
      {inviteError && (
        <span role="alert" className="text-xs text-red-700">
          {inviteError}
        </span>
      )}

      <Dialog dialog={dialog} title={`Edit ${user.email}`}>
        <form onSubmit={save} noValidate className="mt-4 space-y-4">
          <Field
            id={`role-${user.id}`}
            label="Role"
            field="role"
            error={error}
            hint="A new role signs them out everywhere; they sign in again under it."
          >
            <select
              id={`role-${user.id}`}
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
          <Field id={`team-${user.id}`} label="Team" field="teamId" error={error}>
            <TeamSelect
              id={`team-${user.id}`}
              value={teamId}
              onChange={setTeamId}
              teams={teams}
              noneLabel="No team"
            />
          </Field>
          <FormAlert error={error} fields={['role', 'teamId']} />
          <DialogActions
            onCancel={() => dialog.close()}
            pending={pending}
            submitLabel="Save"
            pendingLabel="Saving…"
          />
        </form>
      </Dialog>

      <Dialog
        dialog={inviteDialog}
        title={`Invite link for ${user.email}`}
        size="lg"
        // The secret leaves the page with the dialog (closed by its button or Escape): shown once.
        onClose={() => setInvite(null)}
      >
        {invite && (
          <InviteLinkPanel
            email={invite.email}
            url={invite.invite.url}
            expiresAt={invite.invite.expiresAt}
            onDone={() => {
              setInvite(null);
              inviteDialog.close();
            }}
          />
        )}
      </Dialog>
    </div>
  );
}
