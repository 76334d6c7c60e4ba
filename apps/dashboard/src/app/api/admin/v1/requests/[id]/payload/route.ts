import { adminRoute, ok } from '@/http/admin-route';
import { getRequestPayload } from '@/server/requests';

export const GET = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await getRequestPayload(ctx, actor, params.id)),
);
