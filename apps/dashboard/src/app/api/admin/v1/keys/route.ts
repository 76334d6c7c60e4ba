import { adminRoute, created, ok } from '@/http/admin-route';
import { parseJsonBody, parseQuery } from '@/http/parse-request';
import { createKey, createKeyInput, listKeys, listKeysQuery } from '@/server/keys';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listKeys(ctx, actor, parseQuery(req, listKeysQuery))),
);

export const POST = adminRoute(async ({ req, ctx, actor }) =>
  created(await createKey(ctx, actor, await parseJsonBody(req, createKeyInput))),
);
