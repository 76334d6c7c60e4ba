import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gatewayError } from '@switchyard/core';
import { sendOpenAiError } from './http/send-openai-error';
import type { RouterContext } from './router-context';
import { healthz, readyz } from './routes/health';
import { v1ChatCompletions } from './routes/v1-chat-completions';
import { v1Models } from './routes/v1-models';

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

/** The data-plane HTTP server: plain node:http dispatch, no framework on the hot path. */
export function createRouterServer(ctx: RouterContext): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const requestId = newRequestId();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/v1/chat/completions') {
      v1ChatCompletions(ctx, req, res, requestId).catch((error: unknown) => {
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
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;
  return server;
}
