import {
  type BreakerOverrides,
  type BreakerThresholds,
  breakerKey,
  breakerThresholdsByTarget,
  DEFAULT_ROUTE_POLICIES,
  DEFAULT_ROUTER_SETTINGS,
  type EffectiveBreakerThresholds,
  effectiveBreakerThresholds,
  effectiveMaxAttempts,
  isTrafficClass,
  type RoutePolicy,
  type RouterSettings,
  TRAFFIC_CLASSES,
  type TrafficClass,
  validateRoutePolicy,
} from '@switchyard/core';
import type { AdminRoute, RoutePolicies } from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor, requireWriter } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso } from './iso-time';
import { type RouterReadback, readbackSource, routerReadback } from './router-readback';
import { modelName, nonEmptyChanges } from './schema-helpers';

const tier = z.number().int().min(0).max(100);
const weight = z.number().int().min(0).max(1000);

const targetInput = z.object({
  accountId: z.string().min(1),
  upstreamModel: modelName,
  /** Lower tiers are tried first. */
  tier: tier.default(0),
  weight: weight.default(1),
  enabled: z.boolean().default(true),
});

/** In an update, a target may carry the id of one of the route's targets to be changed in place. */
const updateTargetEntry = targetInput.extend({ id: z.string().min(1).optional() });

const targets = z.array(targetInput).min(1).max(100);
const updateTargets = z.array(updateTargetEntry).min(1).max(100);
const aliases = z.array(modelName).max(50);
const description = z.string().trim().max(500).nullable();
/** Public model names (or aliases) of other routes, in preference order. */
const backupModels = z.array(modelName).max(10);
/** Another route to retry on when the upstream says the prompt exceeds its context window. */
const contextFallbackModel = modelName.nullable();

/** Strips core's "Invalid 'field': " prefix: the admin error message starts with the field on its own. */
function policyMessage(message: string): string {
  return message.replace(/^Invalid '[^']*': /, '');
}

/**
 * `{ [trafficClass]: RoutePolicy }`, each checked by core's validateRoutePolicy so the error names the exact
 * field (`policies.evaluation.rungs.backupModel`). A class set to null has no override (uses the default).
 */
const policies = z.record(z.string(), z.unknown()).transform((raw, ctx): RoutePolicies => {
  const parsed: RoutePolicies = {};
  for (const [trafficClass, value] of Object.entries(raw)) {
    if (!isTrafficClass(trafficClass)) {
      ctx.addIssue({
        code: 'custom',
        path: [trafficClass],
        message: `is not a traffic class; expected one of ${TRAFFIC_CLASSES.join(', ')}`,
      });
      return z.NEVER;
    }
    if (value === null) continue;
    const result = validateRoutePolicy(value, { trafficClass, path: `policies.${trafficClass}` });
    if (!result.ok) {
      const field = result.error.param ?? `policies.${trafficClass}`;
      ctx.addIssue({
        code: 'custom',
        path: field.split('.').slice(1),
        message: policyMessage(result.error.message),
      });
      return z.NEVER;
    }
    parsed[trafficClass] = result.value;
  }
  return parsed;
});

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

/** A target id may appear once in an update's target list. */
function distinctTargetIds(value: { targets?: { id?: string }[] }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  value.targets?.forEach((target, index) => {
    if (target.id === undefined) return;
    if (seen.has(target.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets', index, 'id'],
        message: 'lists the same target twice',
      });
    }
    seen.add(target.id);
  });
}

/**
 * A route's own circuit breaker thresholds; a field left out or null follows the router's BREAKER_* setting.
 * Saving replaces every field (left-out ones go back to the default).
 */
const breaker = z
  .object({
    /** Failures in a row that open a target's breaker. */
    consecutiveFailures: z.number().int().min(1).max(1000).nullable().optional(),
    /** …or this failure rate (0–1] over the window… */
    failureRateThreshold: z.number().gt(0).max(1).nullable().optional(),
    windowMs: z.number().int().min(1_000).max(3_600_000).nullable().optional(),
    /** …once the window holds at least this many outcomes. */
    minimumRequests: z.number().int().min(1).max(100_000).nullable().optional(),
    /** How long an open breaker rejects before letting one probe through. */
    coolDownMs: z.number().int().min(0).max(3_600_000).nullable().optional(),
  })
  .strict();

/** `block`: refuse a request whose served model has no price in force; `allow`: serve it and flag the row. */
const missingPricePolicy = z.enum(['block', 'allow']);

export const createRouteInput = z
  .object({
    publicModel: modelName,
    aliases: aliases.default([]),
    description: description.default(null),
    enabled: z.boolean().default(true),
    backupModels: backupModels.default([]),
    contextFallbackModel: contextFallbackModel.default(null),
    policies: policies.default({}),
    targets,
    missingPricePolicy: missingPricePolicy.default('allow'),
    allowCostlierFallback: z.boolean().default(true),
    /** Store the request and response bodies of every request to this route (kept PAYLOAD_RETENTION_DAYS). */
    capturePayloads: z.boolean().default(false),
    breaker: breaker.default({}),
  })
  .superRefine(distinctNames);

export const updateRouteInput = nonEmptyChanges(
  z.object({
    publicModel: modelName.optional(),
    aliases: aliases.optional(),
    description: description.optional(),
    enabled: z.boolean().optional(),
    /** Replaces the list. */
    backupModels: backupModels.optional(),
    contextFallbackModel: contextFallbackModel.optional(),
    /** Replaces every override; classes left out use the defaults. */
    policies: policies.optional(),
    /** Replaces the whole target list; entries with an `id` keep that target. */
    targets: updateTargets.optional(),
    missingPricePolicy: missingPricePolicy.optional(),
    allowCostlierFallback: z.boolean().optional(),
    /** Store the request and response bodies of every request to this route (kept PAYLOAD_RETENTION_DAYS). */
    capturePayloads: z.boolean().optional(),
    /** Replaces every breaker threshold; fields left out follow the router's defaults. */
    breaker: breaker.optional(),
  }),
)
  .superRefine(distinctNames)
  .superRefine(distinctTargetIds);

/** The failover drill's switch: one target's enabled flag, weight or tier, leaving the rest of the route alone. */
export const updateRouteTargetInput = nonEmptyChanges(
  z.object({ enabled: z.boolean().optional(), weight: weight.optional(), tier: tier.optional() }),
);

export type CreateRouteInput = z.infer<typeof createRouteInput>;
export type UpdateRouteInput = z.infer<typeof updateRouteInput>;
export type UpdateRouteTargetInput = z.infer<typeof updateRouteTargetInput>;

/**
 * The policy a router applies to one class on a route, and whether the route overrides the default.
 * `maxAttempts` is what routers do: the configured value, lowered to their ROUTER_MAX_ATTEMPTS cap when that is
 * lower (then `maxAttemptsCap` names the cap).
 */
export type EffectivePolicy = RoutePolicy & {
  source: 'route' | 'default';
  /** What the policy asks for, before the routers' cap. */
  configuredMaxAttempts: number;
  /** The routers' ROUTER_MAX_ATTEMPTS when it lowered `maxAttempts`; null when the policy's own value applies. */
  maxAttemptsCap: number | null;
};

export interface RouteView {
  id: string;
  publicModel: string;
  aliases: string[];
  description: string | null;
  enabled: boolean;
  /** Public model names of the approved backup routes, in preference order. */
  backupModels: string[];
  /** Public model name of the route to retry on when a prompt exceeds the upstream's context window. */
  contextFallbackModel: string | null;
  /** The route's own overrides, per class; classes left out use the defaults. */
  policies: RoutePolicies;
  /** What the routers apply to each class: the override, or the default, with the routers' attempts cap. */
  effectivePolicies: Record<TrafficClass, EffectivePolicy>;
  /** The route's own breaker thresholds as stored; null fields follow the routers' BREAKER_* settings. */
  breaker: Required<BreakerOverrides>;
  /** The thresholds the routers apply to this route's targets, each with its source. */
  effectiveBreaker: EffectiveBreakerThresholds;
  /**
   * Targets whose breaker runs other thresholds than `effectiveBreaker`: a breaker belongs to the (account,
   * upstream model), so a target shared with another route takes the more protective value of each field.
   */
  sharedBreakers: { targetId: string; thresholds: BreakerThresholds }[];
  /** Where the routers' settings in this readback come from (see RouterReadback). */
  routerSettings: Omit<RouterReadback, 'settings'>;
  targets: AdminRoute['targets'];
  /** What happens when the served model has no price in force: `block` refuses, `allow` serves and flags. */
  missingPricePolicy: AdminRoute['missingPricePolicy'];
  /** false: a fallback never goes to a target priced higher than the primary. */
  allowCostlierFallback: boolean;
  /** The routers store the bodies of this route's requests (request explorer; kept PAYLOAD_RETENTION_DAYS). */
  capturePayloads: boolean;
  createdAt: string;
  updatedAt: string;
}

export function effectivePolicies(
  overrides: RoutePolicies,
  routers: RouterSettings = DEFAULT_ROUTER_SETTINGS,
): Record<TrafficClass, EffectivePolicy> {
  return Object.fromEntries(
    TRAFFIC_CLASSES.map((trafficClass) => {
      const override = overrides[trafficClass];
      const policy = override ?? DEFAULT_ROUTE_POLICIES[trafficClass];
      const attempts = effectiveMaxAttempts(policy.maxAttempts, routers.maxAttempts);
      return [
        trafficClass,
        {
          ...policy,
          maxAttempts: attempts.value,
          source: override ? 'route' : 'default',
          configuredMaxAttempts: policy.maxAttempts,
          maxAttemptsCap: attempts.cappedBy,
        },
      ];
    }),
  ) as Record<TrafficClass, EffectivePolicy>;
}

/** What a route view needs besides the route: the routers' settings and every route's breaker thresholds. */
interface Readback {
  routers: RouterReadback;
  thresholdsByPair: Map<string, BreakerThresholds>;
}

async function readback(ctx: AdminContext, routes?: readonly AdminRoute[]): Promise<Readback> {
  const [routers, all] = await Promise.all([routerReadback(ctx), routes ?? ctx.repos.routes.list()]);
  return { routers, thresholdsByPair: breakerThresholdsByTarget(all, routers.settings.breaker) };
}

function sharedBreakers(
  route: AdminRoute,
  own: EffectiveBreakerThresholds,
  byPair: Map<string, BreakerThresholds>,
): RouteView['sharedBreakers'] {
  const shared: RouteView['sharedBreakers'] = [];
  for (const target of route.targets) {
    const thresholds = byPair.get(breakerKey(target.accountId, target.upstreamModel));
    if (!thresholds) continue;
    const differs = (Object.keys(thresholds) as (keyof BreakerThresholds)[]).some(
      (field) => thresholds[field] !== own[field].value,
    );
    if (differs) shared.push({ targetId: target.id, thresholds });
  }
  return shared;
}

function toRouteView(route: AdminRoute, { routers, thresholdsByPair }: Readback): RouteView {
  const stored: Required<BreakerOverrides> = {
    consecutiveFailures: route.breaker?.consecutiveFailures ?? null,
    failureRateThreshold: route.breaker?.failureRateThreshold ?? null,
    windowMs: route.breaker?.windowMs ?? null,
    minimumRequests: route.breaker?.minimumRequests ?? null,
    coolDownMs: route.breaker?.coolDownMs ?? null,
  };
  const effectiveBreaker = effectiveBreakerThresholds(stored, routers.settings.breaker);
  return {
    id: route.id,
    publicModel: route.publicModel,
    aliases: route.aliases,
    description: route.description,
    enabled: route.enabled,
    backupModels: route.backupModels,
    contextFallbackModel: route.contextFallbackModel,
    policies: route.policies,
    effectivePolicies: effectivePolicies(route.policies, routers.settings),
    breaker: stored,
    effectiveBreaker,
    sharedBreakers: sharedBreakers(route, effectiveBreaker, thresholdsByPair),
    routerSettings: readbackSource(routers),
    targets: route.targets,
    missingPricePolicy: route.missingPricePolicy,
    allowCostlierFallback: route.allowCostlierFallback,
    capturePayloads: route.capturePayloads === true,
    createdAt: iso(route.createdAt),
    updatedAt: iso(route.updatedAt),
  };
}

export async function listRoutes(ctx: AdminContext, _actor: Actor): Promise<{ items: RouteView[] }> {
  const routes = await ctx.repos.routes.list();
  const context = await readback(ctx, routes);
  return { items: routes.map((route) => toRouteView(route, context)) };
}

export async function getRoute(ctx: AdminContext, _actor: Actor, id: string): Promise<RouteView> {
  const route = await ctx.repos.routes.findById(id);
  if (!route) throw new AdminError('not_found', `No route with id ${id}.`);
  return toRouteView(route, await readback(ctx));
}

export async function createRoute(
  ctx: AdminContext,
  actor: Actor,
  input: CreateRouteInput,
): Promise<RouteView> {
  requireWriter(actor);
  const route = await ctx.repos.routes.create(input, auditActor(actor));
  return toRouteView(route, await readback(ctx));
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
  return toRouteView(route, await readback(ctx));
}

/**
 * What the console's route editor saves through: creates (id null) or updates a route from an unparsed body,
 * parsed with the admin API's own schemas so the editor's errors name the same fields as the API's.
 */
export async function saveRoute(
  ctx: AdminContext,
  actor: Actor,
  id: string | null,
  body: unknown,
): Promise<RouteView> {
  return id === null
    ? createRoute(ctx, actor, createRouteInput.parse(body))
    : updateRoute(ctx, actor, id, updateRouteInput.parse(body));
}

/** Answers the whole route, so a caller sees the target among its siblings. */
export async function updateRouteTarget(
  ctx: AdminContext,
  actor: Actor,
  routeId: string,
  targetId: string,
  changes: UpdateRouteTargetInput,
): Promise<RouteView> {
  requireWriter(actor);
  const route = await ctx.repos.routes.updateTarget(routeId, targetId, changes, auditActor(actor));
  if (!route) throw new AdminError('not_found', `Route ${routeId} has no target with id ${targetId}.`);
  return toRouteView(route, await readback(ctx));
}

export async function deleteRoute(ctx: AdminContext, actor: Actor, id: string): Promise<void> {
  requireWriter(actor);
  const deleted = await ctx.repos.routes.delete(id, auditActor(actor));
  if (!deleted) throw new AdminError('not_found', `No route with id ${id}.`);
}
