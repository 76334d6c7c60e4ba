'use server';

import { revalidatePath } from 'next/cache';
import { actionFailure } from '@/server/action-failure';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import {
  createKey,
  createKeyInput,
  type KeyView,
  revokeKey,
  rotateKey,
  rotateKeyInput,
  updateKey,
  updateKeyInput,
} from '@/server/keys';

export type CreateKeyState =
  | { status: 'idle' }
  | { status: 'created'; plaintext: string; key: KeyView }
  | { status: 'error'; message: string; field?: string };

export type RevokeKeyState = { error: string | null };

export type RotateKeyState =
  | { status: 'idle' }
  | { status: 'rotated'; plaintext: string; key: KeyView; oldKey: KeyView }
  | { status: 'error'; message: string };

export type KeyLimitsState = { error: string | null };

/** An empty limit field means unlimited; anything else must be a positive whole number (NaN fails validation). */
function limit(form: FormData, name: string): number | null {
  const value = text(form, name).trim();
  return value === '' ? null : Number(value);
}

const DAY_MS = 86_400_000;

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

function failure(error: unknown): { status: 'error'; message: string; field?: string } {
  return { status: 'error', ...actionFailure(error) };
}

export async function createKeyAction(_previous: CreateKeyState, form: FormData): Promise<CreateKeyState> {
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  try {
    const expiresInDays = Number(text(form, 'expiresInDays') || '0');
    const teamId = form.get('teamId');
    const input = createKeyInput.parse({
      name: text(form, 'name'),
      // An empty choice is "no team"; a member's form sends their team (the service refuses any other).
      teamId: typeof teamId === 'string' ? (teamId === '' ? null : teamId) : undefined,
      environment: text(form, 'environment') || undefined,
      allowedModels: text(form, 'allowedModels')
        .split(/[\s,]+/)
        .filter((model) => model.length > 0),
      defaultTrafficClass: text(form, 'defaultTrafficClass') || undefined,
      allowedTrafficClasses: form
        .getAll('allowedTrafficClasses')
        .filter((value) => typeof value === 'string'),
      rpmLimit: limit(form, 'rpmLimit'),
      tpmLimit: limit(form, 'tpmLimit'),
      expiresAt:
        Number.isFinite(expiresInDays) && expiresInDays > 0
          ? new Date(ctx.now().getTime() + expiresInDays * DAY_MS).toISOString()
          : null,
    });
    const result = await createKey(ctx, actor, input);
    revalidatePath('/keys');
    return { status: 'created', ...result };
  } catch (error) {
    return failure(error);
  }
}

export async function revokeKeyAction(_previous: RevokeKeyState, form: FormData): Promise<RevokeKeyState> {
  const actor = await requireConsoleActor();
  try {
    await revokeKey(getAdminContext(), actor, text(form, 'id'));
    revalidatePath('/keys');
    return { error: null };
  } catch (error) {
    return { error: failure(error).message };
  }
}

export async function updateKeyLimitsAction(
  _previous: KeyLimitsState,
  form: FormData,
): Promise<KeyLimitsState> {
  const actor = await requireConsoleActor();
  try {
    await updateKey(
      getAdminContext(),
      actor,
      text(form, 'id'),
      updateKeyInput.parse({ rpmLimit: limit(form, 'rpmLimit'), tpmLimit: limit(form, 'tpmLimit') }),
    );
    revalidatePath('/keys');
    return { error: null };
  } catch (error) {
    return { error: actionFailure(error).message };
  }
}

/** The grace comes from a fixed choice in the form (seconds); the service checks its range. */
export async function rotateKeyAction(_previous: RotateKeyState, form: FormData): Promise<RotateKeyState> {
  const actor = await requireConsoleActor();
  try {
    const grace = text(form, 'graceSeconds');
    const result = await rotateKey(
      getAdminContext(),
      actor,
      text(form, 'id'),
      rotateKeyInput.parse({ graceSeconds: grace === '' ? Number.NaN : Number(grace) }),
    );
    revalidatePath('/keys');
    return { status: 'rotated', ...result };
  } catch (error) {
    return { status: 'error', message: actionFailure(error).message };
  }
}
