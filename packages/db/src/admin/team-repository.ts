import type { PrismaClient } from '../client';
import { newId } from '../ids';
import type { AuditActor } from './admin-records';
import { AdminRepositoryError } from './admin-repository-error';
import { appendAuditLog } from './append-audit-log';
import { prismaErrorCode } from './prisma-error-code';

/** A team: a group of keys sharing RPM/TPM limits and budgets. Times are epoch ms. */
export interface AdminTeam {
  id: string;
  name: string;
  /** Requests per minute across the team's keys; null = unlimited. */
  rpmLimit: number | null;
  /** Tokens (input + output) per minute across the team's keys; null = unlimited. */
  tpmLimit: number | null;
  /** Keys currently in the team. */
  keyCount: number;
  /** Console users in the team. */
  memberCount: number;
  createdAt: number;
}

export interface NewTeam {
  name: string;
  rpmLimit: number | null;
  tpmLimit: number | null;
}

export type TeamChanges = Partial<NewTeam>;

export interface TeamRepository {
  /** Ordered by name. */
  list(): Promise<AdminTeam[]>;
  findById(id: string): Promise<AdminTeam | null>;
  /** The teams that exist among `ids`. */
  findManyByIds(ids: string[]): Promise<AdminTeam[]>;
  create(input: NewTeam, actor: AuditActor): Promise<AdminTeam>;
  /** Null when absent. */
  update(id: string, changes: TeamChanges, actor: AuditActor): Promise<AdminTeam | null>;
  /** False when absent; refused (conflict) while keys belong to the team. */
  delete(id: string, actor: AuditActor): Promise<boolean>;
}

const withKeyCount = { _count: { select: { apiKeys: true, members: true } } } as const;

function toAdminTeam(row: {
  id: string;
  name: string;
  rpmLimit: number | null;
  tpmLimit: number | null;
  createdAt: Date;
  _count: { apiKeys: number; members: number };
}): AdminTeam {
  return {
    id: row.id,
    name: row.name,
    rpmLimit: row.rpmLimit,
    tpmLimit: row.tpmLimit,
    keyCount: row._count.apiKeys,
    memberCount: row._count.members,
    createdAt: row.createdAt.getTime(),
  };
}

function translateWriteError(error: unknown): never {
  if (prismaErrorCode(error) === 'P2002') {
    throw new AdminRepositoryError('conflict', 'name', 'A team with this name already exists.');
  }
  throw error;
}

export function createTeamRepository(prisma: PrismaClient): TeamRepository {
  return {
    async list() {
      const rows = await prisma.team.findMany({ include: withKeyCount, orderBy: { name: 'asc' } });
      return rows.map(toAdminTeam);
    },

    async findById(id) {
      const row = await prisma.team.findUnique({ where: { id }, include: withKeyCount });
      return row ? toAdminTeam(row) : null;
    },

    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await prisma.team.findMany({ where: { id: { in: ids } }, include: withKeyCount });
      return rows.map(toAdminTeam);
    },

    async create(input, actor) {
      const id = newId('team');
      const row = await prisma
        .$transaction(async (tx) => {
          const created = await tx.team.create({ data: { id, ...input }, include: withKeyCount });
          await appendAuditLog(tx, actor, {
            action: 'team.create',
            targetType: 'team',
            targetId: id,
            details: { ...input },
          });
          return created;
        })
        .catch(translateWriteError);
      return toAdminTeam(row);
    },

    async update(id, changes, actor) {
      const row = await prisma
        .$transaction(async (tx) => {
          const { count } = await tx.team.updateMany({ where: { id }, data: changes });
          if (count === 0) return null;
          await appendAuditLog(tx, actor, {
            action: 'team.update',
            targetType: 'team',
            targetId: id,
            details: { ...changes },
          });
          return tx.team.findUnique({ where: { id }, include: withKeyCount });
        })
        .catch(translateWriteError);
      return row ? toAdminTeam(row) : null;
    },

    async delete(id, actor) {
      return prisma.$transaction(async (tx) => {
        const keys = await tx.apiKey.count({ where: { teamId: id } });
        if (keys > 0) {
          throw new AdminRepositoryError(
            'conflict',
            'id',
            `The team still has ${keys} ${keys === 1 ? 'key' : 'keys'}; move them to another team first.`,
          );
        }
        const { count } = await tx.team.deleteMany({ where: { id } });
        if (count === 0) return false;
        await appendAuditLog(tx, actor, { action: 'team.delete', targetType: 'team', targetId: id });
        return true;
      });
    },
  };
}
