import { adminRoute, ok } from '@/http/admin-route';
import { parseQuery } from '@/http/parse-request';
import { listUsageDeadLetters, listUsageDeadLettersQuery } from '@/server/usage-dead-letters';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listUsageDeadLetters(ctx, actor, parseQuery(req, listUsageDeadLettersQuery))),
);
