'use server';

import { getEnv } from '@/env';
import { actionFailure } from '@/server/action-failure';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import {
  endPlaygroundSession,
  type PlaygroundSession,
  startPlaygroundSession,
} from '@/server/playground-session';
import { listUsageEvents, listUsageEventsQuery } from '@/server/usage';

export type StartPlaygroundState =
  | { status: 'started'; session: PlaygroundSession }
  | { status: 'error'; message: string };

/** Mints the run's short-lived key (see playground-session.ts) and waits until the router accepts it. */
export async function startPlaygroundAction(templateKeyId: string | null): Promise<StartPlaygroundState> {
  const actor = await requireConsoleActor();
  const env = getEnv();
  try {
    const session = await startPlaygroundSession(getAdminContext(), actor, {
      templateKeyId: templateKeyId || null,
      routerUrl: env.ROUTER_PUBLIC_URL.replace(/\/+$/, ''),
      secret: env.NEXTAUTH_SECRET,
    });
    return { status: 'started', session };
  } catch (error) {
    return { status: 'error', ...actionFailure(error) };
  }
}

/** Revokes the run's key. */
export async function endPlaygroundAction(
  sealed: string,
): Promise<{ status: 'revoked'; keyId: string } | { status: 'error'; message: string }> {
  const actor = await requireConsoleActor();
  try {
    const { keyId } = await endPlaygroundSession(getAdminContext(), actor, sealed, getEnv().NEXTAUTH_SECRET);
    return { status: 'revoked', keyId };
  } catch (error) {
    return { status: 'error', ...actionFailure(error) };
  }
}

/** What the usage rows of a run's key say, by request id: cost and the router's own TTFT, once they are written. */
export interface PlaygroundUsage {
  requestId: string;
  costMicros: string;
  unpriced: boolean;
  ttftMs: number | null;
  latencyMs: number;
  status: string;
}

export async function playgroundUsageAction(keyId: string): Promise<PlaygroundUsage[]> {
  const actor = await requireConsoleActor();
  const page = await listUsageEvents(
    getAdminContext(),
    actor,
    listUsageEventsQuery.parse({ keyId, limit: 50 }),
  );
  return page.items.map((event) => ({
    requestId: event.requestId,
    costMicros: event.costMicros,
    unpriced: event.unpriced,
    ttftMs: event.ttftMs,
    latencyMs: event.latencyMs,
    status: event.status,
  }));
}
