import { adminRoute, ok } from '@/http/admin-route';
import { testAccountConnection } from '@/server/connection-test/test-account-connection';

export const POST = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await testAccountConnection(ctx, actor, params.id)),
);
