import type { IncomingMessage, ServerResponse } from 'node:http';
import { type GatewayError, gatewayError, type Result } from '@switchyard/core';
import { countTokensOffThread } from '../billing/token-count-thread';
import { authenticate, type KeyReader } from '../http/authenticate';
import { readBody } from '../http/read-body';
import type { RouteDefinition } from '../http/route-table';
import { routeForKey } from '../pipeline/route-for-key';
import type { RouterContext } from '../router-context';
import type { PathParams, Surface } from './surface';

/** What a prompt holds to count: its texts, and the tokens its format adds around them (0 where none). */
export interface PromptTexts {
  texts: string[];
  overhead: number;
}

/** A protocol's token-count endpoint: where it is, how its caller is read and answered. */
export interface TokenCountEndpoint {
  path: string;
  /** The key as the protocol carries it (the surface's `readKey`). */
  readKey: KeyReader;
  /** Answers a gateway error in the protocol's error shape (the surface's `sendError`). */
  sendError: Surface['sendError'];
  /** The model asked for (the body's or the URL's); an error naming the field when there is none. */
  requestedModel(json: unknown, params: PathParams): Result<string>;
  /** The prompt's texts, or the error that the body is not a request the protocol would take. */
  promptTexts(json: unknown, model: string): Result<PromptTexts>;
  /** The answer body for a count. */
  answer(tokens: number): unknown;
  /** The answer's content type. */
  contentType: string;
  /** Another header that carries the request id, besides `x-request-id` (the surface's `requestIdHeader`). */
  requestIdHeader?: string;
}

/**
 * A count-tokens route answered by the router itself, with the tokenizer it estimates usage with (o200k_base on its
 * counting thread): no upstream is called, so the count is the router's estimate, not the served model's exact
 * figure. Authenticated like the protocol's generating route, and the model must be one this key may use (404 / 403
 * otherwise). It takes one of the key's (and team's) requests per minute like any request; it spends no money, so
 * it records no usage row and takes no token or budget share.
 */
export function tokenCountRoute(ctx: RouterContext, endpoint: TokenCountEndpoint): RouteDefinition {
  return {
    method: 'POST',
    path: endpoint.path,
    handler: (req, res, requestId, url, params) => {
      countTokens(ctx, endpoint, req, res, requestId, url, params).catch((error: unknown) => {
        ctx.logger.error(`unhandled error on POST ${endpoint.path}`, {
          requestId,
          error: error instanceof Error ? error.stack : String(error),
        });
        if (!res.headersSent)
          endpoint.sendError(res, requestId, gatewayError('upstream_error', 'Internal gateway error.'));
        else res.destroy();
      });
    },
  };
}

async function countTokens(
  ctx: RouterContext,
  endpoint: TokenCountEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  url: string,
  params: PathParams,
): Promise<void> {
  const send = (error: GatewayError, headers?: Record<string, string>) =>
    endpoint.sendError(res, requestId, error, headers);
  const auth = authenticate(ctx, endpoint.readKey, req, url);
  if (!auth.ok) {
    req.resume();
    return send(auth.error);
  }
  const { key, table } = auth.value;
  // A count is a request like any other for the key's RPM (Anthropic and Google limit their count endpoints per
  // minute too), taken before the body is read, as the pipeline does: a key cannot flood the router through a route
  // it answers itself.
  let slot = ctx.rateLimits.admitRequest(key, ctx.now());
  if (slot instanceof Promise) slot = await slot;
  if (!slot.ok) {
    req.resume();
    return send(slot.error, slot.headers);
  }
  const raw = await readBody(req, ctx.limits.maxBodyBytes, ctx.limits.bodyIdleTimeoutMs);
  if (!raw.ok) return send(raw.error);
  let json: unknown;
  try {
    json = JSON.parse(raw.value.toString('utf8'));
  } catch {
    return send(gatewayError('invalid_json', 'The request body is not valid JSON.', 'body'));
  }
  const model = endpoint.requestedModel(json, params);
  if (!model.ok) return send(model.error);
  const resolved = routeForKey(table, key, model.value);
  if (!resolved.ok) return send(resolved.error);
  const prompt = endpoint.promptTexts(json, model.value);
  if (!prompt.ok) return send(prompt.error);
  const tokens = prompt.value.overhead + (await countTokensOffThread(prompt.value.texts));
  const body = JSON.stringify(endpoint.answer(tokens));
  const headers: Record<string, string> = {
    ...slot.headers,
    'content-type': endpoint.contentType,
    'content-length': String(Buffer.byteLength(body)),
    'x-request-id': requestId,
  };
  if (endpoint.requestIdHeader !== undefined) headers[endpoint.requestIdHeader] = requestId;
  res.writeHead(200, headers);
  res.end(body);
}
