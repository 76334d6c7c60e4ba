import type { AuditActor, AuditEntry } from '@switchyard/db/admin';
import { z } from 'zod';
import type { Actor } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso } from './iso-time';
import { logServerEvent } from './log-server-event';
import { maskSecrets } from './mask-secrets';
import { pageQueryFields, parseCursor } from './pagination';
import { authorize } from './permissions';

const id = z.string().trim().min(1).max(200);

export const listAuditLogQuery = z.object({
  ...pageQueryFields(50),
  /** Start (inclusive), ISO 8601 with a zone. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** End (exclusive), ISO 8601 with a zone. */
  to: z.iso.datetime({ offset: true }).optional(),
  /** A user id, a user's e-mail, or the e-mail a failed sign-in tried. */
  actor: id.optional(),
  actorType: z.enum(['user', 'admin_token', 'api_token', 'anonymous']).optional(),
  /** An exact action (`api_key.revoke`) or a prefix ending in a dot (`api_key.`). */
  action: id.optional(),
  targetType: id.optional(),
  targetId: id.optional(),
});

export type ListAuditLogQuery = z.infer<typeof listAuditLogQuery>;

/** One audit row as the API and the console show it: secrets in `details` masked. */
export interface AuditLogView {
  id: string;
  actorType: string;
  actorId: string | null;
  actorEmail: string | null;
  /** The name of the admin API token that acted (`actorType: api_token`). */
  actorTokenName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** What changed (or, for sign-ins and refusals, the client's address, user agent and reason). */
  details: unknown;
  createdAt: string;
}

export async function listAuditLog(
  ctx: AdminContext,
  actor: Actor,
  query: ListAuditLogQuery,
): Promise<{ items: AuditLogView[]; nextCursor: string | null }> {
  authorize(actor, 'audit.read');
  const from = query.from === undefined ? undefined : Date.parse(query.from);
  const to = query.to === undefined ? undefined : Date.parse(query.to);
  if (from !== undefined && to !== undefined && from >= to) {
    throw new AdminError('invalid_request', 'to: must be after from', 'to');
  }
  const page = await ctx.repos.auditLog.list({
    limit: query.limit,
    cursor: parseCursor(query.cursor),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(query.actor === undefined ? {} : { actor: query.actor }),
    ...(query.actorType === undefined ? {} : { actorType: query.actorType }),
    ...(query.action === undefined ? {} : { action: query.action }),
    ...(query.targetType === undefined ? {} : { targetType: query.targetType }),
    ...(query.targetId === undefined ? {} : { targetId: query.targetId }),
  });
  return {
    items: page.items.map((row) => ({
      ...row,
      details: maskSecrets(row.details),
      createdAt: iso(row.createdAt),
    })),
    nextCursor: page.nextCursor,
  };
}

/** Where a request came from, as recorded with sign-ins and refusals. */
export interface AuditClient {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Records an event that is not a write (a sign-in, a refused request). A failure to record is logged and
 * swallowed: the audit log must not turn a sign-in or a 403 into a 500.
 */
export async function recordAuditEvent(
  ctx: AdminContext,
  actor: AuditActor,
  entry: AuditEntry,
  client: AuditClient,
): Promise<void> {
  try {
    await ctx.repos.auditLog.append(actor, {
      ...entry,
      details: {
        ...entry.details,
        ip: client.ip,
        userAgent: client.userAgent === null ? null : client.userAgent.slice(0, 300),
      },
    });
  } catch (error) {
    logServerEvent('error', 'audit event not recorded', {
      action: entry.action,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
