import { adminRoute, created, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { createProvider, createProviderInput, listProviders } from '@/server/providers';

export const GET = adminRoute(async ({ ctx, actor }) => ok(await listProviders(ctx, actor)));

export const POST = adminRoute(async ({ req, ctx, actor }) =>
  created(await createProvider(ctx, actor, await parseJsonBody(req, createProviderInput))),
);
