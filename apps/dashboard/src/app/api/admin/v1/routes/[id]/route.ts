import { adminRoute, noContent, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { deleteRoute, getRoute, updateRoute, updateRouteInput } from '@/server/routes';

export const GET = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await getRoute(ctx, actor, params.id)),
);

export const PATCH = adminRoute<{ id: string }>(async ({ req, ctx, actor, params }) =>
  ok(await updateRoute(ctx, actor, params.id, await parseJsonBody(req, updateRouteInput))),
);

export const DELETE = adminRoute<{ id: string }>(async ({ ctx, actor, params }) => {
  await deleteRoute(ctx, actor, params.id);
  return noContent();
});
