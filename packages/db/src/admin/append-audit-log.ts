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
}

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
    },
  });
}
