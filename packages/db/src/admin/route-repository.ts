import type { TrafficClass } from '@switchyard/core';
import type { Prisma, PrismaClient } from '../client';
import { newId } from '../ids';
import type {
  AdminRoute,
  AuditActor,
  NewRoute,
  RouteChanges,
  RoutePolicies,
  RouteTargetChanges,
  RouteTargetInput,
} from './admin-records';
import { AdminRepositoryError } from './admin-repository-error';
import { appendAuditLog } from './append-audit-log';
import { auditChanges } from './audit-changes';
import { checkFallbackModels, type FallbackGraphRoute } from './check-fallback-models';
import { prismaErrorCode } from './prisma-error-code';
import { routeBreakerColumns, routeBreakerFromRow } from './route-breaker-columns';
import { routePoliciesFromRow } from './route-policy-rows';

export interface RouteRepository {
  /** Ordered by public model name. */
  list(): Promise<AdminRoute[]>;
  findById(id: string): Promise<AdminRoute | null>;
  create(input: NewRoute, actor: AuditActor): Promise<AdminRoute>;
  /** Null when the route does not exist. */
  update(id: string, changes: RouteChanges, actor: AuditActor): Promise<AdminRoute | null>;
  /** Changes one target in place (the failover drill); null when the route has no such target. */
  updateTarget(
    routeId: string,
    targetId: string,
    changes: RouteTargetChanges,
    actor: AuditActor,
  ): Promise<AdminRoute | null>;
  /** False when the route did not exist. Refused while another route lists it as a backup model. */
  delete(id: string, actor: AuditActor): Promise<boolean>;
}

const withTargets = {
  targets: { orderBy: [{ tier: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.RouteInclude;

/**
 * Key of the transaction-scoped advisory lock every write to route names or backups takes, so two concurrent
 * saves cannot each add half of a backup cycle that neither sees alone.
 */
const ROUTE_GRAPH_LOCK = 0x5357_5254; // "SWRT"

function toAdminRoute(row: Prisma.RouteModel & { targets: Prisma.RouteTargetModel[] }): AdminRoute {
  return {
    id: row.id,
    publicModel: row.publicModel,
    aliases: row.aliases,
    description: row.description,
    enabled: row.enabled,
    backupModels: row.backupModels,
    contextFallbackModel: row.contextFallbackModel,
    policies: routePoliciesFromRow(row.policies),
    missingPricePolicy: row.missingPricePolicy,
    allowCostlierFallback: row.allowCostlierFallback,
    capturePayloads: row.capturePayloads,
    breaker: routeBreakerFromRow(row),
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

function policiesJson(policies: RoutePolicies): Prisma.InputJsonObject {
  const json: Record<string, Prisma.InputJsonObject> = {};
  for (const [trafficClass, policy] of Object.entries(policies) as [
    TrafficClass,
    RoutePolicies[TrafficClass],
  ][]) {
    if (policy) {
      json[trafficClass] = {
        rungs: { ...policy.rungs },
        maxAttempts: policy.maxAttempts,
        timeouts: { ...policy.timeouts },
      };
    }
  }
  return json;
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

async function assertAccountsExist(
  tx: Prisma.TransactionClient,
  targets: { accountId: string }[],
): Promise<void> {
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

async function lockRouteGraph(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROUTE_GRAPH_LOCK}::bigint)`;
}

async function fallbackGraph(tx: Prisma.TransactionClient): Promise<FallbackGraphRoute[]> {
  return tx.route.findMany({
    select: { id: true, publicModel: true, aliases: true, backupModels: true, contextFallbackModel: true },
    orderBy: { publicModel: 'asc' },
  });
}

/** Other routes keep pointing at a renamed route: their fallbacks follow the new public model name. */
async function renameFallbackReferences(
  tx: Prisma.TransactionClient,
  from: string,
  to: string,
): Promise<void> {
  await tx.$executeRaw`
    UPDATE routes SET backup_models = array_replace(backup_models, ${from}, ${to}), updated_at = now()
    WHERE ${from} = ANY(backup_models)`;
  await tx.$executeRaw`
    UPDATE routes SET context_fallback_model = ${to}, updated_at = now() WHERE context_fallback_model = ${from}`;
}

/**
 * Replaces a route's targets with `targets`: entries carrying the id of one of the route's targets update it
 * in place (so its id, and anything keyed by it, survives an edit), the others are created, and targets not
 * listed are deleted.
 */
async function replaceTargets(
  tx: Prisma.TransactionClient,
  routeId: string,
  targets: RouteTargetInput[],
): Promise<void> {
  const existing = await tx.routeTarget.findMany({ where: { routeId }, select: { id: true } });
  const existingIds = new Set(existing.map((target) => target.id));
  targets.forEach((target, index) => {
    if (target.id !== undefined && !existingIds.has(target.id)) {
      throw new AdminRepositoryError(
        'invalid_reference',
        `targets[${index}].id`,
        'The route has no target with this id.',
      );
    }
  });
  const kept = targets.flatMap((target) => (target.id === undefined ? [] : [target.id]));
  await tx.routeTarget.deleteMany({ where: { routeId, id: { notIn: kept } } });
  for (const { id, ...fields } of targets) {
    if (id !== undefined) await tx.routeTarget.update({ where: { id }, data: fields });
  }
  const added = targets.filter((target) => target.id === undefined);
  if (added.length > 0) {
    await tx.routeTarget.createMany({
      data: added.map(({ id: _none, ...fields }) => ({ id: newId('tgt'), routeId, ...fields })),
    });
  }
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

/** Audit details of a route write: what was submitted, policies as plain JSON. */
function auditDetails(changes: RouteChanges): Prisma.InputJsonObject {
  const { targets, policies, ...fields } = changes;
  return {
    ...fields,
    ...(policies === undefined ? {} : { policies: policiesJson(policies) }),
    ...(targets === undefined ? {} : { targets: targets.map((target) => ({ ...target })) }),
  };
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
          await lockRouteGraph(tx);
          await assertNamesFree(tx, id, input.publicModel, input.aliases);
          await assertAccountsExist(tx, input.targets);
          const fallbacks = checkFallbackModels({ id, ...input }, await fallbackGraph(tx));
          const { targets, policies, breaker, ...fields } = input;
          const created = await tx.route.create({
            data: {
              id,
              ...fields,
              ...fallbacks,
              ...(breaker === undefined ? {} : routeBreakerColumns(breaker)),
              policies: policiesJson(policies),
              targets: { create: targets.map((target) => ({ id: newId('tgt'), ...target })) },
            },
            include: withTargets,
          });
          await appendAuditLog(tx, actor, {
            action: 'route.create',
            targetType: 'route',
            targetId: id,
            details: auditDetails({ ...input, ...fallbacks }),
          });
          return created;
        })
        .catch(translateWriteError);
      return toAdminRoute(row);
    },

    async update(id, changes, actor) {
      const row = await prisma
        .$transaction(async (tx) => {
          await lockRouteGraph(tx);
          const existing = await tx.route.findUnique({ where: { id }, include: withTargets });
          if (!existing) return null;
          const {
            targets,
            policies,
            backupModels: submittedBackups,
            contextFallbackModel: submittedContextFallback,
            breaker,
            ...fields
          } = changes;
          const publicModel = fields.publicModel ?? existing.publicModel;
          const aliases = fields.aliases ?? existing.aliases;
          if (fields.publicModel !== undefined || fields.aliases !== undefined) {
            await assertNamesFree(tx, id, publicModel, aliases);
          }
          if (publicModel !== existing.publicModel) {
            await renameFallbackReferences(tx, existing.publicModel, publicModel);
          }
          // Only a change to the fallbacks can add an edge; a rename keeps the graph's shape.
          const fallbacks =
            submittedBackups === undefined && submittedContextFallback === undefined
              ? {}
              : checkFallbackModels(
                  {
                    id,
                    publicModel,
                    aliases,
                    backupModels: submittedBackups ?? existing.backupModels,
                    contextFallbackModel:
                      submittedContextFallback === undefined
                        ? existing.contextFallbackModel
                        : submittedContextFallback,
                  },
                  await fallbackGraph(tx),
                );
          if (targets !== undefined) {
            await assertAccountsExist(tx, targets);
            await replaceTargets(tx, id, targets);
          }
          // Always touch the row so updatedAt moves even when only the targets changed.
          const updated = await tx.route.update({
            where: { id },
            data: {
              ...fields,
              ...fallbacks,
              ...(policies === undefined ? {} : { policies: policiesJson(policies) }),
              ...(breaker === undefined ? {} : routeBreakerColumns(breaker)),
              updatedAt: new Date(),
            },
            include: withTargets,
          });
          await appendAuditLog(tx, actor, {
            action: 'route.update',
            targetType: 'route',
            targetId: id,
            details: auditDetails({ ...changes, ...fallbacks }),
            ...auditChanges(toAdminRoute(existing), toAdminRoute(updated), Object.keys(changes)),
          });
          return updated;
        })
        .catch(translateWriteError);
      return row ? toAdminRoute(row) : null;
    },

    async updateTarget(routeId, targetId, changes, actor) {
      const row = await prisma.$transaction(async (tx) => {
        const previous = await tx.routeTarget.findFirst({ where: { id: targetId, routeId } });
        if (!previous) return null;
        const updated = await tx.routeTarget.update({ where: { id: targetId }, data: changes });
        await appendAuditLog(tx, actor, {
          action: 'route_target.update',
          targetType: 'route_target',
          targetId,
          details: { routeId, ...changes },
          ...auditChanges(previous, updated, Object.keys(changes)),
        });
        return tx.route.update({
          where: { id: routeId },
          data: { updatedAt: new Date() },
          include: withTargets,
        });
      });
      return row ? toAdminRoute(row) : null;
    },

    async delete(id, actor) {
      return prisma.$transaction(async (tx) => {
        await lockRouteGraph(tx);
        const route = await tx.route.findUnique({ where: { id }, select: { publicModel: true } });
        if (!route) return false;
        const dependant = await tx.route.findFirst({
          where: {
            OR: [{ backupModels: { has: route.publicModel } }, { contextFallbackModel: route.publicModel }],
          },
          select: { publicModel: true },
          orderBy: { publicModel: 'asc' },
        });
        if (dependant) {
          throw new AdminRepositoryError(
            'conflict',
            'id',
            `Route "${dependant.publicModel}" falls back to "${route.publicModel}"; remove it there first.`,
          );
        }
        await tx.route.delete({ where: { id } });
        await appendAuditLog(tx, actor, { action: 'route.delete', targetType: 'route', targetId: id });
        return true;
      });
    },
  };
}
