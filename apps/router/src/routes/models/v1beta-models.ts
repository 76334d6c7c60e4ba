import type { IncomingMessage, ServerResponse } from 'node:http';
import { fail, gatewayError, ok, type Result, type RoutingTable } from '@switchyard/core';
import { authenticate } from '../../http/authenticate';
import type { RouterContext } from '../../router-context';
import { geminiGenerateSurface } from '../../surfaces/gemini/gemini-surface';
import { pageModelIds } from './page-model-ids';
import { sendJson } from './send-json';
import { allowedModels, mayCall, modelNotFound } from './v1-models';

const gemini = geminiGenerateSurface;

/** Google's page size: 50 unless `pageSize` says otherwise; larger values are served as 1000, as Google does. */
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

/** What the router answers for every public model on the Gemini surface, by Gemini method name. */
const GEMINI_METHODS = [
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'embedContent',
  'batchEmbedContents',
];

/** A public model as Google's `Model` (`@google/genai` `models.get`, an item of `models.list`). */
function geminiModel(id: string, table: RoutingTable): Record<string, unknown> {
  return {
    name: `models/${id}`,
    baseModelId: id,
    version: String(Math.floor(table.loadedAt / 1000)),
    displayName: id,
    description: `${id}, served by Switchyard.`,
    supportedGenerationMethods: GEMINI_METHODS,
  };
}

/** The next page's token: the last id listed, opaque to the caller. */
const pageToken = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

function readListQuery(url: string): Result<{ pageSize: number; afterId: string | null }> {
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  let pageSize = DEFAULT_PAGE_SIZE;
  const rawSize = query.get('pageSize');
  if (rawSize !== null && rawSize !== '') {
    if (!/^\d{1,9}$/.test(rawSize))
      return fail(
        gatewayError(
          'invalid_request',
          `pageSize must be a non-negative integer, got '${rawSize}'.`,
          'pageSize',
        ),
      );
    // 0 is Google's "unset".
    pageSize = Number(rawSize) === 0 ? DEFAULT_PAGE_SIZE : Math.min(Number(rawSize), MAX_PAGE_SIZE);
  }
  const token = query.get('pageToken');
  if (token === null || token === '') return ok({ pageSize, afterId: null });
  const afterId = Buffer.from(token, 'base64url').toString('utf8');
  if (afterId === '' || pageToken(afterId) !== token)
    return fail(gatewayError('invalid_request', 'pageToken is not one this list handed out.', 'pageToken'));
  return ok({ pageSize, afterId });
}

/** GET /v1beta/models — the public models this key may call, in Google's paged list (`models.list`). */
export function v1betaModels(
  ctx: RouterContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  url: string,
): void {
  const auth = authenticate(ctx, gemini.readKey, req, url);
  if (!auth.ok) {
    gemini.sendError(res, requestId, auth.error);
    return;
  }
  const query = readListQuery(url);
  if (!query.ok) {
    gemini.sendError(res, requestId, query.error);
    return;
  }
  const { key, table } = auth.value;
  const page = pageModelIds(allowedModels(key, table), {
    afterId: query.value.afterId,
    limit: query.value.pageSize,
  });
  const last = page.ids.at(-1);
  sendJson(res, requestId, {
    models: page.ids.map((id) => geminiModel(id, table)),
    ...(page.hasMore && last !== undefined ? { nextPageToken: pageToken(last) } : {}),
  });
}

/**
 * GET /v1beta/models/{model} — one public model this key may call (`models.get`); else 404 NOT_FOUND in Google's
 * shape, the same whether the model is missing or only not allowed.
 */
export function v1betaModel(
  ctx: RouterContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  url: string,
  id: string,
): void {
  const auth = authenticate(ctx, gemini.readKey, req, url);
  if (!auth.ok) {
    gemini.sendError(res, requestId, auth.error);
    return;
  }
  const { key, table } = auth.value;
  if (!mayCall(key, table, id)) {
    gemini.sendError(res, requestId, modelNotFound(id));
    return;
  }
  sendJson(res, requestId, geminiModel(id, table));
}
