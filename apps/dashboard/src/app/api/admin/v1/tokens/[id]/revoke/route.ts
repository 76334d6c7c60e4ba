import { adminRoute, ok } from '@/http/admin-route';
import { revokeAdminToken } from '@/server/admin-tokens';

export const POST = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await revokeAdminToken(ctx, actor, params.id)),
);
