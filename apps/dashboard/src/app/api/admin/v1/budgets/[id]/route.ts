import { adminRoute, noContent, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { deleteBudget, getBudget, updateBudget, updateBudgetInput } from '@/server/budgets';

export const GET = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await getBudget(ctx, actor, params.id)),
);

export const PATCH = adminRoute<{ id: string }>(async ({ req, ctx, actor, params }) =>
  ok(await updateBudget(ctx, actor, params.id, await parseJsonBody(req, updateBudgetInput))),
);

export const DELETE = adminRoute<{ id: string }>(async ({ ctx, actor, params }) => {
  await deleteBudget(ctx, actor, params.id);
  return noContent();
});
