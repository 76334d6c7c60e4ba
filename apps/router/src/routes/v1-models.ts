import type { IncomingMessage, ServerResponse } from 'node:http';
import { keyAllowsModel } from '@switchyard/core';
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
