import { gatewayError } from '@switchyard/core';
import type { RouteDefinition } from '../http/route-table';
import { handleSurfaceRequest } from '../pipeline/handle-surface-request';
import type { RouterContext } from '../router-context';
import type { Surface } from '../surfaces/surface';

/** The routes a surface answers, each through the pipeline; a bug escaping it is answered in the surface's shape. */
export function surfaceRoutes(ctx: RouterContext, surface: Surface): RouteDefinition[] {
  return surface.routes.map(({ method, path }) => ({
    method,
    path,
    handler: (req, res, requestId, url, params) => {
      handleSurfaceRequest(ctx, surface, req, res, requestId, url, params).catch((error: unknown) => {
        ctx.logger.error(`unhandled error on ${method} ${path}`, {
          requestId,
          error: error instanceof Error ? error.stack : String(error),
        });
        if (!res.headersSent)
          surface.sendError(res, requestId, gatewayError('upstream_error', 'Internal gateway error.'));
        else res.destroy();
      });
    },
  }));
}
