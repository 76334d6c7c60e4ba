import {
  type BudgetDefinition,
  DEFAULT_ALERT_THRESHOLDS,
  END_OF_TIME,
  formatUsdMicros,
  parseUsdMicros,
  periodWindow,
  validateBudgetDefinition,
} from '@switchyard/core';
import type { AdminBudget, BudgetAlertRecord } from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor, requireWriter } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso, isoOrNull } from './iso-time';
import { inReadScope, readableTeamIds } from './permissions';
import { requireAllowedEgress } from './require-allowed-egress';
import { nonEmptyChanges, resourceName } from './schema-helpers';

export const budgetScopes = ['key', 'team', 'global'] as const;
export const budgetPeriods = ['daily', 'weekly', 'monthly', 'total'] as const;
export const budgetModes = ['hard', 'soft'] as const;

/** A router's report counts toward reservations while it is this fresh (routers report every few seconds). */
export const RESERVATION_FRESH_MS = 30_000;
/** Alerts shown per budget. */
export const RECENT_ALERTS = 10;

/** A limit as decimal USD text ("250.00"), read exactly into micro-USD. */
const usdAmount = z.string().transform((text, ctx) => {
  const parsed = parseUsdMicros(text.trim());
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.value;
});

const budgetFields = {
  name: resourceName,
  mode: z.enum(budgetModes),
  /** Decimal USD per period, e.g. "250.00". */
  limitUsd: usdAmount,
  alertThresholds: z.array(z.number()).max(20),
  timeZone: z.string().trim().min(1).max(64),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable(),
  enabled: z.boolean(),
};

export const createBudgetInput = z.object({
  ...budgetFields,
  scope: z.enum(budgetScopes),
  /** The key or team id; null (or absent) for a global budget. */
  scopeId: z.string().trim().min(1).nullable().default(null),
  period: z.enum(budgetPeriods),
  mode: budgetFields.mode.default('hard'),
  alertThresholds: budgetFields.alertThresholds.default([...DEFAULT_ALERT_THRESHOLDS]),
  timeZone: budgetFields.timeZone.default('UTC'),
  webhookUrl: budgetFields.webhookUrl.default(null),
  enabled: budgetFields.enabled.default(true),
});

/** Scope is fixed at creation; the period may change (spend is recomputed from rollups for the new window). */
export const updateBudgetInput = nonEmptyChanges(
  z.object({
    name: budgetFields.name.optional(),
    period: z.enum(budgetPeriods).optional(),
    mode: budgetFields.mode.optional(),
    limitUsd: budgetFields.limitUsd.optional(),
    alertThresholds: budgetFields.alertThresholds.optional(),
    timeZone: budgetFields.timeZone.optional(),
    webhookUrl: budgetFields.webhookUrl.optional(),
    enabled: budgetFields.enabled.optional(),
  }),
);

export type CreateBudgetInput = z.infer<typeof createBudgetInput>;
export type UpdateBudgetInput = z.infer<typeof updateBudgetInput>;

/** One threshold crossing, as the console lists it. Money is micro-USD as a decimal string. */
export interface BudgetAlertView {
  id: string;
  periodStart: string;
  threshold: number;
  spendMicros: string;
  limitMicros: string;
  deliveredAt: string | null;
  createdAt: string;
  /** Webhook POSTs so far, and the latest failure's reason (null when none failed). */
  deliveryAttempts: number;
  lastDeliveryError: string | null;
  /** When the routers next try the webhook; null once delivered, given up, or with no webhook. */
  nextDeliveryAt: string | null;
}

/**
 * A budget with where it stands in its current period. Money is integer micro-USD as decimal strings
 * (`limitMicros`, `spentMicros`, `reservedMicros`) plus `limitUsd` as entered.
 */
export interface BudgetView {
  id: string;
  name: string;
  scope: AdminBudget['scope'];
  scopeId: string | null;
  /** The key's or team's name at read time; null for global budgets or a deleted scope. */
  scopeName: string | null;
  period: AdminBudget['period'];
  mode: AdminBudget['mode'];
  limitUsd: string;
  limitMicros: string;
  alertThresholds: number[];
  timeZone: string;
  webhookUrl: string | null;
  enabled: boolean;
  /** The current period [start, end); `end` is null for `total`. */
  periodStart: string;
  periodEnd: string | null;
  /** Settled cost in the period, from the hourly rollups. */
  spentMicros: string;
  /** Worst-case cost the routers hold for requests in flight (fresh reports only). */
  reservedMicros: string;
  /** Router instances whose recent report is counted in `reservedMicros`. */
  reportingRouters: number;
  /** Spent as a percentage of the limit, one decimal, rounded down; null for a zero limit. */
  percentUsed: number | null;
  alerts: BudgetAlertView[];
  createdAt: string;
  updatedAt: string;
}

/** Names the request field a definition issue is about (the API takes the limit in USD). */
function issueField(field: keyof BudgetDefinition): string {
  return field === 'limitMicros' ? 'limitUsd' : field;
}

function check(definition: BudgetDefinition): void {
  const [issue] = validateBudgetDefinition(definition);
  if (issue) {
    const field = issueField(issue.field);
    throw new AdminError('invalid_request', `${field}: ${issue.message}`, field);
  }
}

function toAlertView(alert: BudgetAlertRecord): BudgetAlertView {
  return {
    id: alert.id,
    periodStart: iso(alert.periodStart),
    threshold: alert.threshold,
    spendMicros: alert.spendMicros.toString(),
    limitMicros: alert.limitMicros.toString(),
    deliveredAt: isoOrNull(alert.deliveredAt),
    createdAt: iso(alert.createdAt),
    deliveryAttempts: alert.deliveryAttempts,
    lastDeliveryError: alert.lastDeliveryError,
    nextDeliveryAt: isoOrNull(alert.nextDeliveryAt),
  };
}

/** Spend, reservations, alerts and scope names for a set of budgets, read in a handful of queries. */
async function toBudgetViews(ctx: AdminContext, budgets: AdminBudget[]): Promise<BudgetView[]> {
  const now = ctx.now().getTime();
  const windows = budgets.map((budget) => periodWindow(budget.period, now, budget.timeZone));
  const keyIds = budgets.flatMap((b) => (b.scope === 'key' && b.scopeId ? [b.scopeId] : []));
  const teamIds = budgets.flatMap((b) => (b.scope === 'team' && b.scopeId ? [b.scopeId] : []));
  const [spends, reservations, alerts, keys, teams] = await Promise.all([
    Promise.all(
      budgets.map((budget, i) => ctx.repos.budgets.spend(budget, windows[i] ?? { start: 0, end: 0 })),
    ),
    ctx.repos.budgets.reservations(
      budgets.map((budget, i) => ({ budgetId: budget.id, periodStart: windows[i]?.start ?? 0 })),
      now - RESERVATION_FRESH_MS,
    ),
    ctx.repos.budgets.recentAlerts(
      budgets.map((budget) => budget.id),
      RECENT_ALERTS,
    ),
    ctx.repos.apiKeys.findManyByIds(keyIds),
    ctx.repos.teams.findManyByIds(teamIds),
  ]);
  const names = new Map([...keys, ...teams].map((item) => [item.id, item.name]));
  return budgets.map((budget, i): BudgetView => {
    const window = windows[i] ?? { start: 0, end: END_OF_TIME };
    const spent = spends[i] ?? 0n;
    const reservation = reservations.get(budget.id);
    return {
      id: budget.id,
      name: budget.name,
      scope: budget.scope,
      scopeId: budget.scopeId,
      scopeName: budget.scopeId === null ? null : (names.get(budget.scopeId) ?? null),
      period: budget.period,
      mode: budget.mode,
      limitUsd: formatUsdMicros(budget.limitMicros),
      limitMicros: budget.limitMicros.toString(),
      alertThresholds: [...budget.alertThresholds],
      timeZone: budget.timeZone,
      webhookUrl: budget.webhookUrl,
      enabled: budget.enabled,
      periodStart: iso(window.start),
      periodEnd: window.end === END_OF_TIME ? null : iso(window.end),
      spentMicros: spent.toString(),
      reservedMicros: (reservation?.reservedMicros ?? 0n).toString(),
      reportingRouters: reservation?.instances ?? 0,
      percentUsed: budget.limitMicros === 0n ? null : Number((spent * 1000n) / budget.limitMicros) / 10,
      alerts: (alerts.get(budget.id) ?? []).map(toAlertView),
      createdAt: iso(budget.createdAt),
      updatedAt: iso(budget.updatedAt),
    };
  });
}

/**
 * The budgets an actor may read: everything for unscoped callers; for a member (or a team token) their team's
 * budgets and those of their team's keys. Global budgets are left out for them: their spend is every team's.
 */
async function readableBudgets(
  ctx: AdminContext,
  actor: Actor,
  budgets: AdminBudget[],
): Promise<AdminBudget[]> {
  if (readableTeamIds(actor) === undefined) return budgets;
  const keyIds = budgets.flatMap((b) => (b.scope === 'key' && b.scopeId ? [b.scopeId] : []));
  const keyTeams = new Map(
    (await ctx.repos.apiKeys.findManyByIds(keyIds)).map((key) => [key.id, key.teamId]),
  );
  return budgets.filter((budget) => {
    if (budget.scopeId === null) return false;
    if (budget.scope === 'team') return inReadScope(actor, budget.scopeId);
    return budget.scope === 'key' && inReadScope(actor, keyTeams.get(budget.scopeId) ?? null);
  });
}

export async function listBudgets(ctx: AdminContext, actor: Actor): Promise<{ items: BudgetView[] }> {
  const budgets = await readableBudgets(ctx, actor, await ctx.repos.budgets.list());
  return { items: await toBudgetViews(ctx, budgets) };
}

async function toBudgetView(ctx: AdminContext, budget: AdminBudget): Promise<BudgetView> {
  const [view] = await toBudgetViews(ctx, [budget]);
  if (!view) throw new AdminError('not_found', `No budget with id ${budget.id}.`);
  return view;
}

export async function getBudget(ctx: AdminContext, actor: Actor, id: string): Promise<BudgetView> {
  const found = await ctx.repos.budgets.findById(id);
  const [budget] = found ? await readableBudgets(ctx, actor, [found]) : [];
  if (!budget) throw new AdminError('not_found', `No budget with id ${id}.`);
  return toBudgetView(ctx, budget);
}

/** Checked with core's validateBudgetDefinition; the key or team must exist. */
export async function createBudget(
  ctx: AdminContext,
  actor: Actor,
  input: CreateBudgetInput,
): Promise<BudgetView> {
  requireWriter(actor);
  if (input.webhookUrl !== null) await requireAllowedEgress(ctx, 'webhookUrl', input.webhookUrl);
  const { limitUsd, ...fields } = input;
  const definition = { id: 'new', ...fields, limitMicros: limitUsd };
  check(definition);
  const { id: _new, ...budget } = definition;
  const created = await ctx.repos.budgets.create(budget, auditActor(actor));
  return toBudgetView(ctx, created);
}

export async function updateBudget(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  changes: UpdateBudgetInput,
): Promise<BudgetView> {
  requireWriter(actor);
  if (changes.webhookUrl != null) await requireAllowedEgress(ctx, 'webhookUrl', changes.webhookUrl);
  const existing = await ctx.repos.budgets.findById(id);
  if (!existing) throw new AdminError('not_found', `No budget with id ${id}.`);
  const { limitUsd, ...fields } = changes;
  const update = { ...fields, ...(limitUsd === undefined ? {} : { limitMicros: limitUsd }) };
  check({ ...existing, ...update });
  const updated = await ctx.repos.budgets.update(id, update, auditActor(actor));
  if (!updated) throw new AdminError('not_found', `No budget with id ${id}.`);
  return toBudgetView(ctx, updated);
}

export async function deleteBudget(ctx: AdminContext, actor: Actor, id: string): Promise<void> {
  requireWriter(actor);
  if (!(await ctx.repos.budgets.delete(id, auditActor(actor)))) {
    throw new AdminError('not_found', `No budget with id ${id}.`);
  }
}
