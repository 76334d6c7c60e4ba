import { type EffectiveHealthCheck, effectiveHealthCheck, type HealthCheckSetting } from '@switchyard/core';
import type { AdminUpstreamAccount, UpstreamAccountChanges } from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor, requireWriter } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso, isoOrNull } from './iso-time';
import { type RouterReadback, readbackSource, routerReadback } from './router-readback';
import { nonEmptyChanges, resourceName } from './schema-helpers';

/** Weight 0 drains an account without disabling it. */
const weight = z.number().int().min(0).max(1000);
/** Lower priority numbers are preferred. */
const priority = z.number().int().min(0).max(1000);
/** The upstream API key or token, in plaintext on the wire only; stored encrypted, never returned. */
const credential = z.string().trim().min(1).max(8192);

/**
 * Active health checks of the account. `enabled` null follows the routers (on when HEALTH_CHECK_INTERVAL_MS > 0);
 * `intervalMs` null follows HEALTH_CHECK_INTERVAL_MS (30 s when that is 0). A field left out is not changed.
 */
const healthCheck = z
  .object({
    enabled: z.boolean().nullable().optional(),
    intervalMs: z.number().int().min(100).max(3_600_000).nullable().optional(),
  })
  .strict();

export const listAccountsQuery = z.object({ providerId: z.string().min(1).optional() });

export const createAccountInput = z.object({
  providerId: z.string().min(1),
  name: resourceName,
  credential,
  weight: weight.default(1),
  priority: priority.default(0),
  enabled: z.boolean().default(true),
  healthCheck: healthCheck.optional(),
});

export const updateAccountInput = nonEmptyChanges(
  z.object({
    name: resourceName.optional(),
    credential: credential.optional(),
    weight: weight.optional(),
    priority: priority.optional(),
    enabled: z.boolean().optional(),
    healthCheck: healthCheck.optional(),
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
  /** Moves on with every reset or new credential (a 401 seen under an older epoch no longer counts). */
  credentialEpoch: number;
  /**
   * The stored credential's last four characters, so an operator can tell which key it is; null when it is
   * shorter than {@link MIN_LENGTH_FOR_LAST4} (four characters would give most of it away) or cannot be decrypted.
   */
  credentialLast4: string | null;
  /** Active health checks as stored; null fields follow the routers' HEALTH_CHECK_INTERVAL_MS. */
  healthCheck: HealthCheckSetting;
  /** What the routers do for this account: checks on or off and their interval, each with its source. */
  effectiveHealthCheck: EffectiveHealthCheck;
  /** Where the routers' defaults in this readback come from. */
  routerSettings: Omit<RouterReadback, 'settings'>;
  createdAt: string;
}

/** Credentials shorter than this show no characters at all. */
export const MIN_LENGTH_FOR_LAST4 = 12;

/** The last four characters of a credential long enough that they reveal little of it. */
export function credentialLast4(plaintext: string | null): string | null {
  if (plaintext === null || plaintext.length < MIN_LENGTH_FOR_LAST4) return null;
  return plaintext.slice(-4);
}

/** Account id → the last four characters of its stored credential (decrypted here, never returned whole). */
async function last4ByAccount(ctx: AdminContext, ids: string[]): Promise<Map<string, string | null>> {
  const ciphertexts = await ctx.repos.upstreamAccounts.credentialCiphertexts(ids);
  return new Map(
    [...ciphertexts].map(([id, ciphertext]) => [id, credentialLast4(ctx.decryptCredential(ciphertext))]),
  );
}

function toAccountView(
  account: AdminUpstreamAccount,
  routers: RouterReadback,
  last4: Map<string, string | null>,
): AccountView {
  return {
    ...account,
    credentialLast4: last4.get(account.id) ?? null,
    credentialRejectedAt: isoOrNull(account.credentialRejectedAt),
    credentialEpoch: account.credentialEpoch ?? 0,
    effectiveHealthCheck: effectiveHealthCheck(account.healthCheck, routers.settings.healthCheck.intervalMs),
    routerSettings: readbackSource(routers),
    createdAt: iso(account.createdAt),
  };
}

/** The repository's columns for a health check change; fields left out stay as they are. */
function healthCheckColumns(
  setting: z.infer<typeof healthCheck> | undefined,
): Pick<UpstreamAccountChanges, 'healthCheckEnabled' | 'healthCheckIntervalMs'> {
  return {
    ...(setting?.enabled === undefined ? {} : { healthCheckEnabled: setting.enabled }),
    ...(setting?.intervalMs === undefined ? {} : { healthCheckIntervalMs: setting.intervalMs }),
  };
}

export async function listAccounts(
  ctx: AdminContext,
  _actor: Actor,
  query: ListAccountsQuery,
): Promise<{ items: AccountView[] }> {
  const [accounts, routers] = await Promise.all([
    ctx.repos.upstreamAccounts.list(query),
    routerReadback(ctx),
  ]);
  const last4 = await last4ByAccount(
    ctx,
    accounts.map((account) => account.id),
  );
  return { items: accounts.map((account) => toAccountView(account, routers, last4)) };
}

export async function getAccount(ctx: AdminContext, _actor: Actor, id: string): Promise<AccountView> {
  const account = await ctx.repos.upstreamAccounts.findById(id);
  if (!account) throw new AdminError('not_found', `No upstream account with id ${id}.`);
  return toAccountView(account, await routerReadback(ctx), await last4ByAccount(ctx, [account.id]));
}

export async function createAccount(
  ctx: AdminContext,
  actor: Actor,
  input: CreateAccountInput,
): Promise<AccountView> {
  requireWriter(actor);
  const { credential: plaintext, healthCheck: check, ...fields } = input;
  const account = await ctx.repos.upstreamAccounts.create(
    { ...fields, ...healthCheckColumns(check), credentialCiphertext: ctx.encryptCredential(plaintext) },
    auditActor(actor),
  );
  return toAccountView(account, await routerReadback(ctx), await last4ByAccount(ctx, [account.id]));
}

export async function updateAccount(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  changes: UpdateAccountInput,
): Promise<AccountView> {
  requireWriter(actor);
  const { credential: plaintext, healthCheck: check, ...rest } = changes;
  const fields = { ...rest, ...healthCheckColumns(check) };
  const account = await ctx.repos.upstreamAccounts.update(
    id,
    plaintext === undefined ? fields : { ...fields, credentialCiphertext: ctx.encryptCredential(plaintext) },
    auditActor(actor),
  );
  if (!account) throw new AdminError('not_found', `No upstream account with id ${id}.`);
  return toAccountView(account, await routerReadback(ctx), await last4ByAccount(ctx, [account.id]));
}

/**
 * Trusts the account's credential again after an upstream rejected it, e.g. once the operator fixed it at the
 * provider, on every router within about a second (the credential epoch moves on, voiding marks routers hold).
 * Idempotent for the operator. Storing a new credential (updateAccount) clears the mark as well.
 */
export async function resetAccountCredential(
  ctx: AdminContext,
  actor: Actor,
  id: string,
): Promise<AccountView> {
  requireWriter(actor);
  const account = await ctx.repos.upstreamAccounts.resetCredentialStatus(id, auditActor(actor));
  if (!account) throw new AdminError('not_found', `No upstream account with id ${id}.`);
  return toAccountView(account, await routerReadback(ctx), await last4ByAccount(ctx, [account.id]));
}
