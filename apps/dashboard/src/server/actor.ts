import type { AdminTokenRecord, AdminUser, AuditActor, UserRoleName } from '@switchyard/db/admin';
import { authorize, can } from './permissions';

/**
 * Who is calling the control plane: a signed-in console user, the holder of the bootstrap SWITCHYARD_ADMIN_TOKEN,
 * or a scoped admin API token. Each carries the role the permission table is read with.
 */
export type Actor =
  | { kind: 'user'; userId: string; email: string; role: UserRoleName; teamId: string | null }
  | { kind: 'admin_token'; role: 'owner'; teamId: null }
  | {
      kind: 'api_token';
      tokenId: string;
      name: string;
      /** read → viewer; write → admin, or member of the token's team when it has one. */
      role: 'admin' | 'member' | 'viewer';
      teamId: string | null;
    };

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
  switch (actor.kind) {
    case 'user':
      return { type: 'user', id: actor.userId };
    case 'api_token':
      return { type: 'api_token', id: actor.tokenId };
    case 'admin_token':
      return { type: 'admin_token', id: null };
  }
}
