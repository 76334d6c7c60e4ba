import { adminRoute, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { updateRouteTarget, updateRouteTargetInput } from '@/server/routes';

export const PATCH = adminRoute<{ id: string; targetId: string }>(async ({ req, ctx, actor, params }) =>
  ok(
    await updateRouteTarget(
      ctx,
      actor,
      params.id,
      params.targetId,
      await parseJsonBody(req, updateRouteTargetInput),
    ),
  ),
);
