import {
  type AdminUserRecord,
  digestApiKey,
  generateSecret,
  hashPassword,
  INVITE_SECRET_PREFIX,
  USER_ROLES,
} from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso, isoOrNull } from './iso-time';
import { authorize, mayAssignRole } from './permissions';
import { nonEmptyChanges, storableString } from './schema-helpers';

const HOUR_MS = 3_600_000;
/** How long an invite link works unless the inviter says otherwise: 3 days. */
export const DEFAULT_INVITE_HOURS = 72;

/** A console password: long enough to resist guessing; the hash is scrypt. */
export const newPassword = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(200, 'must be at most 200 characters');

const userRole = z.enum(USER_ROLES);
const teamId = z.string().trim().min(1).max(200).nullable();
const displayName = storableString(100).nullable();
const inviteHours = z
  .number()
  .int()
  .min(1)
  .max(30 * 24);

export const createUserInput = z.object({
  email: z.email({ message: 'must be an e-mail address' }).trim().toLowerCase().max(320),
  name: displayName.default(null),
  role: userRole.default('member'),
  /** The team whose keys a member manages. */
  teamId: teamId.default(null),
  /** Absent: the user is invited and sets a password through a one-time link (returned once). */
  password: newPassword.optional(),
  /** Hours the invite link works (1 to 720); only without a password. */
  inviteExpiresInHours: inviteHours.default(DEFAULT_INVITE_HOURS),
});

export const updateUserInput = nonEmptyChanges(
  z.object({
    name: displayName.optional(),
    /** A role change ends the user's sessions: they sign in again under the new role. */
    role: userRole.optional(),
    teamId: teamId.optional(),
    /** true disables the user (sign-in refused, sessions ended); false enables them again. */
    disabled: z.boolean().optional(),
  }),
);

export const inviteUserInput = z.object({ expiresInHours: inviteHours.default(DEFAULT_INVITE_HOURS) });

export const listUsersQuery = z.object({ teamId: z.string().trim().min(1).max(200).optional() });

export type CreateUserInput = z.infer<typeof createUserInput>;
export type UpdateUserInput = z.infer<typeof updateUserInput>;

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: AdminUserRecord['role'];
  teamId: string | null;
  teamName: string | null;
  /** `invited` until the user accepts the invite; `disabled` cannot sign in. */
  status: 'active' | 'invited' | 'disabled';
  disabledAt: string | null;
  createdAt: string;
}

/** A one-time invite link: shown once, only its digest is stored. */
export interface InviteView {
  url: string;
  expiresAt: string;
}

function toUserView(user: AdminUserRecord): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    teamId: user.teamId,
    teamName: user.teamName,
    status: user.disabledAt !== null ? 'disabled' : user.pendingInvite ? 'invited' : 'active',
    disabledAt: isoOrNull(user.disabledAt),
    createdAt: iso(user.createdAt),
  };
}

async function findUser(ctx: AdminContext, id: string): Promise<AdminUserRecord> {
  const user = await ctx.repos.users.findRecordById(id);
  if (!user) throw new AdminError('not_found', `No user with id ${id}.`);
  return user;
}

function requireMayAssign(actor: Actor, role: AdminUserRecord['role'], field: string): void {
  if (!mayAssignRole(actor, role)) {
    throw new AdminError('forbidden', `${field}: only an owner may create, change or disable owners.`, field);
  }
}

/**
 * The link is `<console>/invite#<secret>`: the secret sits in the fragment, which browsers never send to a server
 * or put in a Referer, so it reaches no access log.
 */
async function issueInvite(
  ctx: AdminContext,
  actor: Actor,
  userId: string,
  hours: number,
  consoleOrigin: string,
): Promise<InviteView> {
  const secret = generateSecret(INVITE_SECRET_PREFIX);
  const expiresAt = new Date(ctx.now().getTime() + hours * HOUR_MS);
  await ctx.repos.users.createInvite(userId, secret.digest, expiresAt, auditActor(actor));
  return { url: `${consoleOrigin}/invite#${secret.plaintext}`, expiresAt: expiresAt.toISOString() };
}

export async function listUsers(
  ctx: AdminContext,
  actor: Actor,
  query: z.infer<typeof listUsersQuery> = {},
): Promise<{ items: UserView[] }> {
  authorize(actor, 'users.manage');
  return { items: (await ctx.repos.users.list(query)).map(toUserView) };
}

export async function getUser(ctx: AdminContext, actor: Actor, id: string): Promise<UserView> {
  authorize(actor, 'users.manage');
  return toUserView(await findUser(ctx, id));
}

/** With a password the user can sign in at once; without one an invite link is returned (once). */
export async function createUser(
  ctx: AdminContext,
  actor: Actor,
  input: CreateUserInput,
  consoleOrigin: string,
): Promise<{ user: UserView; invite: InviteView | null }> {
  authorize(actor, 'users.manage');
  requireMayAssign(actor, input.role, 'role');
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const user = await ctx.repos.users.create(
    { email: input.email, name: input.name, role: input.role, teamId: input.teamId, passwordHash },
    auditActor(actor),
  );
  const invite =
    passwordHash === null
      ? await issueInvite(ctx, actor, user.id, input.inviteExpiresInHours, consoleOrigin)
      : null;
  return { user: toUserView(user), invite };
}

/** A new one-time link for the user (earlier ones stop working); for a forgotten password as well. */
export async function inviteUser(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof inviteUserInput>,
  consoleOrigin: string,
): Promise<{ user: UserView; invite: InviteView }> {
  authorize(actor, 'users.manage');
  const user = await findUser(ctx, id);
  requireMayAssign(actor, user.role, 'id');
  if (user.disabledAt !== null) {
    throw new AdminError('conflict', 'id: the user is disabled; enable them before inviting.', 'id');
  }
  return {
    user: toUserView(user),
    invite: await issueInvite(ctx, actor, id, input.expiresInHours, consoleOrigin),
  };
}

/** A role change or disabling ends every live session of the user at once (their next request is refused). */
export async function updateUser(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  changes: UpdateUserInput,
): Promise<UserView> {
  authorize(actor, 'users.manage');
  const user = await findUser(ctx, id);
  requireMayAssign(actor, user.role, 'id');
  if (changes.role !== undefined) requireMayAssign(actor, changes.role, 'role');
  if (
    actor.kind === 'user' &&
    actor.userId === id &&
    (changes.role !== undefined || changes.disabled === true)
  ) {
    const field = changes.role !== undefined ? 'role' : 'disabled';
    throw new AdminError(
      'forbidden',
      `${field}: you cannot change your own role or disable yourself.`,
      field,
    );
  }
  const updated = await ctx.repos.users.update(id, changes, ctx.now(), auditActor(actor));
  if (!updated) throw new AdminError('not_found', `No user with id ${id}.`);
  return toUserView(updated);
}

export const acceptInviteInput = z.object({
  token: z.string().trim().min(1, 'is missing: open the whole link you were sent').max(200),
  password: newPassword,
});

/** Sets the invited user's password; the link works once and only until it expires. No session is needed. */
export async function acceptInvite(
  ctx: AdminContext,
  input: z.infer<typeof acceptInviteInput>,
): Promise<{ email: string }> {
  const digest = digestApiKey(input.token);
  // A made-up or spent link is refused before the (deliberately slow) password hash is computed.
  const user =
    (await ctx.repos.users.inviteIsUsable(digest, ctx.now())) &&
    (await ctx.repos.users.acceptInvite(digest, await hashPassword(input.password), ctx.now()));
  if (!user) {
    throw new AdminError(
      'invalid_request',
      'token: this invite link is not valid: it was used already, replaced by a newer one, or has expired. Ask an admin for a new one.',
      'token',
    );
  }
  return { email: user.email };
}
