import { adminRoute, download } from '@/http/admin-route';
import { parseQuery } from '@/http/parse-request';
import { costCsv, costQuery } from '@/server/cost';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  download(
    'switchyard-cost.csv',
    'text/csv; charset=utf-8',
    await costCsv(ctx, actor, parseQuery(req, costQuery)),
  ),
);
