'use server';

import { revalidatePath } from 'next/cache';
import { type ActionFailure, actionFailure } from '@/server/action-failure';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { deleteRoute, type RouteView, saveRoute } from '@/server/routes';

export type SaveRouteResult = { status: 'saved'; route: RouteView } | ({ status: 'error' } & ActionFailure);

/** Creates (routeId null) or updates a route from the editor's body; a refusal names the field at fault. */
export async function saveRouteAction(routeId: string | null, body: unknown): Promise<SaveRouteResult> {
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  try {
    const route = await saveRoute(ctx, actor, routeId === null ? null : String(routeId), body);
    revalidatePath('/routes');
    return { status: 'saved', route };
  } catch (error) {
    return { status: 'error', ...actionFailure(error) };
  }
}

export async function deleteRouteAction(routeId: string): Promise<{ error: string | null }> {
  const actor = await requireConsoleActor();
  try {
    await deleteRoute(getAdminContext(), actor, String(routeId));
    revalidatePath('/routes');
    return { error: null };
  } catch (error) {
    return { error: actionFailure(error).message };
  }
}
