import { adminRoute, ok } from '@/http/admin-route';
import { revokeKey } from '@/server/keys';

export const POST = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await revokeKey(ctx, actor, params.id)),
);
