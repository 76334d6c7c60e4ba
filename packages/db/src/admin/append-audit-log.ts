import type { Prisma } from '../client';
import { newId } from '../ids';
import type { AuditActor } from './admin-records';

export interface AuditEntry {
  /** Verb in `<resource>.<verb>` form, e.g. "api_key.create". */
  action: string;
  targetType: string;
  targetId: string | null;
  /** What changed; never secrets (no plaintext keys or credentials). */
  details?: Prisma.InputJsonObject;
  /** For an update: the changed fields' values before and after, never secrets (masked by the caller). */
  before?: Prisma.InputJsonObject;
  after?: Prisma.InputJsonObject;
}

/** A user agent is the client's text: kept short so a crafted header cannot bloat the log. */
const USER_AGENT_MAX = 300;

/** Appends one audit row inside the caller's transaction, so a write and its record commit together. */
export async function appendAuditLog(
  tx: Prisma.TransactionClient,
  actor: AuditActor,
  entry: AuditEntry,
): Promise<void> {
  await tx.auditLog.create({
    data: {
      id: newId('aud'),
      actorType: actor.type,
      actorId: actor.id,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      details: entry.details ?? {},
      ip: actor.ip ?? null,
      userAgent: actor.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      ...(entry.before === undefined ? {} : { before: entry.before }),
      ...(entry.after === undefined ? {} : { after: entry.after }),
    },
  });
}
