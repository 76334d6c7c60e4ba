import type { Prisma, PrismaClient } from '../client';
import { newId } from '../ids';
import type { AdminApiKey, ApiKeyChanges, ApiKeyStatus, AuditActor, NewApiKey, Page } from './admin-records';
import { AdminRepositoryError } from './admin-repository-error';
import { apiKeyStatus } from './api-key-status';
import { appendAuditLog } from './append-audit-log';
import { type PageCursor, toPage } from './page-cursor';
import { prismaErrorCode } from './prisma-error-code';

export interface ApiKeyListFilter {
  status?: ApiKeyStatus;
  limit: number;
  cursor: PageCursor | null;
}

export interface ApiKeyRepository {
  /** Newest first. */
  list(filter: ApiKeyListFilter): Promise<Page<AdminApiKey>>;
  findById(id: string): Promise<AdminApiKey | null>;
  /** The keys that exist among `ids`, in no particular order. */
  findManyByIds(ids: string[]): Promise<AdminApiKey[]>;
  create(input: NewApiKey, actor: AuditActor): Promise<AdminApiKey>;
  /** Null when absent. Revoked keys may still be renamed or re-tagged; the change is audited either way. */
  update(id: string, changes: ApiKeyChanges, actor: AuditActor): Promise<AdminApiKey | null>;
  /** Idempotent: revoking a revoked key returns it unchanged and writes no audit row. Null when absent. */
  revoke(id: string, actor: AuditActor): Promise<AdminApiKey | null>;
}

export function createApiKeyRepository(prisma: PrismaClient, now: () => Date): ApiKeyRepository {
  const toAdminApiKey = (row: Prisma.ApiKeyModel): AdminApiKey => {
    const expiresAt = row.expiresAt?.getTime() ?? null;
    const revokedAt = row.revokedAt?.getTime() ?? null;
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      teamId: row.teamId,
      ownerId: row.ownerId,
      environment: row.environment,
      tags: row.tags,
      allowedModels: row.allowedModels,
      defaultTrafficClass: row.defaultTrafficClass,
      allowedTrafficClasses: row.allowedTrafficClasses,
      expiresAt,
      revokedAt,
      lastUsedAt: row.lastUsedAt?.getTime() ?? null,
      createdAt: row.createdAt.getTime(),
      rpmLimit: row.rpmLimit,
      tpmLimit: row.tpmLimit,
      status: apiKeyStatus({ expiresAt, revokedAt }, now().getTime()),
    };
  };

  const statusWhere = (status: ApiKeyStatus | undefined): Prisma.ApiKeyWhereInput => {
    const at = now();
    switch (status) {
      case undefined:
        return {};
      case 'revoked':
        return { revokedAt: { not: null } };
      case 'expired':
        return { revokedAt: null, expiresAt: { lte: at } };
      case 'active':
        return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] };
    }
  };

  return {
    async list({ status, limit, cursor }) {
      const after: Prisma.ApiKeyWhereInput = cursor
        ? {
            OR: [
              { createdAt: { lt: new Date(cursor.at) } },
              { createdAt: new Date(cursor.at), id: { lt: cursor.id } },
            ],
          }
        : {};
      const rows = await prisma.apiKey.findMany({
        where: { AND: [statusWhere(status), after] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      });
      return toPage(rows, limit, (row) => ({ at: row.createdAt.getTime(), id: row.id }), toAdminApiKey);
    },

    async findById(id) {
      const row = await prisma.apiKey.findUnique({ where: { id } });
      return row ? toAdminApiKey(row) : null;
    },

    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await prisma.apiKey.findMany({ where: { id: { in: ids } } });
      return rows.map(toAdminApiKey);
    },

    async create(input, actor) {
      const id = newId('key');
      try {
        const row = await prisma.$transaction(async (tx) => {
          const created = await tx.apiKey.create({
            data: {
              id,
              name: input.name,
              digest: input.digest,
              prefix: input.prefix,
              environment: input.environment,
              allowedModels: input.allowedModels,
              defaultTrafficClass: input.defaultTrafficClass,
              allowedTrafficClasses: input.allowedTrafficClasses,
              tags: input.tags,
              expiresAt: input.expiresAt === null ? null : new Date(input.expiresAt),
              ownerId: input.ownerId,
              teamId: input.teamId,
              rpmLimit: input.rpmLimit,
              tpmLimit: input.tpmLimit,
              createdAt: now(),
            },
          });
          await appendAuditLog(tx, actor, {
            action: 'api_key.create',
            targetType: 'api_key',
            targetId: id,
            details: {
              name: input.name,
              prefix: input.prefix,
              environment: input.environment,
              allowedModels: input.allowedModels,
              defaultTrafficClass: input.defaultTrafficClass,
              allowedTrafficClasses: input.allowedTrafficClasses,
              expiresAt: input.expiresAt,
              rpmLimit: input.rpmLimit,
              tpmLimit: input.tpmLimit,
            },
          });
          return created;
        });
        return toAdminApiKey(row);
      } catch (error) {
        if (prismaErrorCode(error) === 'P2003') {
          throw new AdminRepositoryError('invalid_reference', 'teamId', 'The team or owner does not exist.');
        }
        throw error;
      }
    },

    async update(id, changes, actor) {
      const row = await prisma
        .$transaction(async (tx) => {
          const { count } = await tx.apiKey.updateMany({ where: { id }, data: changes });
          if (count === 0) return null;
          await appendAuditLog(tx, actor, {
            action: 'api_key.update',
            targetType: 'api_key',
            targetId: id,
            details: { ...changes },
          });
          return tx.apiKey.findUnique({ where: { id } });
        })
        .catch((error: unknown) => {
          if (prismaErrorCode(error) === 'P2003') {
            throw new AdminRepositoryError('invalid_reference', 'teamId', 'No team with this id.');
          }
          throw error;
        });
      return row ? toAdminApiKey(row) : null;
    },

    async revoke(id, actor) {
      const row = await prisma.$transaction(async (tx) => {
        const { count } = await tx.apiKey.updateMany({
          where: { id, revokedAt: null },
          data: { revokedAt: now() },
        });
        if (count === 1) {
          await appendAuditLog(tx, actor, { action: 'api_key.revoke', targetType: 'api_key', targetId: id });
        }
        return tx.apiKey.findUnique({ where: { id } });
      });
      return row ? toAdminApiKey(row) : null;
    },
  };
}
