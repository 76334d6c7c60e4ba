import { adminRoute, created, ok } from '@/http/admin-route';
import { parseJsonBody, parseQuery } from '@/http/parse-request';
import { createPrice, createPriceInput, listPrices, listPricesQuery } from '@/server/prices';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listPrices(ctx, actor, parseQuery(req, listPricesQuery))),
);

export const POST = adminRoute(async ({ req, ctx, actor }) =>
  created(await createPrice(ctx, actor, await parseJsonBody(req, createPriceInput))),
);
