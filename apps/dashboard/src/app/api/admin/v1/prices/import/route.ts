import { z } from 'zod';
import { adminRoute, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { importPrices } from '@/server/prices';

export const POST = adminRoute(async ({ req, ctx, actor }) =>
  ok(await importPrices(ctx, actor, await parseJsonBody(req, z.unknown()))),
);
