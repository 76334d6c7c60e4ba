'use server';

import { revalidatePath } from 'next/cache';
import { actionConsoleOrigin } from '@/server/action-console-origin';
import { actionFailure } from '@/server/action-failure';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import {
  createUser,
  createUserInput,
  type InviteView,
  inviteUser,
  inviteUserInput,
  updateUser,
  updateUserInput,
} from '@/server/users';

export type InviteResult =
  | { ok: true; id: string; email: string; invite: InviteView }
  | { ok: false; message: string; field?: string };

export type UserSaveResult = { ok: true; id: string } | { ok: false; message: string; field?: string };

function failed(error: unknown): { ok: false; message: string; field?: string } {
  return { ok: false, ...actionFailure(error) };
}

/** Creates the user without a password and returns their one-time invite link (shown once). */
export async function inviteNewUserAction(input: {
  email: string;
  name: string;
  role: string;
  teamId: string;
}): Promise<InviteResult> {
  const actor = await requireConsoleActor();
  try {
    const { user, invite } = await createUser(
      getAdminContext(),
      actor,
      createUserInput.parse({
        email: input.email,
        name: input.name.trim() === '' ? null : input.name,
        role: input.role,
        teamId: input.teamId === '' ? null : input.teamId,
      }),
      await actionConsoleOrigin(),
    );
    revalidatePath('/users');
    if (!invite) throw new Error('an invite was expected for a user without a password');
    return { ok: true, id: user.id, email: user.email, invite };
  } catch (error) {
    return failed(error);
  }
}

/** A new invite link for an existing user; earlier links stop working. */
export async function reinviteUserAction(id: string): Promise<InviteResult> {
  const actor = await requireConsoleActor();
  try {
    const { user, invite } = await inviteUser(
      getAdminContext(),
      actor,
      id,
      inviteUserInput.parse({}),
      await actionConsoleOrigin(),
    );
    return { ok: true, id: user.id, email: user.email, invite };
  } catch (error) {
    return failed(error);
  }
}

/** Role, team or enabled state; the service ends the user's sessions on a role change or disable. */
export async function updateUserAction(
  id: string,
  changes: { role?: string; teamId?: string; disabled?: boolean },
): Promise<UserSaveResult> {
  const actor = await requireConsoleActor();
  try {
    const parsed = updateUserInput.parse({
      ...changes,
      ...(changes.teamId === undefined ? {} : { teamId: changes.teamId === '' ? null : changes.teamId }),
    });
    await updateUser(getAdminContext(), actor, id, parsed);
    revalidatePath('/users');
    revalidatePath('/teams');
    return { ok: true, id };
  } catch (error) {
    return failed(error);
  }
}
