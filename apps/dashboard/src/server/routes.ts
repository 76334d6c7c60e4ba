import type { AdminRoute } from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor, requireWriter } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso } from './iso-time';
import { modelName, nonEmptyChanges } from './schema-helpers';

const targetInput = z.object({
  accountId: z.string().min(1),
  upstreamModel: modelName,
  /** Lower tiers are tried first. */
  tier: z.number().int().min(0).max(100).default(0),
  weight: z.number().int().min(0).max(1000).default(1),
  enabled: z.boolean().default(true),
});

const targets = z.array(targetInput).min(1).max(100);
const aliases = z.array(modelName).max(50);
const description = z.string().trim().max(500).nullable();

/** Every name a route answers to must be distinct. */
function distinctNames(value: { publicModel?: string; aliases?: string[] }, ctx: z.RefinementCtx): void {
  const seen = new Set(value.publicModel === undefined ? [] : [value.publicModel]);
  value.aliases?.forEach((alias, index) => {
    if (seen.has(alias)) {
      ctx.addIssue({
        code: 'custom',
        path: ['aliases', index],
        message: 'duplicates another name of this route',
      });
    }
    seen.add(alias);
  });
}

export const createRouteInput = z
  .object({
    publicModel: modelName,
    aliases: aliases.default([]),
    description: description.default(null),
    enabled: z.boolean().default(true),
    targets,
  })
  .superRefine(distinctNames);

export const updateRouteInput = nonEmptyChanges(
  z.object({
    publicModel: modelName.optional(),
    aliases: aliases.optional(),
    description: description.optional(),
    enabled: z.boolean().optional(),
    /** Replaces the whole target list. */
    targets: targets.optional(),
  }),
).superRefine(distinctNames);

export type CreateRouteInput = z.infer<typeof createRouteInput>;
export type UpdateRouteInput = z.infer<typeof updateRouteInput>;

export interface RouteView {
  id: string;
  publicModel: string;
  aliases: string[];
  description: string | null;
  enabled: boolean;
  targets: AdminRoute['targets'];
  createdAt: string;
  updatedAt: string;
}

function toRouteView(route: AdminRoute): RouteView {
  return { ...route, createdAt: iso(route.createdAt), updatedAt: iso(route.updatedAt) };
}

export async function listRoutes(ctx: AdminContext, _actor: Actor): Promise<{ items: RouteView[] }> {
  const routes = await ctx.repos.routes.list();
  return { items: routes.map(toRouteView) };
}

export async function createRoute(
  ctx: AdminContext,
  actor: Actor,
  input: CreateRouteInput,
): Promise<RouteView> {
  requireWriter(actor);
  return toRouteView(await ctx.repos.routes.create(input, auditActor(actor)));
}

export async function updateRoute(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  changes: UpdateRouteInput,
): Promise<RouteView> {
  requireWriter(actor);
  const route = await ctx.repos.routes.update(id, changes, auditActor(actor));
  if (!route) throw new AdminError('not_found', `No route with id ${id}.`);
  return toRouteView(route);
}

export async function deleteRoute(ctx: AdminContext, actor: Actor, id: string): Promise<void> {
  requireWriter(actor);
  const deleted = await ctx.repos.routes.delete(id, auditActor(actor));
  if (!deleted) throw new AdminError('not_found', `No route with id ${id}.`);
}
