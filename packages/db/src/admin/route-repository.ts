import type { Prisma, PrismaClient } from '../client';
import { newId } from '../ids';
import type { AdminRoute, AuditActor, NewRoute, NewRouteTarget, RouteChanges } from './admin-records';
import { AdminRepositoryError } from './admin-repository-error';
import { appendAuditLog } from './append-audit-log';
import { prismaErrorCode } from './prisma-error-code';

export interface RouteRepository {
  /** Ordered by public model name. */
  list(): Promise<AdminRoute[]>;
  findById(id: string): Promise<AdminRoute | null>;
  create(input: NewRoute, actor: AuditActor): Promise<AdminRoute>;
  /** Null when the route does not exist. */
  update(id: string, changes: RouteChanges, actor: AuditActor): Promise<AdminRoute | null>;
  /** False when the route did not exist. */
  delete(id: string, actor: AuditActor): Promise<boolean>;
}

const withTargets = {
  targets: { orderBy: [{ tier: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.RouteInclude;

function toAdminRoute(row: Prisma.RouteModel & { targets: Prisma.RouteTargetModel[] }): AdminRoute {
  return {
    id: row.id,
    publicModel: row.publicModel,
    aliases: row.aliases,
    description: row.description,
    enabled: row.enabled,
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
    targets: row.targets.map((target) => ({
      id: target.id,
      accountId: target.accountId,
      upstreamModel: target.upstreamModel,
      tier: target.tier,
      weight: target.weight,
      enabled: target.enabled,
    })),
  };
}

/** A model name must resolve to one route: no other route may use it as public name or alias. */
async function assertNamesFree(
  tx: Prisma.TransactionClient,
  routeId: string,
  publicModel: string,
  aliases: string[],
): Promise<void> {
  const names = [publicModel, ...aliases];
  const clash = await tx.route.findFirst({
    where: { id: { not: routeId }, OR: [{ publicModel: { in: names } }, { aliases: { hasSome: names } }] },
    select: { publicModel: true, aliases: true },
  });
  if (!clash) return;
  const taken = new Set([clash.publicModel, ...clash.aliases]);
  const field = taken.has(publicModel) ? 'publicModel' : 'aliases';
  throw new AdminRepositoryError(
    'conflict',
    field,
    `Route "${clash.publicModel}" already answers to that name.`,
  );
}

async function assertAccountsExist(tx: Prisma.TransactionClient, targets: NewRouteTarget[]): Promise<void> {
  const ids = [...new Set(targets.map((target) => target.accountId))];
  const found = await tx.upstreamAccount.findMany({ where: { id: { in: ids } }, select: { id: true } });
  const known = new Set(found.map((account) => account.id));
  const missing = targets.findIndex((target) => !known.has(target.accountId));
  if (missing >= 0) {
    throw new AdminRepositoryError(
      'invalid_reference',
      `targets[${missing}].accountId`,
      'The upstream account does not exist.',
    );
  }
}

function targetRows(targets: NewRouteTarget[]) {
  return targets.map((target) => ({ id: newId('tgt'), ...target }));
}

function translateWriteError(error: unknown): never {
  if (prismaErrorCode(error) === 'P2002') {
    throw new AdminRepositoryError(
      'conflict',
      'publicModel',
      'A route with this public model already exists.',
    );
  }
  throw error;
}

export function createRouteRepository(prisma: PrismaClient): RouteRepository {
  return {
    async list() {
      const rows = await prisma.route.findMany({ include: withTargets, orderBy: { publicModel: 'asc' } });
      return rows.map(toAdminRoute);
    },

    async findById(id) {
      const row = await prisma.route.findUnique({ where: { id }, include: withTargets });
      return row ? toAdminRoute(row) : null;
    },

    async create(input, actor) {
      const id = newId('rt');
      const row = await prisma
        .$transaction(async (tx) => {
          await assertNamesFree(tx, id, input.publicModel, input.aliases);
          await assertAccountsExist(tx, input.targets);
          const { targets, ...fields } = input;
          const created = await tx.route.create({
            data: { id, ...fields, targets: { create: targetRows(targets) } },
            include: withTargets,
          });
          await appendAuditLog(tx, actor, {
            action: 'route.create',
            targetType: 'route',
            targetId: id,
            details: { ...fields, targets: targets.map((target) => ({ ...target })) },
          });
          return created;
        })
        .catch(translateWriteError);
      return toAdminRoute(row);
    },

    async update(id, changes, actor) {
      const row = await prisma
        .$transaction(async (tx) => {
          const existing = await tx.route.findUnique({ where: { id } });
          if (!existing) return null;
          const { targets, ...fields } = changes;
          if (fields.publicModel !== undefined || fields.aliases !== undefined) {
            await assertNamesFree(
              tx,
              id,
              fields.publicModel ?? existing.publicModel,
              fields.aliases ?? existing.aliases,
            );
          }
          if (targets !== undefined) {
            await assertAccountsExist(tx, targets);
            await tx.routeTarget.deleteMany({ where: { routeId: id } });
            await tx.routeTarget.createMany({
              data: targetRows(targets).map((t) => ({ ...t, routeId: id })),
            });
          }
          // Always touch the row so updatedAt moves even when only the targets changed.
          const updated = await tx.route.update({
            where: { id },
            data: { ...fields, updatedAt: new Date() },
            include: withTargets,
          });
          await appendAuditLog(tx, actor, {
            action: 'route.update',
            targetType: 'route',
            targetId: id,
            details: {
              ...fields,
              ...(targets === undefined ? {} : { targets: targets.map((target) => ({ ...target })) }),
            },
          });
          return updated;
        })
        .catch(translateWriteError);
      return row ? toAdminRoute(row) : null;
    },

    async delete(id, actor) {
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.route.deleteMany({ where: { id } });
        if (count === 0) return false;
        await appendAuditLog(tx, actor, { action: 'route.delete', targetType: 'route', targetId: id });
        return true;
      });
    },
  };
}
