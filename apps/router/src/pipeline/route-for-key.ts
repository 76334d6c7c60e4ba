import {
  type ApiKeyRecord,
  type CompiledRoute,
  type GatewayError,
  gatewayError,
  keyAllowsModel,
  type RoutingTable,
} from '@switchyard/core';

/**
 * The route serving `model` for this key, or why not: 404 `model_not_found` when no route serves it, 403
 * `model_not_allowed` (with the route's id, for the usage row) when the key may use neither the route's public model
 * nor the name it was asked by. One check for every request that names a model (generation and token counts).
 */
export function routeForKey(
  table: RoutingTable,
  key: ApiKeyRecord,
  model: string,
): { ok: true; value: CompiledRoute } | { ok: false; error: GatewayError; routeId: string | null } {
  const route = table.route(model);
  if (!route) {
    return {
      ok: false,
      error: gatewayError(
        'model_not_found',
        `The model '${model}' does not exist or you do not have access to it.`,
        'model',
      ),
      routeId: null,
    };
  }
  if (!keyAllowsModel(key, route.route.publicModel) && !keyAllowsModel(key, model)) {
    return {
      ok: false,
      error: gatewayError(
        'model_not_allowed',
        `This API key is not allowed to use the model '${model}'.`,
        'model',
      ),
      routeId: route.route.id,
    };
  }
  return { ok: true, value: route };
}
