import { adminRoute, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { updateProvider, updateProviderInput } from '@/server/providers';

export const PATCH = adminRoute<{ id: string }>(async ({ req, ctx, actor, params }) =>
  ok(await updateProvider(ctx, actor, params.id, await parseJsonBody(req, updateProviderInput))),
);
