import type { IncomingMessage, ServerResponse } from 'node:http';
import { gatewayError, keyAllowsModel } from '@switchyard/core';
import { authenticate } from '../http/authenticate';
import { sendOpenAiError } from '../http/send-openai-error';
import type { RouterContext } from '../router-context';
import { readBearerKey } from '../surfaces/openai-chat/read-bearer-key';

/** GET /v1/models — only the public models this key may call. */
export function v1Models(
  ctx: RouterContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): void {
  const auth = authenticate(ctx, readBearerKey, req, req.url ?? '/');
  if (!auth.ok) {
    sendOpenAiError(res, requestId, auth.error);
    return;
  }
  const { key, table } = auth.value;
  const created = Math.floor(table.loadedAt / 1000);
  const data = table
    .models()
    .filter((model) => keyAllowsModel(key, model))
    .map((id) => ({ id, object: 'model', created, owned_by: 'switchyard' }));
  const body = JSON.stringify({ object: 'list', data });
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  });
  res.end(body);
}

/**
 * GET /v1/models/{id} — one model object (the `openai` SDK's `models.retrieve`) when it is a public model or
 * alias this key may call; else 404 in OpenAI's shape, the same answer whether the model is missing or only not
 * allowed, so a key cannot probe for models it may not use.
 */
export function v1Model(
  ctx: RouterContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  id: string,
): void {
  const auth = authenticate(ctx, readBearerKey, req, req.url ?? '/');
  if (!auth.ok) {
    sendOpenAiError(res, requestId, auth.error);
    return;
  }
  const { key, table } = auth.value;
  const route = table.route(id);
  if (!route || (!keyAllowsModel(key, route.route.publicModel) && !keyAllowsModel(key, id))) {
    sendOpenAiError(
      res,
      requestId,
      gatewayError(
        'model_not_found',
        `The model '${id}' does not exist or you do not have access to it.`,
        'model',
      ),
    );
    return;
  }
  const body = JSON.stringify({
    id,
    object: 'model',
    created: Math.floor(table.loadedAt / 1000),
    owned_by: 'switchyard',
  });
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  });
  res.end(body);
}
