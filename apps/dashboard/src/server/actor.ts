import type { AdminTokenRecord, AdminUser, AuditActor, UserRoleName } from '@switchyard/db/admin';
import { clientAddress } from './client-address';
import { authorize, can } from './permissions';

/**
 * Who is calling the control plane: a signed-in console user, the holder of the bootstrap SWITCHYARD_ADMIN_TOKEN,
 * or a scoped admin API token. Each carries the role the permission table is read with.
 */
export type Actor = (
  | { kind: 'user'; userId: string; email: string; role: UserRoleName; teamId: string | null }
  | { kind: 'admin_token'; role: 'owner'; teamId: null }
  | {
      kind: 'api_token';
      tokenId: string;
      name: string;
      /** read → viewer; write → admin, or member of the token's team when it has one. */
      role: 'admin' | 'member' | 'viewer';
      teamId: string | null;
    }
) & {
  /** The request the actor acts through: recorded on every audit row it writes. */
  client?: ActorClient;
};

/** Where a request came from: the nearest proxy's X-Forwarded-For hop and the User-Agent header. */
export interface ActorClient {
  ip: string | null;
  userAgent: string | null;
}

/** The client of a request, from its headers. */
export function clientOf(headers: Headers): ActorClient {
  return { ip: clientAddress(headers), userAgent: headers.get('user-agent') };
}

/** The actor acting through this request. */
export function withClient(actor: Actor, client: ActorClient): Actor {
  return { ...actor, client };
}

export function userActor(user: AdminUser): Actor {
  return { kind: 'user', userId: user.id, email: user.email, role: user.role, teamId: user.teamId };
}

export function tokenActor(token: AdminTokenRecord): Actor {
  const role = token.scope === 'read' ? 'viewer' : token.teamId === null ? 'admin' : 'member';
  return { kind: 'api_token', tokenId: token.id, name: token.name, role, teamId: token.teamId };
}

export const ADMIN_TOKEN_ACTOR: Actor = { kind: 'admin_token', role: 'owner', teamId: null };

/** May change configuration (providers, accounts, routes, prices, budgets, teams). */
export function canWrite(actor: Actor): boolean {
  return can(actor, 'config.write');
}

/** Viewers and members may read configuration but not change it. */
export function requireWriter(actor: Actor): void {
  authorize(actor, 'config.write');
}

export function auditActor(actor: Actor): AuditActor {
  const client = { ip: actor.client?.ip ?? null, userAgent: actor.client?.userAgent ?? null };
  switch (actor.kind) {
    case 'user':
      return { type: 'user', id: actor.userId, ...client };
    case 'api_token':
      return { type: 'api_token', id: actor.tokenId, ...client };
    case 'admin_token':
      return { type: 'admin_token', id: null, ...client };
  }
}
