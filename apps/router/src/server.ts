import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gatewayError } from '@switchyard/core';
import { capConnections } from './http/cap-connections';
import { sendOpenAiError } from './http/send-openai-error';
import { handleSurfaceRequest } from './pipeline/handle-surface-request';
import type { RouterContext } from './router-context';
import { healthz, readyz } from './routes/health';
import { v1Models } from './routes/v1-models';
import { openAiChatSurface } from './surfaces/openai-chat/openai-chat-surface';

/** Request ids: `req_` + 32 hex chars; randomUUID draws from a cached entropy pool, so this is cheap. */
export function newRequestId(): string {
  return `req_${randomUUID().replaceAll('-', '')}`;
}

const ROUTES: Record<string, string[]> = {
  '/v1/chat/completions': ['POST'],
  '/v1/models': ['GET'],
  '/healthz': ['GET'],
  '/readyz': ['GET'],
};

/** How long clients may take and how many may be connected (ROUTER_* settings). */
export interface RouterServerOptions {
  /** Longest time to receive a request's headers. */
  headersTimeoutMs: number;
  /** Longest time to receive a whole request (headers and body). */
  requestTimeoutMs: number;
  /** Open connections at most; the next is refused with 503. */
  maxConnections: number;
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
  const server = createServer(serverOptions, (req: IncomingMessage, res: ServerResponse) => {
    const requestId = newRequestId();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/v1/chat/completions') {
      handleSurfaceRequest(ctx, openAiChatSurface, req, res, requestId, url, {}).catch((error: unknown) => {
        ctx.logger.error('unhandled error in chat completions', {
          requestId,
          error: error instanceof Error ? error.stack : String(error),
        });
        if (!res.headersSent)
          sendOpenAiError(res, requestId, gatewayError('upstream_error', 'Internal gateway error.'));
        else res.destroy();
      });
      return;
    }
    if (method === 'GET' && path === '/v1/models') return v1Models(ctx, req, res, requestId);
    if (method === 'GET' && path === '/healthz') return healthz(res, requestId);
    if (method === 'GET' && path === '/readyz') return readyz(ctx, res, requestId);
    req.resume();
    const allowed = ROUTES[path];
    if (allowed) {
      res.setHeader('allow', allowed.join(', '));
      return sendOpenAiError(
        res,
        requestId,
        gatewayError('method_not_allowed', `Method ${method} is not allowed on ${path}.`),
      );
    }
    sendOpenAiError(res, requestId, gatewayError('not_found', `Unknown path ${path}.`));
  });
  // Longer than common client/load-balancer idle timeouts, so the gateway is not the side that drops idle sockets.
  server.keepAliveTimeout = 65_000;
  capConnections(server, options.maxConnections, ctx.logger);
  return server;
}
