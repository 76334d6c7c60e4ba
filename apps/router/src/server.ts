import { randomFillSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gatewayError } from '@switchyard/core';
import { capConnections } from './http/cap-connections';
import { logRequest } from './http/log-request';
import { type RouteDefinition, type RouteHandler, RouteTable } from './http/route-table';
import { sendOpenAiError } from './http/send-openai-error';
import type { RouterContext } from './router-context';
import { healthz, readyz } from './routes/health';
import { v1Model, v1Models } from './routes/models/v1-models';
import { v1betaModel, v1betaModels } from './routes/models/v1beta-models';
import { surfaceRoutes } from './routes/surface-routes';
import { SURFACES } from './surfaces/surface-registry';

/** Random bytes drawn for request ids at a time: 256 ids per refill. */
const ID_POOL_BYTES = 4_096;
const ID_BYTES = 16;
const idPool = Buffer.allocUnsafe(ID_POOL_BYTES);
let idOffset = ID_POOL_BYTES;

/**
 * Request ids: `req_` + 32 hex chars, 128 random bits from a pool of CSPRNG bytes refilled every 256 ids (as
 * randomUUID does inside). Hex-encoding 16 bytes is one native call; `randomUUID().replaceAll('-', '')` built
 * and searched a 36-character string per request (~5k instructions more).
 */
export function newRequestId(): string {
  if (idOffset === ID_POOL_BYTES) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  const hex = idPool.toString('hex', idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return `req_${hex}`;
}

/** Every route the router answers: the surfaces' (through the pipeline), then the gateway's own. */
export function routerRoutes(ctx: RouterContext, metrics: RouteHandler | null = null): RouteDefinition[] {
  return [
    ...SURFACES.flatMap((surface) => [...surfaceRoutes(ctx, surface), ...(surface.extraRoutes?.(ctx) ?? [])]),
    {
      method: 'GET',
      path: '/v1/models',
      handler: (req, res, requestId) => v1Models(ctx, req, res, requestId),
    },
    {
      method: 'GET',
      path: '/v1/models/{id}',
      handler: (req, res, requestId, _url, params) => v1Model(ctx, req, res, requestId, params.id ?? ''),
    },
    {
      method: 'GET',
      path: '/v1beta/models',
      handler: (req, res, requestId, url) => v1betaModels(ctx, req, res, requestId, url),
    },
    {
      // After the surfaces' `/v1beta/models/{model}:method` routes, which are tried first.
      method: 'GET',
      path: '/v1beta/models/{model}',
      handler: (req, res, requestId, url, params) =>
        v1betaModel(ctx, req, res, requestId, url, params.model ?? ''),
    },
    { method: 'GET', path: '/healthz', handler: (_req, res, requestId) => healthz(ctx, res, requestId) },
    { method: 'GET', path: '/readyz', handler: (_req, res, requestId) => readyz(ctx, res, requestId) },
    ...(metrics === null ? [] : [{ method: 'GET', path: '/metrics', handler: metrics }]),
  ];
}

/** How long clients may take and how many may be connected (ROUTER_* settings). */
export interface RouterServerOptions {
  /** Longest time to receive a request's headers. */
  headersTimeoutMs: number;
  /** Longest time to receive a whole request (headers and body). */
  requestTimeoutMs: number;
  /** Open connections at most; the next is refused with 503. */
  maxConnections: number;
  /** GET /metrics on this server; null when it is served on a port of its own (ROUTER_METRICS_PORT). */
  metrics?: RouteHandler | null;
  /** One debug line per request (LOG_LEVEL=debug); off, the request path does not touch the logger. */
  accessLog?: boolean;
}

/**
 * How often node:http checks its headers and request timeouts. Its default (30 s) would let a client that
 * never finishes its headers hold a socket up to 30 s past the timeout; one second keeps them honest.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** The data-plane HTTP server: plain node:http dispatch, no framework on the hot path. */
export function createRouterServer(ctx: RouterContext, options: RouterServerOptions): Server {
  const serverOptions = {
    headersTimeout: options.headersTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, options.headersTimeoutMs),
  };
  const routes = new RouteTable(routerRoutes(ctx, options.metrics ?? null));
  const accessLog = options.accessLog === true;
  const server = createServer(serverOptions, (req: IncomingMessage, res: ServerResponse) => {
    const requestId = newRequestId();
    const url = req.url ?? '/';
    if (accessLog) logRequest(ctx.logger, req, res, requestId, url);
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    const match = routes.lookup(path);
    if (match !== null) {
      const handler = match.routes.handlers.get(method);
      if (handler !== undefined) return handler(req, res, requestId, url, match.params);
      req.resume();
      res.setHeader('allow', match.routes.allow);
      return sendOpenAiError(
        res,
        requestId,
        gatewayError('method_not_allowed', `Method ${method} is not allowed on ${path}.`),
      );
    }
    req.resume();
    sendOpenAiError(res, requestId, gatewayError('not_found', `Unknown path ${path}.`));
  });
  // Longer than common client/load-balancer idle timeouts, so the gateway is not the side that drops idle sockets.
  server.keepAliveTimeout = 65_000;
  capConnections(server, options.maxConnections, ctx.logger);
  return server;
}
