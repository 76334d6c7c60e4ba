import type { Prisma, PrismaClient } from '../client';
import { newId } from '../ids';
import type {
  AdminUpstreamAccount,
  AuditActor,
  NewUpstreamAccount,
  UpstreamAccountChanges,
} from './admin-records';
import { AdminRepositoryError } from './admin-repository-error';
import { appendAuditLog } from './append-audit-log';
import { auditChanges } from './audit-changes';
import { prismaErrorCode } from './prisma-error-code';

export interface UpstreamAccountRepository {
  /** Ordered by provider, then priority, then name; optionally only one provider's accounts. */
  list(filter: { providerId?: string }): Promise<AdminUpstreamAccount[]>;
  findById(id: string): Promise<AdminUpstreamAccount | null>;
  /** The accounts that exist among `ids`, in no particular order. */
  findManyByIds(ids: string[]): Promise<AdminUpstreamAccount[]>;
  create(input: NewUpstreamAccount, actor: AuditActor): Promise<AdminUpstreamAccount>;
  /** Null when the account does not exist. */
  update(
    id: string,
    changes: UpstreamAccountChanges,
    actor: AuditActor,
  ): Promise<AdminUpstreamAccount | null>;
  /**
   * Clears a rejected-credential mark so the routers send the account traffic again, and moves the credential
   * epoch on so a 401 a router saw before the reset (stored or still in its memory) no longer counts. An account
   * without a stored mark writes no audit row. Null when the account does not exist.
   */
  resetCredentialStatus(id: string, actor: AuditActor): Promise<AdminUpstreamAccount | null>;
  /**
   * The stored (encrypted) credentials of the accounts among `ids`, by account id: for the console's last-four
   * readback and its connection test, which decrypt them and never return them whole.
   */
  credentialCiphertexts(ids: string[]): Promise<Map<string, string>>;
}

/** Selecting columns explicitly keeps the ciphertext out of every read. */
const publicColumns = {
  id: true,
  providerId: true,
  name: true,
  weight: true,
  priority: true,
  enabled: true,
  credentialRejectedAt: true,
  credentialError: true,
  credentialEpoch: true,
  healthCheckEnabled: true,
  healthCheckIntervalMs: true,
  createdAt: true,
} as const;

function toAdminUpstreamAccount(
  row: Omit<Prisma.UpstreamAccountModel, 'credentialCiphertext'>,
): AdminUpstreamAccount {
  return {
    id: row.id,
    providerId: row.providerId,
    name: row.name,
    weight: row.weight,
    priority: row.priority,
    enabled: row.enabled,
    credentialRejectedAt: row.credentialRejectedAt?.getTime() ?? null,
    credentialError: row.credentialError,
    credentialEpoch: row.credentialEpoch,
    healthCheck: { enabled: row.healthCheckEnabled, intervalMs: row.healthCheckIntervalMs },
    createdAt: row.createdAt.getTime(),
  };
}

/**
 * A replaced credential has not been rejected by anyone yet; the new epoch voids any 401 a router saw for the
 * old one but has not stored yet.
 */
function withCredentialReset(changes: UpstreamAccountChanges): Prisma.UpstreamAccountUpdateManyMutationInput {
  return changes.credentialCiphertext === undefined
    ? changes
    : {
        ...changes,
        credentialRejectedAt: null,
        credentialError: null,
        credentialEpoch: { increment: 1 },
      };
}

function translateWriteError(error: unknown): never {
  switch (prismaErrorCode(error)) {
    case 'P2002':
      throw new AdminRepositoryError(
        'conflict',
        'name',
        'This provider already has an account with this name.',
      );
    case 'P2003':
      throw new AdminRepositoryError('invalid_reference', 'providerId', 'The provider does not exist.');
    default:
      throw error;
  }
}

/** Audit details describe what changed without the credential itself. */
function auditDetails(changes: UpstreamAccountChanges & { providerId?: string }) {
  const { credentialCiphertext, ...rest } = changes;
  return { ...rest, ...(credentialCiphertext === undefined ? {} : { credentialSet: true }) };
}

export function createUpstreamAccountRepository(prisma: PrismaClient): UpstreamAccountRepository {
  return {
    async list({ providerId }) {
      const rows = await prisma.upstreamAccount.findMany({
        where: providerId === undefined ? {} : { providerId },
        select: publicColumns,
        orderBy: [{ providerId: 'asc' }, { priority: 'asc' }, { name: 'asc' }],
      });
      return rows.map(toAdminUpstreamAccount);
    },

    async findById(id) {
      const row = await prisma.upstreamAccount.findUnique({ where: { id }, select: publicColumns });
      return row ? toAdminUpstreamAccount(row) : null;
    },

    async credentialCiphertexts(ids) {
      if (ids.length === 0) return new Map();
      const rows = await prisma.upstreamAccount.findMany({
        where: { id: { in: ids } },
        select: { id: true, credentialCiphertext: true },
      });
      return new Map(rows.map((row) => [row.id, row.credentialCiphertext]));
    },

    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await prisma.upstreamAccount.findMany({
        where: { id: { in: ids } },
        select: publicColumns,
      });
      return rows.map(toAdminUpstreamAccount);
    },

    async create(input, actor) {
      const id = newId('acc');
      const row = await prisma
        .$transaction(async (tx) => {
          const created = await tx.upstreamAccount.create({ data: { id, ...input }, select: publicColumns });
          await appendAuditLog(tx, actor, {
            action: 'upstream_account.create',
            targetType: 'upstream_account',
            targetId: id,
            details: auditDetails(input),
          });
          return created;
        })
        .catch(translateWriteError);
      return toAdminUpstreamAccount(row);
    },

    async update(id, changes, actor) {
      const row = await prisma
        .$transaction(async (tx) => {
          const previous = await tx.upstreamAccount.findUnique({ where: { id } });
          if (!previous) return null;
          const data = withCredentialReset(changes);
          // The ciphertext is read only to say it changed: auditChanges masks credential fields.
          const updated = await tx.upstreamAccount.update({ where: { id }, data });
          await appendAuditLog(tx, actor, {
            action: 'upstream_account.update',
            targetType: 'upstream_account',
            targetId: id,
            details: auditDetails(changes),
            ...auditChanges(previous, updated, Object.keys(data)),
          });
          return tx.upstreamAccount.findUnique({ where: { id }, select: publicColumns });
        })
        .catch(translateWriteError);
      return row ? toAdminUpstreamAccount(row) : null;
    },

    async resetCredentialStatus(id, actor) {
      const row = await prisma.$transaction(async (tx) => {
        const previous = await tx.upstreamAccount.findUnique({ where: { id }, select: publicColumns });
        if (!previous) return null;
        // Even without a stored mark: a router may hold one whose write has not landed (or failed).
        await tx.upstreamAccount.update({
          where: { id },
          data: { credentialRejectedAt: null, credentialError: null, credentialEpoch: { increment: 1 } },
        });
        if (previous.credentialRejectedAt === null) {
          return tx.upstreamAccount.findUnique({ where: { id }, select: publicColumns });
        }
        await appendAuditLog(tx, actor, {
          action: 'upstream_account.credential_reset',
          targetType: 'upstream_account',
          targetId: id,
          details: {
            credentialRejectedAt: previous.credentialRejectedAt.toISOString(),
            credentialError: previous.credentialError,
          },
        });
        return tx.upstreamAccount.findUnique({ where: { id }, select: publicColumns });
      });
      return row ? toAdminUpstreamAccount(row) : null;
    },
  };
}
