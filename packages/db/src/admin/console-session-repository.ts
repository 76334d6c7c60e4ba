import type { PrismaClient } from '../client';
import { newId } from '../ids';
import type { AdminUser } from './admin-records';

export interface ConsoleSessionRepository {
  /** Records a sign-in; the id goes into the session cookie. */
  create(userId: string, expiresAt: Date): Promise<{ id: string }>;
  /** The session's user while the session is neither revoked nor expired at `now` and the user is enabled. */
  findActiveUser(sessionId: string, now: Date): Promise<AdminUser | null>;
  /** Sign-out: the cookie naming this session stops working everywhere. Idempotent. */
  revoke(sessionId: string, now: Date): Promise<void>;
  /** Ends every live session of a user (role change, password change, removal); returns how many. */
  revokeAllForUser(userId: string, now: Date): Promise<number>;
}

export function createConsoleSessionRepository(prisma: PrismaClient): ConsoleSessionRepository {
  return {
    async create(userId, expiresAt) {
      const id = newId('ses');
      await prisma.consoleSession.create({ data: { id, userId, expiresAt } });
      return { id };
    },

    async findActiveUser(sessionId, now) {
      const row = await prisma.consoleSession.findUnique({
        where: { id: sessionId },
        include: { user: true },
      });
      if (!row || row.revokedAt !== null || row.expiresAt <= now || row.user.disabledAt !== null) return null;
      const { user } = row;
      return { id: user.id, email: user.email, name: user.name, role: user.role, teamId: user.teamId };
    },

    async revoke(sessionId, now) {
      await prisma.consoleSession.updateMany({
        where: { id: sessionId, revokedAt: null },
        data: { revokedAt: now },
      });
    },

    async revokeAllForUser(userId, now) {
      const { count } = await prisma.consoleSession.updateMany({
        where: { userId, revokedAt: null, expiresAt: { gt: now } },
        data: { revokedAt: now },
      });
      return count;
    },
  };
}
