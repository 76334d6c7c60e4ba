import type { BudgetDefinition, PeriodWindow } from '@switchyard/core';
import { sumBudgetSpend } from '../budget-spend';
import type { Prisma, PrismaClient } from '../client';
import { newId } from '../ids';
import type { AuditActor } from './admin-records';
import { AdminRepositoryError } from './admin-repository-error';
import { appendAuditLog } from './append-audit-log';
import { auditChanges } from './audit-changes';
import { budgetDefinitionFromRow } from './budget-rows';

/** A budget as the control plane stores it. Times are epoch ms. */
export interface AdminBudget extends BudgetDefinition {
  /** Alerts are POSTed here as JSON (and always shown in the console); null: console only. */
  webhookUrl: string | null;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export type NewBudget = Omit<AdminBudget, 'id' | 'createdAt' | 'updatedAt'>;

/** Scope and scope id are fixed at creation: a budget that moved to another key would mix two spend histories. */
export type BudgetChanges = Partial<Omit<NewBudget, 'scope' | 'scopeId'>>;

/** What the routers hold against one budget right now, summed over the instances that reported recently. */
export interface BudgetReservation {
  reservedMicros: bigint;
  /** Router instances whose report counted. */
  instances: number;
}

/** One threshold crossing a router recorded. Times are epoch ms. */
export interface BudgetAlertRecord {
  id: string;
  budgetId: string;
  periodStart: number;
  threshold: number;
  spendMicros: bigint;
  limitMicros: bigint;
  deliveredAt: number | null;
  createdAt: number;
  /** Webhook POSTs started so far. */
  deliveryAttempts: number;
  /** Why the latest failed attempt failed; null when none failed. */
  lastDeliveryError: string | null;
  /** When the next attempt is due; null once delivered, given up, or with no webhook. */
  nextDeliveryAt: number | null;
}

export interface BudgetRepository {
  /** Ordered by name. */
  list(): Promise<AdminBudget[]>;
  findById(id: string): Promise<AdminBudget | null>;
  /** Refused (invalid_reference on `scopeId`) when the key or team does not exist. */
  create(input: NewBudget, actor: AuditActor): Promise<AdminBudget>;
  /** Null when absent. */
  update(id: string, changes: BudgetChanges, actor: AuditActor): Promise<AdminBudget | null>;
  /** False when absent. Its alerts go with it. */
  delete(id: string, actor: AuditActor): Promise<boolean>;
  /**
   * Settled spend in the window, from the hourly rollups (never raw events): the cost of every hourly bucket
   * starting inside [start, end) for the budget's scope.
   */
  spend(budget: Pick<BudgetDefinition, 'scope' | 'scopeId'>, window: PeriodWindow): Promise<bigint>;
  /** Reserved micro-USD per budget from `budget_usage` rows updated since `freshSince` for that period start. */
  reservations(
    periods: { budgetId: string; periodStart: number }[],
    freshSince: number,
  ): Promise<Map<string, BudgetReservation>>;
  /** The newest `perBudget` alerts of each budget, newest first. */
  recentAlerts(budgetIds: string[], perBudget: number): Promise<Map<string, BudgetAlertRecord[]>>;
}

function toAdminBudget(row: Prisma.BudgetModel): AdminBudget {
  return {
    ...budgetDefinitionFromRow(row),
    webhookUrl: row.webhookUrl,
    enabled: row.enabled,
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  };
}

function auditDetails(fields: BudgetChanges & Partial<Pick<NewBudget, 'scope' | 'scopeId'>>) {
  const { limitMicros, alertThresholds, ...rest } = fields;
  return {
    ...rest,
    ...(limitMicros === undefined ? {} : { limitMicros: limitMicros.toString() }),
    ...(alertThresholds === undefined ? {} : { alertThresholds: [...alertThresholds] }),
  } satisfies Prisma.InputJsonObject;
}

export function createBudgetRepository(prisma: PrismaClient): BudgetRepository {
  return {
    async list() {
      const rows = await prisma.budget.findMany({ orderBy: [{ name: 'asc' }, { id: 'asc' }] });
      return rows.map(toAdminBudget);
    },

    async findById(id) {
      const row = await prisma.budget.findUnique({ where: { id } });
      return row ? toAdminBudget(row) : null;
    },

    async create(input, actor) {
      const id = newId('bud');
      const row = await prisma.$transaction(async (tx) => {
        if (input.scope !== 'global') {
          const scopeId = input.scopeId ?? '';
          const found =
            input.scope === 'key'
              ? await tx.apiKey.findUnique({ where: { id: scopeId }, select: { id: true } })
              : await tx.team.findUnique({ where: { id: scopeId }, select: { id: true } });
          if (!found) {
            throw new AdminRepositoryError('invalid_reference', 'scopeId', `No ${input.scope} with this id.`);
          }
        }
        const created = await tx.budget.create({
          data: { id, ...input, alertThresholds: [...input.alertThresholds] },
        });
        await appendAuditLog(tx, actor, {
          action: 'budget.create',
          targetType: 'budget',
          targetId: id,
          details: auditDetails(input),
        });
        return created;
      });
      return toAdminBudget(row);
    },

    async update(id, changes, actor) {
      const row = await prisma.$transaction(async (tx) => {
        const { alertThresholds, ...fields } = changes;
        const previous = await tx.budget.findUnique({ where: { id } });
        if (!previous) return null;
        const updated = await tx.budget.update({
          where: { id },
          data: {
            ...fields,
            ...(alertThresholds === undefined ? {} : { alertThresholds: [...alertThresholds] }),
          },
        });
        await appendAuditLog(tx, actor, {
          action: 'budget.update',
          targetType: 'budget',
          targetId: id,
          details: auditDetails(changes),
          ...auditChanges(previous, updated, Object.keys(changes)),
        });
        return tx.budget.findUnique({ where: { id } });
      });
      return row ? toAdminBudget(row) : null;
    },

    async delete(id, actor) {
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.budget.deleteMany({ where: { id } });
        if (count === 0) return false;
        await appendAuditLog(tx, actor, { action: 'budget.delete', targetType: 'budget', targetId: id });
        return true;
      });
    },

    async spend(budget, window) {
      const id = 'spend';
      const queryRows = <Row>(sql: string, values: unknown[]) =>
        prisma.$queryRawUnsafe<Row[]>(sql, ...values);
      const spent = await sumBudgetSpend(queryRows, [
        { id, scope: budget.scope, scopeId: budget.scopeId, start: window.start, end: window.end },
      ]);
      return spent.get(id) ?? 0n;
    },

    async reservations(periods, freshSince) {
      const out = new Map<string, BudgetReservation>();
      if (periods.length === 0) return out;
      const rows = await prisma.budgetUsage.findMany({
        where: {
          updatedAt: { gte: new Date(freshSince) },
          OR: periods.map((period) => ({
            budgetId: period.budgetId,
            periodStart: new Date(period.periodStart),
          })),
        },
      });
      for (const row of rows) {
        const current = out.get(row.budgetId) ?? { reservedMicros: 0n, instances: 0 };
        out.set(row.budgetId, {
          reservedMicros: current.reservedMicros + row.reservedMicros,
          instances: current.instances + 1,
        });
      }
      return out;
    },

    async recentAlerts(budgetIds, perBudget) {
      const out = new Map<string, BudgetAlertRecord[]>();
      if (budgetIds.length === 0) return out;
      const rows = await prisma.$queryRaw<
        {
          id: string;
          budget_id: string;
          period_start: Date;
          threshold: number;
          spend_micros: bigint;
          limit_micros: bigint;
          delivered_at: Date | null;
          created_at: Date;
          delivery_attempts: number;
          last_delivery_error: string | null;
          next_delivery_at: Date | null;
        }[]
      >`
        SELECT id, budget_id, period_start, threshold, spend_micros, limit_micros, delivered_at, created_at,
          delivery_attempts, last_delivery_error, next_delivery_at
        FROM (
          SELECT *, row_number() OVER (PARTITION BY budget_id ORDER BY created_at DESC, id DESC) AS n
          FROM budget_alerts WHERE budget_id = ANY(${budgetIds})
        ) ranked
        WHERE n <= ${perBudget}
        ORDER BY created_at DESC, id DESC`;
      for (const row of rows) {
        const list = out.get(row.budget_id) ?? [];
        list.push({
          id: row.id,
          budgetId: row.budget_id,
          periodStart: row.period_start.getTime(),
          threshold: row.threshold,
          spendMicros: BigInt(row.spend_micros),
          limitMicros: BigInt(row.limit_micros),
          deliveredAt: row.delivered_at?.getTime() ?? null,
          createdAt: row.created_at.getTime(),
          deliveryAttempts: row.delivery_attempts,
          lastDeliveryError: row.last_delivery_error,
          nextDeliveryAt: row.next_delivery_at?.getTime() ?? null,
        });
        out.set(row.budget_id, list);
      }
      return out;
    },
  };
}
