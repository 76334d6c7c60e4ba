import { adminRoute, ok } from '@/http/admin-route';
import { resetAccountCredential } from '@/server/accounts';

export const POST = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await resetAccountCredential(ctx, actor, params.id)),
);
