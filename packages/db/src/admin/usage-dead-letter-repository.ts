import type { Prisma, PrismaClient } from '../client';
import type { Page } from './admin-records';
import { type PageCursor, toPage } from './page-cursor';

/** A usage event PostgreSQL refused even alone, parked by the router's usage writer. */
export interface UsageDeadLetterRecord {
  id: string;
  /** The event's request id, when it could be read. */
  requestId: string | null;
  /** The event as the router held it (serialized JSON). */
  event: string;
  /** What PostgreSQL answered. */
  error: string;
  /** Its SQLSTATE, e.g. 22P05 (text it cannot store) or 54000 (an index row too large). */
  sqlState: string | null;
  /** Epoch ms when the event was parked. */
  createdAt: number;
}

export interface UsageDeadLetterRepository {
  /** Newest first. */
  list(filter: { limit: number; cursor: PageCursor | null }): Promise<Page<UsageDeadLetterRecord>>;
  count(): Promise<number>;
}

function toRecord(row: Prisma.UsageDeadLetterModel): UsageDeadLetterRecord {
  return {
    id: row.id,
    requestId: row.requestId,
    event: row.event,
    error: row.error,
    sqlState: row.sqlState,
    createdAt: row.createdAt.getTime(),
  };
}

/** Read-only: the routers' usage writers are the only writers of `usage_dead_letters`. */
export function createUsageDeadLetterRepository(prisma: PrismaClient): UsageDeadLetterRepository {
  return {
    async list({ limit, cursor }) {
      const at = cursor ? new Date(cursor.at) : null;
      const rows = await prisma.usageDeadLetter.findMany({
        where:
          cursor && at ? { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: cursor.id } }] } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      });
      return toPage(rows, limit, (row) => ({ at: row.createdAt.getTime(), id: row.id }), toRecord);
    },
    count: () => prisma.usageDeadLetter.count(),
  };
}
