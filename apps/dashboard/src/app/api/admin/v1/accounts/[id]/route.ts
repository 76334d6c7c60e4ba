import { adminRoute, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { getAccount, updateAccount, updateAccountInput } from '@/server/accounts';

export const GET = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await getAccount(ctx, actor, params.id)),
);

export const PATCH = adminRoute<{ id: string }>(async ({ req, ctx, actor, params }) =>
  ok(await updateAccount(ctx, actor, params.id, await parseJsonBody(req, updateAccountInput))),
);
