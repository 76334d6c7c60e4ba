import type { Prisma, PrismaClient } from '../client';
import { newId } from '../ids';
import type { AdminProvider, AuditActor, NewProvider, ProviderChanges } from './admin-records';
import { AdminRepositoryError } from './admin-repository-error';
import { appendAuditLog } from './append-audit-log';
import { auditChanges } from './audit-changes';
import { prismaErrorCode } from './prisma-error-code';

export interface ProviderRepository {
  /** Ordered by name. */
  list(): Promise<AdminProvider[]>;
  findById(id: string): Promise<AdminProvider | null>;
  create(input: NewProvider, actor: AuditActor): Promise<AdminProvider>;
  /**
   * Null when the provider does not exist. With `accountCredentials` (account id → new credential ciphertext) every
   * account of the provider gets its new credential in the same transaction, and an account missing from it fails
   * the whole change: used when the base URL moves to another host, so no stored credential follows it there.
   */
  update(
    id: string,
    changes: ProviderChanges,
    actor: AuditActor,
    accountCredentials?: Readonly<Record<string, string>>,
  ): Promise<AdminProvider | null>;
}

function toAdminProvider(row: Prisma.ProviderModel): AdminProvider {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    baseUrl: row.baseUrl,
    enabled: row.enabled,
    createdAt: row.createdAt.getTime(),
  };
}

function duplicateName(error: unknown): never {
  if (prismaErrorCode(error) === 'P2002') {
    throw new AdminRepositoryError('conflict', 'name', 'A provider with this name already exists.');
  }
  throw error;
}

export function createProviderRepository(prisma: PrismaClient): ProviderRepository {
  return {
    async list() {
      const rows = await prisma.provider.findMany({ orderBy: { name: 'asc' } });
      return rows.map(toAdminProvider);
    },

    async findById(id) {
      const row = await prisma.provider.findUnique({ where: { id } });
      return row ? toAdminProvider(row) : null;
    },

    async create(input, actor) {
      const id = newId('prv');
      const row = await prisma
        .$transaction(async (tx) => {
          const created = await tx.provider.create({ data: { id, ...input } });
          await appendAuditLog(tx, actor, {
            action: 'provider.create',
            targetType: 'provider',
            targetId: id,
            details: { ...input },
          });
          return created;
        })
        .catch(duplicateName);
      return toAdminProvider(row);
    },

    async update(id, changes, actor, accountCredentials) {
      const row = await prisma
        .$transaction(async (tx) => {
          const previous = await tx.provider.findUnique({ where: { id } });
          if (!previous) return null;
          const updated = await tx.provider.update({ where: { id }, data: changes });
          const replaced: string[] = [];
          if (accountCredentials !== undefined) {
            const accounts = await tx.upstreamAccount.findMany({
              where: { providerId: id },
              select: { id: true },
            });
            for (const account of accounts) {
              const credentialCiphertext = accountCredentials[account.id];
              if (credentialCiphertext === undefined) {
                throw new AdminRepositoryError(
                  'invalid_reference',
                  `accountCredentials.${account.id}`,
                  'is required: every account of the provider needs its credential entered again.',
                );
              }
              await tx.upstreamAccount.update({
                where: { id: account.id },
                data: {
                  credentialCiphertext,
                  credentialRejectedAt: null,
                  credentialError: null,
                  credentialEpoch: { increment: 1 },
                },
              });
              replaced.push(account.id);
            }
            const stranger = Object.keys(accountCredentials).find(
              (accountId) => !replaced.includes(accountId),
            );
            if (stranger !== undefined) {
              throw new AdminRepositoryError(
                'invalid_reference',
                `accountCredentials.${stranger}`,
                'is not an account of this provider.',
              );
            }
          }
          await appendAuditLog(tx, actor, {
            action: 'provider.update',
            targetType: 'provider',
            targetId: id,
            details: {
              ...changes,
              ...(accountCredentials === undefined ? {} : { credentialsReplaced: replaced }),
            },
            ...auditChanges(previous, updated, Object.keys(changes)),
          });
          return tx.provider.findUnique({ where: { id } });
        })
        .catch(duplicateName);
      return row ? toAdminProvider(row) : null;
    },
  };
}
