import { type AdminApiKey, generateApiKey } from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor, requireWriter } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso, isoOrNull } from './iso-time';
import { pageQueryFields, parseCursor } from './pagination';
import { modelName, resourceName } from './schema-helpers';

export const keyEnvironments = ['production', 'staging', 'development'] as const;
export const keyStatuses = ['active', 'revoked', 'expired'] as const;

export const listKeysQuery = z.object({
  status: z.enum(keyStatuses).optional(),
  ...pageQueryFields(100),
});

export const createKeyInput = z.object({
  name: resourceName,
  environment: z.enum(keyEnvironments).default('production'),
  /** Empty means every model. */
  allowedModels: z.array(modelName).max(100).default([]),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
  expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
});

export type ListKeysQuery = z.infer<typeof listKeysQuery>;
export type CreateKeyInput = z.infer<typeof createKeyInput>;

/** An API key as the admin API and the console show it. */
export interface KeyView {
  id: string;
  name: string;
  prefix: string;
  environment: AdminApiKey['environment'];
  status: AdminApiKey['status'];
  allowedModels: string[];
  tags: string[];
  teamId: string | null;
  ownerId: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export function toKeyView(key: AdminApiKey): KeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    environment: key.environment,
    status: key.status,
    allowedModels: key.allowedModels,
    tags: key.tags,
    teamId: key.teamId,
    ownerId: key.ownerId,
    expiresAt: isoOrNull(key.expiresAt),
    revokedAt: isoOrNull(key.revokedAt),
    lastUsedAt: isoOrNull(key.lastUsedAt),
    createdAt: iso(key.createdAt),
  };
}

export async function listKeys(
  ctx: AdminContext,
  _actor: Actor,
  query: ListKeysQuery,
): Promise<{ items: KeyView[]; nextCursor: string | null }> {
  const page = await ctx.repos.apiKeys.list({
    status: query.status,
    limit: query.limit,
    cursor: parseCursor(query.cursor),
  });
  return { items: page.items.map(toKeyView), nextCursor: page.nextCursor };
}

export async function getKey(ctx: AdminContext, _actor: Actor, id: string): Promise<KeyView> {
  const key = await ctx.repos.apiKeys.findById(id);
  if (!key) throw new AdminError('not_found', `No API key with id ${id}.`);
  return toKeyView(key);
}

/** Input is already parsed with `createKeyInput`. The plaintext exists only in the return value: never stored or logged. */
export async function createKey(
  ctx: AdminContext,
  actor: Actor,
  input: CreateKeyInput,
): Promise<{ key: KeyView; plaintext: string }> {
  requireWriter(actor);
  const expiresAt = input.expiresAt === null ? null : Date.parse(input.expiresAt);
  if (expiresAt !== null && expiresAt <= ctx.now().getTime()) {
    throw new AdminError('invalid_request', 'expiresAt: must be in the future', 'expiresAt');
  }
  const generated = generateApiKey();
  const key = await ctx.repos.apiKeys.create(
    {
      name: input.name,
      digest: generated.digest,
      prefix: generated.prefix,
      environment: input.environment,
      allowedModels: [...new Set(input.allowedModels)],
      tags: [...new Set(input.tags)],
      expiresAt,
      ownerId: actor.kind === 'user' ? actor.userId : null,
      teamId: null,
    },
    auditActor(actor),
  );
  return { key: toKeyView(key), plaintext: generated.plaintext };
}

export async function revokeKey(ctx: AdminContext, actor: Actor, id: string): Promise<KeyView> {
  requireWriter(actor);
  const key = await ctx.repos.apiKeys.revoke(id, auditActor(actor));
  if (!key) throw new AdminError('not_found', `No API key with id ${id}.`);
  return toKeyView(key);
}
