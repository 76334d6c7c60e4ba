'use server';

import { resetAccountCredential, updateAccount, updateAccountInput } from '@/server/accounts';
import { actionFailure } from '@/server/action-failure';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { updateRouteTarget, updateRouteTargetInput } from '@/server/routes';

/** The health page refetches on its own; an action only says whether it worked. */
export type DrillActionResult = { error: string | null };

async function run(change: () => Promise<unknown>): Promise<DrillActionResult> {
  try {
    await change();
    return { error: null };
  } catch (error) {
    return { error: actionFailure(error).message };
  }
}

/** The failover drill: switch one target of a route off or on. */
export async function setTargetEnabledAction(
  routeId: string,
  targetId: string,
  enabled: boolean,
): Promise<DrillActionResult> {
  const actor = await requireConsoleActor();
  return run(() =>
    updateRouteTarget(
      getAdminContext(),
      actor,
      String(routeId),
      String(targetId),
      updateRouteTargetInput.parse({ enabled }),
    ),
  );
}

/** Switches an upstream account off or on, for every route it serves. */
export async function setAccountEnabledAction(
  accountId: string,
  enabled: boolean,
): Promise<DrillActionResult> {
  const actor = await requireConsoleActor();
  return run(() =>
    updateAccount(getAdminContext(), actor, String(accountId), updateAccountInput.parse({ enabled })),
  );
}

/** Trusts an account's credential again after an upstream rejected it. */
export async function resetCredentialAction(accountId: string): Promise<DrillActionResult> {
  const actor = await requireConsoleActor();
  return run(() => resetAccountCredential(getAdminContext(), actor, String(accountId)));
}

/** Saves an account's active health check: `enabled` and `intervalMs` null follow the routers' default. */
export async function setAccountHealthCheckAction(
  accountId: string,
  healthCheck: { enabled: boolean | null; intervalMs: number | null },
): Promise<DrillActionResult & { field?: string }> {
  const actor = await requireConsoleActor();
  try {
    await updateAccount(
      getAdminContext(),
      actor,
      String(accountId),
      updateAccountInput.parse({ healthCheck }),
    );
    return { error: null };
  } catch (error) {
    const failure = actionFailure(error);
    return { error: failure.message, ...(failure.field ? { field: failure.field } : {}) };
  }
}
