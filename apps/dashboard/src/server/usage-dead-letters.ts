import { z } from 'zod';
import type { Actor } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso } from './iso-time';
import { pageQueryFields, parseCursor } from './pagination';
import { readableTeamIds } from './permissions';

export const listUsageDeadLettersQuery = z.object({ ...pageQueryFields(50) });

export type ListUsageDeadLettersQuery = z.infer<typeof listUsageDeadLettersQuery>;

/**
 * A usage event PostgreSQL refused even when written alone. The router's writer parks it so the events behind it
 * are written; its request was served (or refused) but is missing from usage rows, rollups and cost until an
 * operator accounts for it.
 */
export interface UsageDeadLetterView {
  id: string;
  /** The event's request id (`req_…`), when it could be read. */
  requestId: string | null;
  /** The event as the router serialized it (JSON text, snake_case columns). */
  event: string;
  /** PostgreSQL's error message. */
  error: string;
  /** Its SQLSTATE: 22xxx data exception, 23xxx constraint, 54xxx program limit. */
  sqlState: string | null;
  createdAt: string;
}

/** Dead-lettered usage events, newest first, and how many there are in all. */
export async function listUsageDeadLetters(
  ctx: AdminContext,
  actor: Actor,
  query: ListUsageDeadLettersQuery,
): Promise<{ items: UsageDeadLetterView[]; nextCursor: string | null; total: number }> {
  // A parked event is raw JSON of any team's request: only callers who may read every team's usage see them.
  if (readableTeamIds(actor) !== undefined) {
    throw new AdminError('forbidden', 'Parked usage events belong to every team; members cannot read them.');
  }
  const [page, total] = await Promise.all([
    ctx.repos.usageDeadLetters.list({ limit: query.limit, cursor: parseCursor(query.cursor) }),
    ctx.repos.usageDeadLetters.count(),
  ]);
  return {
    items: page.items.map((letter) => ({ ...letter, createdAt: iso(letter.createdAt) })),
    nextCursor: page.nextCursor,
    total,
  };
}
