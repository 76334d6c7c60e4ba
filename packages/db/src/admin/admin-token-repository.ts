import type { PrismaClient } from '../client';
import { newId } from '../ids';
import type { AuditActor } from './admin-records';
import { AdminRepositoryError } from './admin-repository-error';
import { appendAuditLog } from './append-audit-log';
import { prismaErrorCode } from './prisma-error-code';

export const ADMIN_TOKEN_SCOPES = ['read', 'write'] as const;
export type AdminTokenScope = (typeof ADMIN_TOKEN_SCOPES)[number];

/** A scoped admin API token; only the digest of its secret is stored. Times are epoch ms. */
export interface AdminTokenRecord {
  id: string;
  name: string;
  /** First characters of the token (`sy-adm-AbCd`), safe to display. */
  prefix: string;
  scope: AdminTokenScope;
  /** When set, the token sees and manages only this team's keys. */
  teamId: string | null;
  createdById: string | null;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  createdAt: number;
}

export interface NewAdminToken {
  name: string;
  digest: string;
  prefix: string;
  scope: AdminTokenScope;
  teamId: string | null;
  createdById: string | null;
  expiresAt: Date | null;
}

export interface AdminTokenRepository {
  /** Newest first, revoked ones included. */
  list(): Promise<AdminTokenRecord[]>;
  findById(id: string): Promise<AdminTokenRecord | null>;
  create(input: NewAdminToken, actor: AuditActor): Promise<AdminTokenRecord>;
  /** Idempotent; null when absent. */
  revoke(id: string, now: Date, actor: AuditActor): Promise<AdminTokenRecord | null>;
  /**
   * The token a presented secret's digest names while it is neither revoked nor expired at `now`, else null.
   * Records the use (last-used time, at most once a minute so a busy script does not write on every call).
   */
  authenticate(digest: string, now: Date): Promise<AdminTokenRecord | null>;
}

const LAST_USED_RESOLUTION_MS = 60_000;

function toRecord(row: {
  id: string;
  name: string;
  prefix: string;
  scope: AdminTokenScope;
  teamId: string | null;
  createdById: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}): AdminTokenRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope,
    teamId: row.teamId,
    createdById: row.createdById,
    expiresAt: row.expiresAt?.getTime() ?? null,
    revokedAt: row.revokedAt?.getTime() ?? null,
    lastUsedAt: row.lastUsedAt?.getTime() ?? null,
    createdAt: row.createdAt.getTime(),
  };
}

export function createAdminTokenRepository(prisma: PrismaClient): AdminTokenRepository {
  return {
    async list() {
      const rows = await prisma.adminToken.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      return rows.map(toRecord);
    },

    async findById(id) {
      const row = await prisma.adminToken.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },

    async create(input, actor) {
      const id = newId('atk');
      const row = await prisma
        .$transaction(async (tx) => {
          const created = await tx.adminToken.create({ data: { id, ...input } });
          await appendAuditLog(tx, actor, {
            action: 'admin_token.create',
            targetType: 'admin_token',
            targetId: id,
            details: {
              name: input.name,
              prefix: input.prefix,
              scope: input.scope,
              teamId: input.teamId,
              expiresAt: input.expiresAt?.toISOString() ?? null,
            },
          });
          return created;
        })
        .catch((error: unknown) => {
          if (prismaErrorCode(error) === 'P2003') {
            throw new AdminRepositoryError('invalid_reference', 'teamId', 'No team with this id.');
          }
          throw error;
        });
      return toRecord(row);
    },

    async revoke(id, now, actor) {
      const row = await prisma.$transaction(async (tx) => {
        const { count } = await tx.adminToken.updateMany({
          where: { id, revokedAt: null },
          data: { revokedAt: now },
        });
        if (count > 0) {
          await appendAuditLog(tx, actor, {
            action: 'admin_token.revoke',
            targetType: 'admin_token',
            targetId: id,
          });
        }
        return tx.adminToken.findUnique({ where: { id } });
      });
      return row ? toRecord(row) : null;
    },

    async authenticate(digest, now) {
      const row = await prisma.adminToken.findUnique({ where: { digest } });
      if (!row || row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now)) return null;
      if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
        await prisma.adminToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } });
        row.lastUsedAt = now;
      }
      return toRecord(row);
    },
  };
}
