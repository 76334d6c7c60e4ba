import type { Prisma, PrismaClient } from '../client';
import type { AdminUser } from './admin-records';

export interface UserRepository {
  findById(id: string): Promise<AdminUser | null>;
  /** Case-insensitive; includes the bcrypt hash for sign-in and nothing else should need it. */
  findCredentialsByEmail(email: string): Promise<{ user: AdminUser; passwordHash: string } | null>;
  /** Replaces a stored hash after a successful sign-in (upgrading a legacy bcrypt hash to scrypt). */
  replacePasswordHash(id: string, previousHash: string, passwordHash: string): Promise<void>;
}

function toAdminUser(row: Prisma.UserModel): AdminUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export function createUserRepository(prisma: PrismaClient): UserRepository {
  return {
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
  };
}
