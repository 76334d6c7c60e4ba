import { adminRoute, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { getUser, updateUser, updateUserInput } from '@/server/users';

export const GET = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await getUser(ctx, actor, params.id)),
);

export const PATCH = adminRoute<{ id: string }>(async ({ req, ctx, actor, params }) =>
  ok(await updateUser(ctx, actor, params.id, await parseJsonBody(req, updateUserInput))),
);
