import type { AdminUser, AuditActor } from '@switchyard/db/admin';
import { AdminError } from './admin-error';

/** Who is calling the control plane: a signed-in console user or the holder of the admin token. */
export type Actor =
  | { kind: 'user'; userId: string; email: string; role: AdminUser['role'] }
  | { kind: 'admin_token'; role: 'owner' };

export function userActor(user: AdminUser): Actor {
  return { kind: 'user', userId: user.id, email: user.email, role: user.role };
}

export const ADMIN_TOKEN_ACTOR: Actor = { kind: 'admin_token', role: 'owner' };

export function canWrite(actor: Actor): boolean {
  return actor.role === 'owner' || actor.role === 'admin';
}

/** Viewers may read everything but change nothing. */
export function requireWriter(actor: Actor): void {
  if (!canWrite(actor)) throw new AdminError('forbidden', 'Viewers cannot make changes.');
}

export function auditActor(actor: Actor): AuditActor {
  return actor.kind === 'user' ? { type: 'user', id: actor.userId } : { type: 'admin_token', id: null };
}
