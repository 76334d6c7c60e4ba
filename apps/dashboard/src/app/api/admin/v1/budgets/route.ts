import { adminRoute, created, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { createBudget, createBudgetInput, listBudgets } from '@/server/budgets';

export const GET = adminRoute(async ({ ctx, actor }) => ok(await listBudgets(ctx, actor)));

export const POST = adminRoute(async ({ req, ctx, actor }) =>
  created(await createBudget(ctx, actor, await parseJsonBody(req, createBudgetInput))),
);
