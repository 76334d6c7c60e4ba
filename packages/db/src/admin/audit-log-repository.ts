import type { Prisma, PrismaClient } from '../client';
import type { AuditActor, Page } from './admin-records';
import { type AuditEntry, appendAuditLog } from './append-audit-log';
import { type PageCursor, toPage } from './page-cursor';

/** One audit row as stored; `details` is what the writer recorded, secrets included if a writer slipped. */
export interface AuditLogRecord {
  id: string;
  actorType: AuditActor['type'] | (string & {});
  actorId: string | null;
  /** The e-mail of a `user` actor, when that user still exists. */
  actorEmail: string | null;
  /** The name of an `api_token` actor (an admin API token), when that token still exists. */
  actorTokenName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Prisma.JsonValue;
  /** Epoch ms. */
  createdAt: number;
}

export interface AuditLogFilter {
  limit: number;
  cursor: PageCursor | null;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** A user id, a user's e-mail, or the e-mail a failed sign-in tried. */
  actor?: string;
  actorType?: string;
  /** An exact action (`api_key.revoke`) or a prefix ending in a dot (`api_key.`). */
  action?: string;
  targetType?: string;
  targetId?: string;
}

export interface AuditLogRepository {
  /** Newest first. */
  list(filter: AuditLogFilter): Promise<Page<AuditLogRecord>>;
  /** Records an event that is not part of a write (a sign-in, a refused request) in its own statement. */
  append(actor: AuditActor, entry: AuditEntry): Promise<void>;
}

export function createAuditLogRepository(prisma: PrismaClient): AuditLogRepository {
  return {
    async list(filter) {
      const and: Prisma.AuditLogWhereInput[] = [];
      if (filter.cursor) {
        const at = new Date(filter.cursor.at);
        and.push({ OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: filter.cursor.id } }] });
      }
      if (filter.from !== undefined) and.push({ createdAt: { gte: new Date(filter.from) } });
      if (filter.to !== undefined) and.push({ createdAt: { lt: new Date(filter.to) } });
      if (filter.actor !== undefined) {
        // An e-mail names a user (their rows carry the user id) and also the failed sign-ins that tried it.
        const users = await prisma.user.findMany({
          where: { email: { equals: filter.actor, mode: 'insensitive' } },
          select: { id: true },
        });
        and.push({ actorId: { in: [filter.actor, ...users.map((user) => user.id)] } });
      }
      if (filter.actorType !== undefined) and.push({ actorType: filter.actorType });
      if (filter.action !== undefined) {
        and.push(
          filter.action.endsWith('.') ? { action: { startsWith: filter.action } } : { action: filter.action },
        );
      }
      if (filter.targetType !== undefined) and.push({ targetType: filter.targetType });
      if (filter.targetId !== undefined) and.push({ targetId: filter.targetId });
      const rows = await prisma.auditLog.findMany({
        where: { AND: and },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: filter.limit + 1,
      });
      const userIds = [
        ...new Set(rows.filter((row) => row.actorType === 'user' && row.actorId).map((row) => row.actorId)),
      ].filter((id): id is string => id !== null);
      const users =
        userIds.length === 0
          ? []
          : await prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } });
      const emails = new Map(users.map((user) => [user.id, user.email]));
      const tokenIds = [
        ...new Set(
          rows.filter((row) => row.actorType === 'api_token' && row.actorId).map((row) => row.actorId),
        ),
      ].filter((id): id is string => id !== null);
      const tokens =
        tokenIds.length === 0
          ? []
          : await prisma.adminToken.findMany({
              where: { id: { in: tokenIds } },
              select: { id: true, name: true },
            });
      const tokenNames = new Map(tokens.map((token) => [token.id, token.name]));
      return toPage(
        rows,
        filter.limit,
        (row) => ({ at: row.createdAt.getTime(), id: row.id }),
        (row): AuditLogRecord => ({
          id: row.id,
          actorType: row.actorType,
          actorId: row.actorId,
          actorEmail: row.actorType === 'user' && row.actorId ? (emails.get(row.actorId) ?? null) : null,
          actorTokenName:
            row.actorType === 'api_token' && row.actorId ? (tokenNames.get(row.actorId) ?? null) : null,
          action: row.action,
          targetType: row.targetType,
          targetId: row.targetId,
          details: row.details,
          createdAt: row.createdAt.getTime(),
        }),
      );
    },
    async append(actor, entry) {
      await appendAuditLog(prisma, actor, entry);
    },
  };
}
