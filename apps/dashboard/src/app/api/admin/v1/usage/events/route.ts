import { adminRoute, ok } from '@/http/admin-route';
import { parseQuery } from '@/http/parse-request';
import { listUsageEvents, listUsageEventsQuery } from '@/server/usage';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listUsageEvents(ctx, actor, parseQuery(req, listUsageEventsQuery))),
);
