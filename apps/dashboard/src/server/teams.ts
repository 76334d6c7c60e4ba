import type { AdminTeam } from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor, requireWriter } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso } from './iso-time';
import { nonEmptyChanges, resourceName } from './schema-helpers';

/** A per-minute limit: a positive whole number, or null for unlimited. */
export const perMinuteLimit = z.number().int().min(1).max(1_000_000_000).nullable();

export const createTeamInput = z.object({
  name: resourceName,
  rpmLimit: perMinuteLimit.default(null),
  tpmLimit: perMinuteLimit.default(null),
});

export const updateTeamInput = nonEmptyChanges(
  z.object({
    name: resourceName.optional(),
    rpmLimit: perMinuteLimit.optional(),
    tpmLimit: perMinuteLimit.optional(),
  }),
);

export type CreateTeamInput = z.infer<typeof createTeamInput>;
export type UpdateTeamInput = z.infer<typeof updateTeamInput>;

export interface TeamView {
  id: string;
  name: string;
  rpmLimit: number | null;
  tpmLimit: number | null;
  keyCount: number;
  /** Console users in the team. */
  memberCount: number;
  createdAt: string;
}

function toTeamView(team: AdminTeam): TeamView {
  return { ...team, createdAt: iso(team.createdAt) };
}

export async function listTeams(ctx: AdminContext, _actor: Actor): Promise<{ items: TeamView[] }> {
  return { items: (await ctx.repos.teams.list()).map(toTeamView) };
}

export async function getTeam(ctx: AdminContext, _actor: Actor, id: string): Promise<TeamView> {
  const team = await ctx.repos.teams.findById(id);
  if (!team) throw new AdminError('not_found', `No team with id ${id}.`);
  return toTeamView(team);
}

export async function createTeam(ctx: AdminContext, actor: Actor, input: CreateTeamInput): Promise<TeamView> {
  requireWriter(actor);
  return toTeamView(await ctx.repos.teams.create(input, auditActor(actor)));
}

export async function updateTeam(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  changes: UpdateTeamInput,
): Promise<TeamView> {
  requireWriter(actor);
  const team = await ctx.repos.teams.update(id, changes, auditActor(actor));
  if (!team) throw new AdminError('not_found', `No team with id ${id}.`);
  return toTeamView(team);
}

/** Refused with 409 while keys belong to the team. */
export async function deleteTeam(ctx: AdminContext, actor: Actor, id: string): Promise<void> {
  requireWriter(actor);
  if (!(await ctx.repos.teams.delete(id, auditActor(actor)))) {
    throw new AdminError('not_found', `No team with id ${id}.`);
  }
}
