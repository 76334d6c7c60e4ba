import type { UserRoleName } from '@switchyard/db/admin';
import type { Actor } from './actor';
import { AdminError } from './admin-error';

/**
 * What a caller may do in the control plane: the one policy every admin API route, server action and console
 * page consults (through `authorize` and `can`), so a role means the same thing everywhere.
 */
export type Permission =
  /** Read configuration, usage and cost (keys only within the caller's key scope). */
  | 'read'
  /** Create, change and delete providers, accounts, routes, prices, budgets and teams. */
  | 'config.write'
  /** Create, change, rotate and revoke API keys (members: only their own team's). */
  | 'keys.write'
  /** Create, invite, change and disable console users (non-owners never touch owners). */
  | 'users.manage'
  /** Create and revoke admin API tokens. */
  | 'tokens.manage'
  /** Read the audit log, which tells who holds which role and who failed to sign in. */
  | 'audit.read';

export const PERMISSIONS: Record<UserRoleName, readonly Permission[]> = {
  owner: ['read', 'config.write', 'keys.write', 'users.manage', 'tokens.manage', 'audit.read'],
  admin: ['read', 'config.write', 'keys.write', 'users.manage', 'tokens.manage', 'audit.read'],
  member: ['read', 'keys.write'],
  viewer: ['read'],
};

/** Users and tokens are managed by people: a script's token cannot mint tokens or change who may sign in. */
const PEOPLE_ONLY: ReadonlySet<Permission> = new Set(['users.manage', 'tokens.manage']);

const REFUSALS: Record<Permission, string> = {
  read: 'You may not read this.',
  'config.write': 'Only owners and admins may change configuration.',
  'keys.write': 'Viewers cannot create or change keys.',
  'users.manage': 'Only owners and admins (signed in, not by API token) may manage users.',
  'tokens.manage': 'Only owners and admins (signed in, not by API token) may manage admin API tokens.',
  'audit.read': 'Only owners and admins may read the audit log.',
};

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'api_token' && PEOPLE_ONLY.has(permission)) return false;
  return PERMISSIONS[actor.role].includes(permission);
}

/** Throws `forbidden` (403, audited by the admin API) unless the actor holds the permission. */
export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new AdminError('forbidden', REFUSALS[permission]);
}

const WRITE_PERMISSIONS: readonly Permission[] = [
  'config.write',
  'keys.write',
  'users.manage',
  'tokens.manage',
];

/**
 * For any write at all: refuses viewers and read tokens before a request body is even read, so every write route
 * answers them 403 alike. The service then checks the specific permission (and a member's team).
 */
export function authorizeAnyWrite(actor: Actor): void {
  if (!WRITE_PERMISSIONS.some((permission) => can(actor, permission))) {
    throw new AdminError('forbidden', 'Viewers and read-only tokens cannot make changes.');
  }
}

/**
 * The team whose keys alone the actor may see and manage, or null for every key. Members are scoped to their
 * team (no team: to none), and so is an admin API token created for a team.
 */
export function keyTeamScope(actor: Actor): { teamId: string | null } | null {
  if (actor.kind === 'api_token') return actor.teamId === null ? null : { teamId: actor.teamId };
  if (actor.role === 'member') return { teamId: actor.teamId };
  return null;
}

/**
 * A key outside the actor's scope answers exactly as a key that does not exist (404), so a member learns
 * nothing about other teams' keys, not even that an id is taken.
 */
export function requireKeyInScope(actor: Actor, key: { id: string; teamId: string | null }): void {
  const scope = keyTeamScope(actor);
  if (scope !== null && (scope.teamId === null || key.teamId !== scope.teamId)) {
    throw new AdminError('not_found', `No API key with id ${key.id}.`);
  }
}

/** Whether an actor may give a user this role or change a user who holds it: only owners touch owners. */
export function mayAssignRole(actor: Actor, role: UserRoleName): boolean {
  return role !== 'owner' || actor.role === 'owner';
}
