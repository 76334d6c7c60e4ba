import { adminRoute, ok } from '@/http/admin-route';
import { parseQuery } from '@/http/parse-request';
import { costQuery, costSeries } from '@/server/cost';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await costSeries(ctx, actor, parseQuery(req, costQuery))),
);
