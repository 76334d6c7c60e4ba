'use server';

import { revalidatePath } from 'next/cache';
import { createAccount, createAccountInput, updateAccount, updateAccountInput } from '@/server/accounts';
import { actionFailure } from '@/server/action-failure';
import { getAdminContext } from '@/server/admin-context';
import {
  type ConnectionTestResult,
  testAccountConnection,
} from '@/server/connection-test/test-account-connection';
import { requireConsoleActor } from '@/server/console-session';
import { createProvider, createProviderInput, updateProvider, updateProviderInput } from '@/server/providers';

/** What a console form's save answers: done (with the id it made or changed), or the message and field at fault. */
export type SaveResult = { ok: true; id: string } | { ok: false; message: string; field?: string };

async function save(run: () => Promise<{ id: string }>, paths: string[]): Promise<SaveResult> {
  try {
    const { id } = await run();
    for (const path of paths) revalidatePath(path);
    return { ok: true, id };
  } catch (error) {
    const failure = actionFailure(error);
    return { ok: false, message: failure.message, ...(failure.field ? { field: failure.field } : {}) };
  }
}

export async function createProviderAction(input: {
  name: string;
  kind: string;
  baseUrl: string;
}): Promise<SaveResult> {
  const actor = await requireConsoleActor();
  return save(
    () => createProvider(getAdminContext(), actor, createProviderInput.parse(input)),
    ['/providers'],
  );
}

export async function updateProviderAction(
  id: string,
  changes: {
    name?: string;
    baseUrl?: string;
    enabled?: boolean;
    accountCredentials?: Record<string, string>;
  },
): Promise<SaveResult> {
  const actor = await requireConsoleActor();
  return save(
    () => updateProvider(getAdminContext(), actor, String(id), updateProviderInput.parse(changes)),
    ['/providers', `/providers/${id}`],
  );
}

export interface AccountFormInput {
  name?: string;
  credential?: string;
  weight?: number;
  priority?: number;
  enabled?: boolean;
  healthCheck?: { enabled: boolean | null; intervalMs: number | null };
}

export async function createAccountAction(providerId: string, input: AccountFormInput): Promise<SaveResult> {
  const actor = await requireConsoleActor();
  return save(
    () => createAccount(getAdminContext(), actor, createAccountInput.parse({ ...input, providerId })),
    [`/providers/${providerId}`, '/providers'],
  );
}

export async function updateAccountAction(
  providerId: string,
  accountId: string,
  changes: AccountFormInput,
): Promise<SaveResult> {
  const actor = await requireConsoleActor();
  return save(
    () => updateAccount(getAdminContext(), actor, String(accountId), updateAccountInput.parse(changes)),
    [`/providers/${providerId}`],
  );
}

export type TestConnectionOutcome =
  | { ok: true; result: ConnectionTestResult }
  | { ok: false; message: string };

export async function testConnectionAction(accountId: string): Promise<TestConnectionOutcome> {
  const actor = await requireConsoleActor();
  try {
    return { ok: true, result: await testAccountConnection(getAdminContext(), actor, String(accountId)) };
  } catch (error) {
    return { ok: false, message: actionFailure(error).message };
  }
}
