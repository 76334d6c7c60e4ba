import { PROVIDER_KINDS } from '@switchyard/core';
import type { AdminProvider } from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor, requireWriter } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso } from './iso-time';
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
  return toProviderView(await ctx.repos.providers.create(input, auditActor(actor)));
}

export async function updateProvider(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  changes: UpdateProviderInput,
): Promise<ProviderView> {
  requireWriter(actor);
  const provider = await ctx.repos.providers.update(id, changes, auditActor(actor));
  if (!provider) throw new AdminError('not_found', `No provider with id ${id}.`);
  return toProviderView(provider);
}
