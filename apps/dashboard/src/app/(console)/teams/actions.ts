'use server';

import { revalidatePath } from 'next/cache';
import { actionFailure } from '@/server/action-failure';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { createTeam, createTeamInput, deleteTeam } from '@/server/teams';

export type TeamSaveResult = { ok: true; id: string } | { ok: false; message: string; field?: string };

/** An empty limit means unlimited; anything else must be a whole number (the schema says so in plain words). */
function limit(text: string): number | null {
  return text.trim() === '' ? null : Number(text.trim());
}

export async function createTeamAction(input: {
  name: string;
  rpmLimit: string;
  tpmLimit: string;
}): Promise<TeamSaveResult> {
  const actor = await requireConsoleActor();
  try {
    const team = await createTeam(
      getAdminContext(),
      actor,
      createTeamInput.parse({
        name: input.name,
        rpmLimit: limit(input.rpmLimit),
        tpmLimit: limit(input.tpmLimit),
      }),
    );
    revalidatePath('/teams');
    return { ok: true, id: team.id };
  } catch (error) {
    return { ok: false, ...actionFailure(error) };
  }
}

export async function deleteTeamAction(id: string): Promise<TeamSaveResult> {
  const actor = await requireConsoleActor();
  try {
    await deleteTeam(getAdminContext(), actor, id);
    revalidatePath('/teams');
    return { ok: true, id };
  } catch (error) {
    return { ok: false, ...actionFailure(error) };
  }
}
