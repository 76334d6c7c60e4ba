import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicCountTokensText, type GatewayError, gatewayError, keyAllowsModel } from '@switchyard/core';
import { countTokensOffThread } from '../../billing/token-count-thread';
import { authenticate } from '../../http/authenticate';
import { readBody } from '../../http/read-body';
import type { RouteDefinition } from '../../http/route-table';
import type { RouterContext } from '../../router-context';
import { readAnthropicKey } from './read-anthropic-key';
import { writeAnthropicError } from './send-anthropic-error';

/**
 * POST /v1/messages/count_tokens — `{input_tokens}` of a Messages body, counted by the router's own tokenizer
 * (o200k_base on the token-count thread) over the texts core `anthropicCountTokensText` collects: the system
 * prompt, text blocks, tool uses and results, and tool definitions. No upstream is called, so the count is the
 * router's estimate, not the served model's exact figure. Authenticated like `/v1/messages` (`anthropic-version`
 * and key), and the model must be one this key may use (404 / 403 otherwise, as for a Messages call). It takes
 * one of the key's (and team's) requests per minute like any request; it spends no money, so it records no usage
 * row and takes no token or budget share.
 */
export function countTokensRoute(ctx: RouterContext): RouteDefinition {
  return {
    method: 'POST',
    path: '/v1/messages/count_tokens',
    handler: (req, res, requestId, url) => {
      countTokens(ctx, req, res, requestId, url).catch((error: unknown) => {
        ctx.logger.error('unhandled error on POST /v1/messages/count_tokens', {
          requestId,
          error: error instanceof Error ? error.stack : String(error),
        });
        if (!res.headersSent) send(res, requestId, gatewayError('upstream_error', 'Internal gateway error.'));
        else res.destroy();
      });
    },
  };
}

async function countTokens(
  ctx: RouterContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  url: string,
): Promise<void> {
  const auth = authenticate(ctx, readAnthropicKey, req, url);
  if (!auth.ok) {
    req.resume();
    return send(res, requestId, auth.error);
  }
  const { key, table } = auth.value;
  // A count is a request like any other for the key's RPM (Anthropic limits count_tokens per minute too), taken
  // before the body is read, as the pipeline does: a key cannot flood the router through a route it answers itself.
  let slot = ctx.rateLimits.admitRequest(key, ctx.now());
  if (slot instanceof Promise) slot = await slot;
  if (!slot.ok) {
    req.resume();
    return send(res, requestId, slot.error, slot.headers);
  }
  const raw = await readBody(req, ctx.limits.maxBodyBytes, ctx.limits.bodyIdleTimeoutMs);
  if (!raw.ok) return send(res, requestId, raw.error);
  let json: unknown;
  try {
    json = JSON.parse(raw.value.toString('utf8'));
  } catch {
    return send(res, requestId, gatewayError('invalid_json', 'The request body is not valid JSON.', 'body'));
  }
  const model = (json as { model?: unknown } | null)?.model;
  if (typeof model !== 'string' || model.length === 0) {
    return send(res, requestId, gatewayError('invalid_request', 'model: Field required.', 'model'));
  }
  const route = table.route(model);
  if (!route) {
    return send(
      res,
      requestId,
      gatewayError(
        'model_not_found',
        `The model '${model}' does not exist or you do not have access to it.`,
        'model',
      ),
    );
  }
  if (!keyAllowsModel(key, route.route.publicModel) && !keyAllowsModel(key, model)) {
    return send(
      res,
      requestId,
      gatewayError('model_not_allowed', `This API key is not allowed to use the model '${model}'.`, 'model'),
    );
  }
  const text = anthropicCountTokensText(json);
  if (!text.ok) return send(res, requestId, text.error);
  const inputTokens = await countTokensOffThread([text.value]);
  const body = JSON.stringify({ input_tokens: inputTokens });
  res.writeHead(200, {
    ...slot.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    'request-id': requestId,
  });
  res.end(body);
}

function send(
  res: ServerResponse,
  requestId: string,
  error: GatewayError,
  headers?: Record<string, string>,
): void {
  writeAnthropicError(
    res,
    requestId,
    error.status,
    { message: error.message, code: error.code, param: error.param },
    error.retryAfterSeconds,
    headers,
  );
}
