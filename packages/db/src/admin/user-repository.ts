import type { Prisma, PrismaClient } from '../client';
import { newId } from '../ids';
import type { AdminUser } from './admin-records';

export interface UserRepository {
  findById(id: string): Promise<AdminUser | null>;
  /** Case-insensitive; includes the bcrypt hash for sign-in and nothing else should need it. */
  findCredentialsByEmail(email: string): Promise<{ user: AdminUser; passwordHash: string } | null>;
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
}

function toAdminUser(row: Prisma.UserModel): AdminUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export function createUserRepository(prisma: PrismaClient): UserRepository {
  const repository: UserRepository = {
    async findById(id) {
      const row = await prisma.user.findUnique({ where: { id } });
      return row ? toAdminUser(row) : null;
    },

    async findCredentialsByEmail(email) {
      // lower() = lower(), not an insensitive match, which Prisma may render as ILIKE where % and _ are wildcards.
      const [match] = await prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM users WHERE lower(email) = lower(${email}) ORDER BY created_at LIMIT 1`;
      const row = match ? await prisma.user.findUnique({ where: { id: match.id } }) : null;
      return row ? { user: toAdminUser(row), passwordHash: row.passwordHash } : null;
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
  };
  return repository;
}
