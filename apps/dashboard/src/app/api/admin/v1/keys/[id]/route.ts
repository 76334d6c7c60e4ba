import { adminRoute, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { getKey, updateKey, updateKeyInput } from '@/server/keys';

export const GET = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await getKey(ctx, actor, params.id)),
);

export const PATCH = adminRoute<{ id: string }>(async ({ req, ctx, actor, params }) =>
  ok(await updateKey(ctx, actor, params.id, await parseJsonBody(req, updateKeyInput))),
);
