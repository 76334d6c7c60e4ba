import { adminRoute, created, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { createAdminToken, createAdminTokenInput, listAdminTokens } from '@/server/admin-tokens';

export const GET = adminRoute(async ({ ctx, actor }) => ok(await listAdminTokens(ctx, actor)));

export const POST = adminRoute(async ({ req, ctx, actor }) =>
  created(await createAdminToken(ctx, actor, await parseJsonBody(req, createAdminTokenInput))),
);
