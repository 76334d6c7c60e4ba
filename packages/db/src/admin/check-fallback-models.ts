import { detectFallbackCycle, type FallbackEdge } from '@switchyard/core';
import { AdminRepositoryError } from './admin-repository-error';

/** A route as fallback validation sees it. */
export interface FallbackGraphRoute {
  id: string;
  publicModel: string;
  aliases: string[];
  backupModels: string[];
  contextFallbackModel: string | null;
}

/** The route being saved, with the names and fallbacks it will have once saved, as submitted. */
export interface SavedRouteFallbacks {
  id: string;
  publicModel: string;
  aliases: string[];
  /** Public model names or aliases of other routes. */
  backupModels: string[];
  /** A public model name or alias of another route, or null. */
  contextFallbackModel: string | null;
}

/** Fallbacks resolved to public model names, as stored. */
export interface ResolvedFallbacks {
  backupModels: string[];
  contextFallbackModel: string | null;
}

/** Both kinds of fallback lead a request to another route, so both are edges of the one graph checked for cycles. */
function edgesOf(route: ResolvedFallbacks & { publicModel: string }): FallbackEdge {
  const { backupModels, contextFallbackModel } = route;
  const extra = contextFallbackModel !== null && !backupModels.includes(contextFallbackModel);
  return {
    publicModel: route.publicModel,
    backupModels: extra ? [...backupModels, contextFallbackModel] : backupModels,
  };
}

/**
 * Resolves a route's fallbacks (backup models and the context-window fallback model) to public model names and
 * checks the whole fallback graph as it will be once the route is saved: each fallback must name another
 * existing route (by public model or alias), no backup route twice, and no chain of fallbacks may lead back to
 * where it started (the router would bounce between them). `others` are every route as stored (the saved
 * route's own row is ignored). Throws AdminRepositoryError naming the entry (`backupModels[i]`,
 * `contextFallbackModel`; invalid_reference) or, for a cycle, the field whose edge closes it (conflict, the
 * path in the message).
 */
export function checkFallbackModels(
  route: SavedRouteFallbacks,
  others: readonly FallbackGraphRoute[],
): ResolvedFallbacks {
  const ownNames = new Set([route.publicModel, ...route.aliases]);
  const publicModelOf = new Map<string, string>();
  const rest = others.filter((other) => other.id !== route.id);
  for (const other of rest) {
    publicModelOf.set(other.publicModel, other.publicModel);
    for (const alias of other.aliases) publicModelOf.set(alias, other.publicModel);
  }
  const resolve = (name: string, field: string): string => {
    if (ownNames.has(name)) {
      throw new AdminRepositoryError(
        'invalid_reference',
        field,
        `"${name}" is this route; a route cannot fall back to itself.`,
      );
    }
    const publicModel = publicModelOf.get(name);
    if (publicModel === undefined) {
      throw new AdminRepositoryError('invalid_reference', field, `No route answers to "${name}".`);
    }
    return publicModel;
  };

  const backupModels: string[] = [];
  route.backupModels.forEach((name, index) => {
    const field = `backupModels[${index}]`;
    const publicModel = resolve(name, field);
    const earlier = backupModels.indexOf(publicModel);
    if (earlier >= 0) {
      throw new AdminRepositoryError(
        'invalid_reference',
        field,
        `"${name}" names route "${publicModel}", already listed as backupModels[${earlier}].`,
      );
    }
    backupModels.push(publicModel);
  });
  const contextFallbackModel =
    route.contextFallbackModel === null ? null : resolve(route.contextFallbackModel, 'contextFallbackModel');

  const resolved = { backupModels, contextFallbackModel };
  // The saved route goes first so a cycle it closes is reported starting from it.
  const cycle = detectFallbackCycle([
    edgesOf({ publicModel: route.publicModel, ...resolved }),
    ...rest.map(edgesOf),
  ]);
  if (cycle) {
    const firstHop = cycle[0] === route.publicModel ? cycle[1] : undefined;
    const field =
      firstHop !== undefined && firstHop === contextFallbackModel && !backupModels.includes(firstHop)
        ? 'contextFallbackModel'
        : 'backupModels';
    throw new AdminRepositoryError(
      'conflict',
      field,
      `Fallback models would form a cycle: ${cycle.join(' → ')}.`,
    );
  }
  return resolved;
}
