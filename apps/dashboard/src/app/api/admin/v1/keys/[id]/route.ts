import { adminRoute, ok } from '@/http/admin-route';
import { getKey } from '@/server/keys';

export const GET = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await getKey(ctx, actor, params.id)),
);
