import { adminRoute, ok } from '@/http/admin-route';
import { parseQuery } from '@/http/parse-request';
import { hourlyUsage, hourlyUsageQuery } from '@/server/usage';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await hourlyUsage(ctx, actor, parseQuery(req, hourlyUsageQuery))),
);
