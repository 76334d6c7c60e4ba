import { PROVIDER_KINDS } from '@switchyard/core';
import type { AdminProvider } from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor, requireWriter } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso } from './iso-time';
import { requireAllowedEgress } from './require-allowed-egress';
import { nonEmptyChanges, resourceName } from './schema-helpers';

/** The kinds an operator may configure: core's list, which the router's adapter registry is held to. */
export const providerKinds = PROVIDER_KINDS;

/** http(s) only; a trailing slash is dropped so the router can append paths. */
const baseUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));

export const createProviderInput = z.object({
  name: resourceName,
  kind: z.enum(providerKinds),
  baseUrl,
  enabled: z.boolean().default(true),
});

export const updateProviderInput = nonEmptyChanges(
  z.object({
    name: resourceName.optional(),
    kind: z.enum(providerKinds).optional(),
    baseUrl: baseUrl.optional(),
    enabled: z.boolean().optional(),
    /**
     * Account id → its credential, entered again. Required for every account of the provider when `baseUrl` moves
     * to another origin (scheme, host or port): a stored credential never follows its provider to a new host.
     */
    accountCredentials: z.record(z.string().min(1), z.string().trim().min(1).max(8192)).optional(),
  }),
);

export type CreateProviderInput = z.infer<typeof createProviderInput>;
export type UpdateProviderInput = z.infer<typeof updateProviderInput>;

export interface ProviderView {
  id: string;
  name: string;
  kind: AdminProvider['kind'];
  baseUrl: string;
  enabled: boolean;
  createdAt: string;
}

function toProviderView(provider: AdminProvider): ProviderView {
  return { ...provider, createdAt: iso(provider.createdAt) };
}

export async function listProviders(ctx: AdminContext, _actor: Actor): Promise<{ items: ProviderView[] }> {
  const providers = await ctx.repos.providers.list();
  return { items: providers.map(toProviderView) };
}

export async function createProvider(
  ctx: AdminContext,
  actor: Actor,
  input: CreateProviderInput,
): Promise<ProviderView> {
  requireWriter(actor);
  await requireAllowedEgress(ctx, 'baseUrl', input.baseUrl);
  return toProviderView(await ctx.repos.providers.create(input, auditActor(actor)));
}

export async function updateProvider(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  changes: UpdateProviderInput,
): Promise<ProviderView> {
  requireWriter(actor);
  const { accountCredentials, ...fields } = changes;
  if (fields.baseUrl !== undefined) {
    await requireAllowedEgress(ctx, 'baseUrl', fields.baseUrl);
    const current = await ctx.repos.providers.findById(id);
    if (!current) throw new AdminError('not_found', `No provider with id ${id}.`);
    const moved = new URL(current.baseUrl).origin !== new URL(fields.baseUrl).origin;
    if (moved && accountCredentials === undefined) {
      const accounts = await ctx.repos.upstreamAccounts.list({ providerId: id });
      if (accounts.length > 0) {
        throw new AdminError(
          'invalid_request',
          `accountCredentials: moving the base URL from ${new URL(current.baseUrl).host} to ${new URL(fields.baseUrl).host} requires entering the credential of every account again (${accounts.map((account) => account.id).join(', ')}); stored credentials never follow a provider to another host.`,
          'accountCredentials',
        );
      }
    }
  }
  const ciphertexts =
    accountCredentials === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(accountCredentials).map(([accountId, plaintext]) => [
            accountId,
            ctx.encryptCredential(plaintext),
          ]),
        );
  const provider = await ctx.repos.providers.update(id, fields, auditActor(actor), ciphertexts);
  if (!provider) throw new AdminError('not_found', `No provider with id ${id}.`);
  return toProviderView(provider);
}

export async function getProvider(ctx: AdminContext, _actor: Actor, id: string): Promise<ProviderView> {
  const provider = await ctx.repos.providers.findById(id);
  if (!provider) throw new AdminError('not_found', `No provider with id ${id}.`);
  return toProviderView(provider);
}
