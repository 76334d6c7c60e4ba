import { adminRoute, ok } from '@/http/admin-route';
import { parseQuery } from '@/http/parse-request';
import { costBreakdown, costQuery } from '@/server/cost';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await costBreakdown(ctx, actor, parseQuery(req, costQuery))),
);
