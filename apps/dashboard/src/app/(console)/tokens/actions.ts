'use server';

import { revalidatePath } from 'next/cache';
import { actionFailure } from '@/server/action-failure';
import { getAdminContext } from '@/server/admin-context';
import {
  type AdminTokenView,
  createAdminToken,
  createAdminTokenInput,
  revokeAdminToken,
} from '@/server/admin-tokens';
import { requireConsoleActor } from '@/server/console-session';

export type CreateTokenResult =
  | { ok: true; token: AdminTokenView; plaintext: string }
  | { ok: false; message: string; field?: string };

export type TokenSaveResult = { ok: true; id: string } | { ok: false; message: string; field?: string };

export async function createTokenAction(input: {
  name: string;
  scope: string;
  teamId: string;
  expiresInDays: string;
}): Promise<CreateTokenResult> {
  const actor = await requireConsoleActor();
  try {
    const result = await createAdminToken(
      getAdminContext(),
      actor,
      createAdminTokenInput.parse({
        name: input.name,
        scope: input.scope,
        teamId: input.teamId === '' ? null : input.teamId,
        expiresInDays: input.expiresInDays === '' ? null : Number(input.expiresInDays),
      }),
    );
    revalidatePath('/tokens');
    return { ok: true, ...result };
  } catch (error) {
    return { ok: false, ...actionFailure(error) };
  }
}

export async function revokeTokenAction(id: string): Promise<TokenSaveResult> {
  const actor = await requireConsoleActor();
  try {
    await revokeAdminToken(getAdminContext(), actor, id);
    revalidatePath('/tokens');
    return { ok: true, id };
  } catch (error) {
    return { ok: false, ...actionFailure(error) };
  }
}
