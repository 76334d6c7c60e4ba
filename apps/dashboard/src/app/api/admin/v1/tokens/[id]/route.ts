import { adminRoute, ok } from '@/http/admin-route';
import { getAdminToken } from '@/server/admin-tokens';

export const GET = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await getAdminToken(ctx, actor, params.id)),
);
