import { adminRoute, ok } from '@/http/admin-route';
import { parseQuery } from '@/http/parse-request';
import { listRequests, listRequestsQuery } from '@/server/requests';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listRequests(ctx, actor, parseQuery(req, listRequestsQuery))),
);
