import { adminRoute, created, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { createRoute, createRouteInput, listRoutes } from '@/server/routes';

export const GET = adminRoute(async ({ ctx, actor }) => ok(await listRoutes(ctx, actor)));

export const POST = adminRoute(async ({ req, ctx, actor }) =>
  created(await createRoute(ctx, actor, await parseJsonBody(req, createRouteInput))),
);
