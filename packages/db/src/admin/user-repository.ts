import type { Prisma, PrismaClient } from '../client';
import { newId } from '../ids';
import type { AdminUser, AuditActor, UserRoleName } from './admin-records';
import { AdminRepositoryError } from './admin-repository-error';
import { appendAuditLog } from './append-audit-log';
import { auditChanges } from './audit-changes';
import { prismaErrorCode } from './prisma-error-code';

/** A console user as the Users page shows it. Times are epoch ms. */
export interface AdminUserRecord extends AdminUser {
  teamName: string | null;
  /** Invited and not yet accepted: no password, cannot sign in. */
  pendingInvite: boolean;
  disabledAt: number | null;
  createdAt: number;
}

export interface NewUser {
  email: string;
  name: string | null;
  role: UserRoleName;
  teamId: string | null;
  /** Null for an invited user, who sets a password by accepting the invite. */
  passwordHash: string | null;
}

export interface UserChanges {
  name?: string | null;
  role?: UserRoleName;
  teamId?: string | null;
  /** True disables (sign-in refused, sessions ended), false enables again. */
  disabled?: boolean;
}

export interface UserRepository {
  findById(id: string): Promise<AdminUser | null>;
  /**
   * Case-insensitive; includes the password hash for sign-in and nothing else should need it. Null as well for
   * an invited user who has not set a password and for a disabled user, so sign-in treats them as unknown.
   */
  findCredentialsByEmail(email: string): Promise<{ user: AdminUser; passwordHash: string } | null>;
  /** Case-insensitive, whatever the user's state (invited, disabled): for single sign-on, which decides on it. */
  findRecordByEmail(email: string): Promise<AdminUserRecord | null>;
  /** Replaces a stored hash after a successful sign-in (upgrading a legacy bcrypt hash to scrypt). */
  replacePasswordHash(id: string, previousHash: string, passwordHash: string): Promise<void>;
  /**
   * A user first seen through single sign-on (OIDC auto-provisioning). `passwordHash` is a hash of a random secret
   * nobody knows, so the account has no usable password. An e-mail that exists already (any case) is returned as is.
   */
  provisionSsoUser(data: {
    email: string;
    name: string | null;
    role: AdminUser['role'];
    passwordHash: string;
  }): Promise<AdminUser>;
  /** Ordered by e-mail; `teamId` narrows to one team's members. */
  list(filter?: { teamId?: string }): Promise<AdminUserRecord[]>;
  findRecordById(id: string): Promise<AdminUserRecord | null>;
  /** Refused with `conflict` on `email` when the address is taken (case-insensitively). */
  create(input: NewUser, actor: AuditActor): Promise<AdminUserRecord>;
  /**
   * Null when absent. A role change or disabling ends every live session of the user in the same transaction,
   * so the next request with their cookie is refused.
   */
  update(id: string, changes: UserChanges, now: Date, actor: AuditActor): Promise<AdminUserRecord | null>;
  /** Stores a new invite for the user (only its digest); earlier unused invites stop working. */
  createInvite(userId: string, digest: string, expiresAt: Date, actor: AuditActor): Promise<void>;
  /** Whether the digest names an unused, unexpired invite of an enabled user (checked before hashing a password). */
  inviteIsUsable(digest: string, now: Date): Promise<boolean>;
  /**
   * Uses an invite once: sets the user's password, marks the invite used and ends the user's live sessions. Null when the digest names no
   * unused, unexpired invite of an enabled user.
   */
  acceptInvite(digest: string, passwordHash: string, now: Date): Promise<AdminUser | null>;
  /**
   * Accepts the user's pending invite through single sign-on: the issuer has proved the invited e-mail, so no link
   * is needed. Stores `passwordHash` (of a secret nobody knows: the account signs in through the issuer) and spends
   * the invite, audited with `details`. Null when the user has no unused, unexpired invite or is disabled.
   */
  acceptInviteThroughSso(
    userId: string,
    passwordHash: string,
    now: Date,
    details: Prisma.InputJsonObject,
  ): Promise<AdminUser | null>;
}

const withTeam = { team: { select: { name: true } } } as const;

function toAdminUser(row: Prisma.UserModel): AdminUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role, teamId: row.teamId };
}

function toRecord(row: Prisma.UserModel & { team: { name: string } | null }): AdminUserRecord {
  return {
    ...toAdminUser(row),
    teamName: row.team?.name ?? null,
    pendingInvite: row.passwordHash === null,
    disabledAt: row.disabledAt?.getTime() ?? null,
    createdAt: row.createdAt.getTime(),
  };
}

function translateWriteError(error: unknown): never {
  const code = prismaErrorCode(error);
  if (code === 'P2002') {
    throw new AdminRepositoryError('conflict', 'email', 'A user with this e-mail already exists.');
  }
  if (code === 'P2003')
    throw new AdminRepositoryError('invalid_reference', 'teamId', 'No team with this id.');
  throw error;
}

export function createUserRepository(prisma: PrismaClient): UserRepository {
  async function idByEmail(email: string): Promise<string | undefined> {
    // lower() = lower(), not an insensitive match, which Prisma may render as ILIKE where % and _ are wildcards.
    const [match] = await prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM users WHERE lower(email) = lower(${email}) ORDER BY created_at LIMIT 1`;
    return match?.id;
  }

  const repository: UserRepository = {
    async findById(id) {
      const row = await prisma.user.findUnique({ where: { id } });
      return row ? toAdminUser(row) : null;
    },

    async findCredentialsByEmail(email) {
      const id = await idByEmail(email);
      const row = id ? await prisma.user.findUnique({ where: { id } }) : null;
      if (!row || row.passwordHash === null || row.disabledAt !== null) return null;
      return { user: toAdminUser(row), passwordHash: row.passwordHash };
    },

    async findRecordByEmail(email) {
      const id = await idByEmail(email);
      return id ? repository.findRecordById(id) : null;
    },

    async replacePasswordHash(id, previousHash, passwordHash) {
      // Only over the hash that was verified: a password changed meanwhile is not overwritten.
      await prisma.user.updateMany({ where: { id, passwordHash: previousHash }, data: { passwordHash } });
    },

    async provisionSsoUser(data) {
      const existing = await repository.findCredentialsByEmail(data.email);
      if (existing) return existing.user;
      try {
        return toAdminUser(await prisma.user.create({ data: { id: newId('usr'), ...data } }));
      } catch (error) {
        // Two first sign-ins at once: the other one created the row.
        const raced = await repository.findCredentialsByEmail(data.email);
        if (raced) return raced.user;
        throw error;
      }
    },

    async list(filter = {}) {
      const rows = await prisma.user.findMany({
        where: filter.teamId === undefined ? {} : { teamId: filter.teamId },
        include: withTeam,
        orderBy: { email: 'asc' },
      });
      return rows.map(toRecord);
    },

    async findRecordById(id) {
      const row = await prisma.user.findUnique({ where: { id }, include: withTeam });
      return row ? toRecord(row) : null;
    },

    async create(input, actor) {
      const id = newId('usr');
      const row = await prisma
        .$transaction(async (tx) => {
          const [taken] = await tx.$queryRaw<{ id: string }[]>`
            SELECT id FROM users WHERE lower(email) = lower(${input.email}) LIMIT 1`;
          if (taken)
            throw new AdminRepositoryError('conflict', 'email', 'A user with this e-mail already exists.');
          const created = await tx.user.create({ data: { id, ...input }, include: withTeam });
          await appendAuditLog(tx, actor, {
            action: 'user.create',
            targetType: 'user',
            targetId: id,
            details: {
              email: input.email,
              role: input.role,
              teamId: input.teamId,
              invited: !input.passwordHash,
            },
          });
          return created;
        })
        .catch(translateWriteError);
      return toRecord(row);
    },

    async update(id, changes, now, actor) {
      const row = await prisma
        .$transaction(async (tx) => {
          const before = await tx.user.findUnique({ where: { id } });
          if (!before) return null;
          const { disabled, ...rest } = changes;
          const data: Prisma.UserUncheckedUpdateInput = { ...rest };
          if (disabled !== undefined) data.disabledAt = disabled ? (before.disabledAt ?? now) : null;
          const after = await tx.user.update({ where: { id }, data, include: withTeam });
          const endsSessions =
            (changes.role !== undefined && changes.role !== before.role) ||
            (disabled === true && before.disabledAt === null);
          const { count: sessionsEnded } = endsSessions
            ? await tx.consoleSession.updateMany({
                where: { userId: id, revokedAt: null, expiresAt: { gt: now } },
                data: { revokedAt: now },
              })
            : { count: 0 };
          await appendAuditLog(tx, actor, {
            action: disabled === true ? 'user.disable' : disabled === false ? 'user.enable' : 'user.update',
            targetType: 'user',
            targetId: id,
            details: {
              before: { role: before.role, teamId: before.teamId, name: before.name },
              changes: { ...changes },
              sessionsEnded,
            },
            ...auditChanges(before, after, Object.keys(data)),
          });
          return after;
        })
        .catch(translateWriteError);
      return row ? toRecord(row) : null;
    },

    async createInvite(userId, digest, expiresAt, actor) {
      await prisma.$transaction(async (tx) => {
        await tx.userInvite.updateMany({ where: { userId, usedAt: null }, data: { usedAt: new Date() } });
        await tx.userInvite.create({ data: { id: newId('inv'), userId, digest, expiresAt } });
        await appendAuditLog(tx, actor, {
          action: 'user.invite',
          targetType: 'user',
          targetId: userId,
          details: { expiresAt: expiresAt.toISOString() },
        });
      });
    },

    async inviteIsUsable(digest, now) {
      const invite = await prisma.userInvite.findUnique({ where: { digest }, include: { user: true } });
      return (
        invite !== null && invite.usedAt === null && invite.expiresAt > now && invite.user.disabledAt === null
      );
    },

    async acceptInvite(digest, passwordHash, now) {
      return prisma.$transaction(async (tx) => {
        const invite = await tx.userInvite.findUnique({ where: { digest }, include: { user: true } });
        if (!invite || invite.usedAt !== null || invite.expiresAt <= now || invite.user.disabledAt !== null) {
          return null;
        }
        // The conditional update makes the invite single-use even when two acceptances race.
        const { count } = await tx.userInvite.updateMany({
          where: { id: invite.id, usedAt: null },
          data: { usedAt: now },
        });
        if (count === 0) return null;
        const user = await tx.user.update({ where: { id: invite.userId }, data: { passwordHash } });
        // A new password (a reset link) ends every session opened with the old one.
        await tx.consoleSession.updateMany({
          where: { userId: user.id, revokedAt: null, expiresAt: { gt: now } },
          data: { revokedAt: now },
        });
        await appendAuditLog(
          tx,
          { type: 'user', id: user.id },
          {
            action: 'user.accept_invite',
            targetType: 'user',
            targetId: user.id,
          },
        );
        return toAdminUser(user);
      });
    },

    async acceptInviteThroughSso(userId, passwordHash, now, details) {
      return prisma.$transaction(async (tx) => {
        // Only a user still waiting for a password: an accepted invite is never re-accepted over a real password.
        const { count } = await tx.userInvite.updateMany({
          where: {
            userId,
            usedAt: null,
            expiresAt: { gt: now },
            user: { passwordHash: null, disabledAt: null },
          },
          data: { usedAt: now },
        });
        if (count === 0) return null;
        const user = await tx.user.update({ where: { id: userId }, data: { passwordHash } });
        await appendAuditLog(
          tx,
          { type: 'user', id: user.id },
          { action: 'user.accept_invite', targetType: 'user', targetId: user.id, details },
        );
        return toAdminUser(user);
      });
    },
  };
  return repository;
}
