import { adminRoute, created, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { createTeam, createTeamInput, listTeams } from '@/server/teams';

export const GET = adminRoute(async ({ ctx, actor }) => ok(await listTeams(ctx, actor)));

export const POST = adminRoute(async ({ req, ctx, actor }) =>
  created(await createTeam(ctx, actor, await parseJsonBody(req, createTeamInput))),
);
