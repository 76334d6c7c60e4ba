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
  /** Only this team's keys. */
  teamId?: string;
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
  /**
   * Creates `replacement` with every setting of key `id` (team, owner, environment, tags, models, classes,
   * limits; key-scoped budgets are copied to it) and sets the old key to expire at `oldKeyExpiresAt` (kept
   * when it already expires sooner). Refused with `conflict` when the old key is revoked, expired or already
   * rotated. Null when absent.
   */
  rotate(
    id: string,
    replacement: Pick<NewApiKey, 'name' | 'digest' | 'prefix'>,
    oldKeyExpiresAt: number,
    actor: AuditActor,
  ): Promise<{ old: AdminApiKey; replacement: AdminApiKey } | null>;
}

/** Every read names the successor so the readback can show `rotatedTo`. */
const withSuccessor = { rotatedTo: { select: { id: true } } } as const;
type ApiKeyRow = Prisma.ApiKeyModel & { rotatedTo: { id: string } | null };

export function createApiKeyRepository(prisma: PrismaClient, now: () => Date): ApiKeyRepository {
  const toAdminApiKey = (row: ApiKeyRow): AdminApiKey => {
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
      rotatedFromId: row.rotatedFromId,
      rotatedToId: row.rotatedTo?.id ?? null,
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
    async list({ status, teamId, limit, cursor }) {
      const after: Prisma.ApiKeyWhereInput = cursor
        ? {
            OR: [
              { createdAt: { lt: new Date(cursor.at) } },
              { createdAt: new Date(cursor.at), id: { lt: cursor.id } },
            ],
          }
        : {};
      const rows = await prisma.apiKey.findMany({
        where: { AND: [statusWhere(status), after, teamId === undefined ? {} : { teamId }] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
        include: withSuccessor,
      });
      return toPage(rows, limit, (row) => ({ at: row.createdAt.getTime(), id: row.id }), toAdminApiKey);
    },

    async findById(id) {
      const row = await prisma.apiKey.findUnique({ where: { id }, include: withSuccessor });
      return row ? toAdminApiKey(row) : null;
    },

    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await prisma.apiKey.findMany({ where: { id: { in: ids } }, include: withSuccessor });
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
            include: withSuccessor,
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
          const { expiresAt, ...rest } = changes;
          const data: Prisma.ApiKeyUpdateManyMutationInput & { teamId?: string | null } = {
            ...rest,
            ...(expiresAt === undefined
              ? {}
              : { expiresAt: expiresAt === null ? null : new Date(expiresAt) }),
          };
          const { count } = await tx.apiKey.updateMany({ where: { id }, data });
          if (count === 0) return null;
          await appendAuditLog(tx, actor, {
            action: 'api_key.update',
            targetType: 'api_key',
            targetId: id,
            details: {
              ...rest,
              ...(expiresAt === undefined
                ? {}
                : { expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() }),
            },
          });
          return tx.apiKey.findUnique({ where: { id }, include: withSuccessor });
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
        return tx.apiKey.findUnique({ where: { id }, include: withSuccessor });
      });
      return row ? toAdminApiKey(row) : null;
    },

    async rotate(id, replacement, oldKeyExpiresAt, actor) {
      const at = now();
      const newId_ = newId('key');
      const rows = await prisma.$transaction(async (tx) => {
        // Row lock: two concurrent rotations of one key must not both pass the checks below.
        await tx.$queryRaw`SELECT id FROM api_keys WHERE id = ${id} FOR UPDATE`;
        const old = await tx.apiKey.findUnique({ where: { id }, include: withSuccessor });
        if (!old) return null;
        if (old.revokedAt !== null) {
          throw new AdminRepositoryError('conflict', 'id', 'A revoked key cannot be rotated.');
        }
        if (old.expiresAt !== null && old.expiresAt.getTime() <= at.getTime()) {
          throw new AdminRepositoryError('conflict', 'id', 'An expired key cannot be rotated.');
        }
        if (old.rotatedTo !== null) {
          throw new AdminRepositoryError(
            'conflict',
            'id',
            `The key was already rotated to ${old.rotatedTo.id}.`,
          );
        }
        // The new key inherits the old key's own expiry: rotation replaces the secret, not the key's lifetime.
        await tx.apiKey.create({
          data: {
            id: newId_,
            name: replacement.name,
            digest: replacement.digest,
            prefix: replacement.prefix,
            environment: old.environment,
            allowedModels: old.allowedModels,
            defaultTrafficClass: old.defaultTrafficClass,
            allowedTrafficClasses: old.allowedTrafficClasses,
            tags: old.tags,
            expiresAt: old.expiresAt,
            ownerId: old.ownerId,
            teamId: old.teamId,
            rpmLimit: old.rpmLimit,
            tpmLimit: old.tpmLimit,
            rotatedFromId: id,
            createdAt: at,
          },
        });
        const stopAt =
          old.expiresAt !== null && old.expiresAt.getTime() < oldKeyExpiresAt
            ? old.expiresAt
            : new Date(oldKeyExpiresAt);
        await tx.apiKey.update({ where: { id }, data: { expiresAt: stopAt } });
        // Budgets are copied, not moved: a budget keeps one key's spend history (see BudgetChanges).
        const budgets = await tx.budget.findMany({ where: { scope: 'key', scopeId: id } });
        const copiedBudgetIds: string[] = [];
        for (const budget of budgets) {
          const budgetId = newId('bud');
          copiedBudgetIds.push(budgetId);
          await tx.budget.create({
            data: {
              id: budgetId,
              name: budget.name,
              scope: 'key',
              scopeId: newId_,
              period: budget.period,
              mode: budget.mode,
              limitMicros: budget.limitMicros,
              alertThresholds: budget.alertThresholds,
              timeZone: budget.timeZone,
              webhookUrl: budget.webhookUrl,
              enabled: budget.enabled,
            },
          });
        }
        await appendAuditLog(tx, actor, {
          action: 'api_key.rotate',
          targetType: 'api_key',
          targetId: id,
          details: {
            rotatedTo: newId_,
            prefix: replacement.prefix,
            oldKeyExpiresAt: stopAt.toISOString(),
            copiedBudgetIds,
          },
        });
        const [oldRow, newRow] = await Promise.all([
          tx.apiKey.findUniqueOrThrow({ where: { id }, include: withSuccessor }),
          tx.apiKey.findUniqueOrThrow({ where: { id: newId_ }, include: withSuccessor }),
        ]);
        return { oldRow, newRow };
      });
      return rows ? { old: toAdminApiKey(rows.oldRow), replacement: toAdminApiKey(rows.newRow) } : null;
    },
  };
}
