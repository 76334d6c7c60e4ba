import type { AdminUpstreamAccount } from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor, requireWriter } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso, isoOrNull } from './iso-time';
import { nonEmptyChanges, resourceName } from './schema-helpers';

/** Weight 0 drains an account without disabling it. */
const weight = z.number().int().min(0).max(1000);
/** Lower priority numbers are preferred. */
const priority = z.number().int().min(0).max(1000);
/** The upstream API key or token, in plaintext on the wire only; stored encrypted, never returned. */
const credential = z.string().trim().min(1).max(8192);

export const listAccountsQuery = z.object({ providerId: z.string().min(1).optional() });

export const createAccountInput = z.object({
  providerId: z.string().min(1),
  name: resourceName,
  credential,
  weight: weight.default(1),
  priority: priority.default(0),
  enabled: z.boolean().default(true),
});

export const updateAccountInput = nonEmptyChanges(
  z.object({
    name: resourceName.optional(),
    credential: credential.optional(),
    weight: weight.optional(),
    priority: priority.optional(),
    enabled: z.boolean().optional(),
  }),
);

export type ListAccountsQuery = z.infer<typeof listAccountsQuery>;
export type CreateAccountInput = z.infer<typeof createAccountInput>;
export type UpdateAccountInput = z.infer<typeof updateAccountInput>;

/** An upstream account as the API shows it: never the credential, in any form. */
export interface AccountView {
  id: string;
  providerId: string;
  name: string;
  weight: number;
  priority: number;
  enabled: boolean;
  /**
   * When an upstream rejected the credential (401/403); while set the routers send the account nothing. Cleared
   * by `POST /accounts/{id}/credential/reset` or by storing a new credential.
   */
  credentialRejectedAt: string | null;
  /** What the upstream said when it rejected the credential. */
  credentialError: string | null;
  createdAt: string;
}

function toAccountView(account: AdminUpstreamAccount): AccountView {
  return {
    ...account,
    credentialRejectedAt: isoOrNull(account.credentialRejectedAt),
    createdAt: iso(account.createdAt),
  };
}

export async function listAccounts(
  ctx: AdminContext,
  _actor: Actor,
  query: ListAccountsQuery,
): Promise<{ items: AccountView[] }> {
  const accounts = await ctx.repos.upstreamAccounts.list(query);
  return { items: accounts.map(toAccountView) };
}

export async function getAccount(ctx: AdminContext, _actor: Actor, id: string): Promise<AccountView> {
  const account = await ctx.repos.upstreamAccounts.findById(id);
  if (!account) throw new AdminError('not_found', `No upstream account with id ${id}.`);
  return toAccountView(account);
}

export async function createAccount(
  ctx: AdminContext,
  actor: Actor,
  input: CreateAccountInput,
): Promise<AccountView> {
  requireWriter(actor);
  const { credential: plaintext, ...fields } = input;
  const account = await ctx.repos.upstreamAccounts.create(
    { ...fields, credentialCiphertext: ctx.encryptCredential(plaintext) },
    auditActor(actor),
  );
  return toAccountView(account);
}

export async function updateAccount(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  changes: UpdateAccountInput,
): Promise<AccountView> {
  requireWriter(actor);
  const { credential: plaintext, ...fields } = changes;
  const account = await ctx.repos.upstreamAccounts.update(
    id,
    plaintext === undefined ? fields : { ...fields, credentialCiphertext: ctx.encryptCredential(plaintext) },
    auditActor(actor),
  );
  if (!account) throw new AdminError('not_found', `No upstream account with id ${id}.`);
  return toAccountView(account);
}

/**
 * Trusts the account's credential again after an upstream rejected it, e.g. once the operator fixed it at the
 * provider. Idempotent. Storing a new credential (updateAccount) clears the mark as well.
 */
export async function resetAccountCredential(
  ctx: AdminContext,
  actor: Actor,
  id: string,
): Promise<AccountView> {
  requireWriter(actor);
  const account = await ctx.repos.upstreamAccounts.resetCredentialStatus(id, auditActor(actor));
  if (!account) throw new AdminError('not_found', `No upstream account with id ${id}.`);
  return toAccountView(account);
}
