import {
  ADMIN_TOKEN_PREFIX,
  ADMIN_TOKEN_SCOPES,
  type AdminTokenRecord,
  generateSecret,
} from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso, isoOrNull } from './iso-time';
import { authorize } from './permissions';
import { resourceName } from './schema-helpers';

const DAY_MS = 86_400_000;

export const createAdminTokenInput = z.object({
  name: resourceName,
  /** read: every GET; write: every change an admin may make (a team token: that team's keys only). */
  scope: z.enum(ADMIN_TOKEN_SCOPES),
  /** Limits the token to one team's keys. */
  teamId: z.string().trim().min(1).max(200).nullable().default(null),
  /** Days until the token stops working (1 to 3650); null: until revoked. */
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(null),
});

export type CreateAdminTokenInput = z.infer<typeof createAdminTokenInput>;

/** An admin API token as the API and the console show it: never its secret. */
export interface AdminTokenView {
  id: string;
  name: string;
  prefix: string;
  scope: AdminTokenRecord['scope'];
  teamId: string | null;
  status: 'active' | 'revoked' | 'expired';
  createdById: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

function toView(token: AdminTokenRecord, now: number): AdminTokenView {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    scope: token.scope,
    teamId: token.teamId,
    status:
      token.revokedAt !== null
        ? 'revoked'
        : token.expiresAt !== null && token.expiresAt <= now
          ? 'expired'
          : 'active',
    createdById: token.createdById,
    expiresAt: isoOrNull(token.expiresAt),
    revokedAt: isoOrNull(token.revokedAt),
    lastUsedAt: isoOrNull(token.lastUsedAt),
    createdAt: iso(token.createdAt),
  };
}

export async function listAdminTokens(ctx: AdminContext, actor: Actor): Promise<{ items: AdminTokenView[] }> {
  authorize(actor, 'tokens.manage');
  const now = ctx.now().getTime();
  return { items: (await ctx.repos.adminTokens.list()).map((token) => toView(token, now)) };
}

export async function getAdminToken(ctx: AdminContext, actor: Actor, id: string): Promise<AdminTokenView> {
  authorize(actor, 'tokens.manage');
  const token = await ctx.repos.adminTokens.findById(id);
  if (!token) throw new AdminError('not_found', `No admin API token with id ${id}.`);
  return toView(token, ctx.now().getTime());
}

/** The plaintext (`sy-adm-…`) exists only in the return value: shown once, stored as its sha256 digest. */
export async function createAdminToken(
  ctx: AdminContext,
  actor: Actor,
  input: CreateAdminTokenInput,
): Promise<{ token: AdminTokenView; plaintext: string }> {
  authorize(actor, 'tokens.manage');
  const secret = generateSecret(ADMIN_TOKEN_PREFIX);
  const now = ctx.now().getTime();
  const token = await ctx.repos.adminTokens.create(
    {
      name: input.name,
      digest: secret.digest,
      prefix: secret.prefix,
      scope: input.scope,
      teamId: input.teamId,
      createdById: actor.kind === 'user' ? actor.userId : null,
      expiresAt: input.expiresInDays === null ? null : new Date(now + input.expiresInDays * DAY_MS),
    },
    auditActor(actor),
  );
  return { token: toView(token, now), plaintext: secret.plaintext };
}

/** Takes effect on the token's next request. Idempotent. */
export async function revokeAdminToken(ctx: AdminContext, actor: Actor, id: string): Promise<AdminTokenView> {
  authorize(actor, 'tokens.manage');
  const token = await ctx.repos.adminTokens.revoke(id, ctx.now(), auditActor(actor));
  if (!token) throw new AdminError('not_found', `No admin API token with id ${id}.`);
  return toView(token, ctx.now().getTime());
}
