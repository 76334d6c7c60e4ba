import { adminRoute, ok } from '@/http/admin-route';
import { getRequest } from '@/server/requests';

export const GET = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await getRequest(ctx, actor, params.id)),
);
