import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ApiKeyRecord,
  fail,
  type GatewayError,
  gatewayError,
  keyAllowsModel,
  ok,
  type Result,
  type RoutingTable,
} from '@switchyard/core';
import { authenticate, type KeyReader } from '../../http/authenticate';
import { sendOpenAiError } from '../../http/send-openai-error';
import type { RouterContext } from '../../router-context';
import { anthropicMessagesSurface } from '../../surfaces/anthropic-messages/anthropic-messages-surface';
import { readBearerKey } from '../../surfaces/openai-chat/read-bearer-key';
import { pageModelIds } from './page-model-ids';
import { sendJson } from './send-json';

/**
 * How a caller of `/v1/models` is answered: OpenAI and Anthropic both serve their model list at this path, so
 * the caller's own headers choose the family (see {@link isAnthropicCaller}): how its key arrives, the shape of
 * the list and of one model, and its error shape.
 */
interface ModelsDialect {
  readKey: KeyReader;
  sendError(res: ServerResponse, requestId: string, error: GatewayError): void;
  model(id: string, table: RoutingTable): Record<string, unknown>;
  /** The list page `url`'s query asks for; a 400 naming the query parameter when it is malformed. */
  list(ids: readonly string[], table: RoutingTable, url: string): Result<Record<string, unknown>>;
}

const openAi: ModelsDialect = {
  readKey: readBearerKey,
  sendError: sendOpenAiError,
  model: (id, table) => ({
    id,
    object: 'model',
    created: Math.floor(table.loadedAt / 1000),
    owned_by: 'switchyard',
  }),
  list: (ids, table) => ok({ object: 'list', data: ids.map((id) => openAi.model(id, table)) }),
};

/** Anthropic's page size: 20 unless `limit` says otherwise, 1 to 1000. */
const ANTHROPIC_DEFAULT_LIMIT = 20;
const ANTHROPIC_MAX_LIMIT = 1000;

const anthropic: ModelsDialect = {
  readKey: anthropicMessagesSurface.readKey,
  sendError: anthropicMessagesSurface.sendError,
  // Every field of the SDK's ModelInfo; what the gateway cannot know of a public model is null, as Anthropic
  // answers for a field it has no value for.
  model: (id, table) => ({
    type: 'model',
    id,
    display_name: id,
    created_at: new Date(table.loadedAt).toISOString(),
    capabilities: null,
    deprecated_at: null,
    lifecycle: 'active',
    line: null,
    max_input_tokens: null,
    max_tokens: null,
    retires_at: null,
  }),
  list: (ids, table, url) => {
    const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
    const afterId = query.get('after_id');
    const beforeId = query.get('before_id');
    if (afterId !== null && beforeId !== null)
      return fail(
        gatewayError('invalid_request', 'Give at most one of after_id and before_id.', 'before_id'),
      );
    let limit = ANTHROPIC_DEFAULT_LIMIT;
    const rawLimit = query.get('limit');
    if (rawLimit !== null) {
      limit = /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
      if (!(limit >= 1 && limit <= ANTHROPIC_MAX_LIMIT))
        return fail(
          gatewayError(
            'invalid_request',
            `limit: must be an integer from 1 to ${ANTHROPIC_MAX_LIMIT}, got '${rawLimit}'.`,
            'limit',
          ),
        );
    }
    const page = pageModelIds(ids, { afterId, beforeId, limit });
    return ok({
      data: page.ids.map((id) => anthropic.model(id, table)),
      has_more: page.hasMore,
      first_id: page.ids[0] ?? null,
      last_id: page.ids.at(-1) ?? null,
    });
  },
};

/**
 * An Anthropic client: `@anthropic-ai/sdk` always sends `anthropic-version` (its key as a bearer token in 1.x),
 * curl and the Python SDK send the key in `x-api-key` as Anthropic documents; an OpenAI client sends neither.
 */
function isAnthropicCaller(req: IncomingMessage): boolean {
  return req.headers['anthropic-version'] !== undefined || req.headers['x-api-key'] !== undefined;
}

/** Public models the key may call, sorted (the routing table keeps them so). */
export function allowedModels(key: ApiKeyRecord, table: RoutingTable): string[] {
  return table.models().filter((model) => keyAllowsModel(key, model));
}

/**
 * GET /v1/models — only the public models this key may call: OpenAI's list (`openai` SDK `models.list`), or
 * Anthropic's paged list (`@anthropic-ai/sdk` `models.list`: `limit`, `after_id`, `before_id`) to an Anthropic
 * caller.
 */
export function v1Models(
  ctx: RouterContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): void {
  const dialect = isAnthropicCaller(req) ? anthropic : openAi;
  const url = req.url ?? '/';
  const auth = authenticate(ctx, dialect.readKey, req, url);
  if (!auth.ok) {
    dialect.sendError(res, requestId, auth.error);
    return;
  }
  const { key, table } = auth.value;
  const list = dialect.list(allowedModels(key, table), table, url);
  if (!list.ok) {
    dialect.sendError(res, requestId, list.error);
    return;
  }
  sendJson(res, requestId, list.value);
}

/**
 * GET /v1/models/{id} — one model (`models.retrieve` of either SDK) when it is a public model or alias this key
 * may call; else 404 in the caller's error shape, the same answer whether the model is missing or only not
 * allowed, so a key cannot probe for models it may not use.
 */
export function v1Model(
  ctx: RouterContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  id: string,
): void {
  const dialect = isAnthropicCaller(req) ? anthropic : openAi;
  const auth = authenticate(ctx, dialect.readKey, req, req.url ?? '/');
  if (!auth.ok) {
    dialect.sendError(res, requestId, auth.error);
    return;
  }
  const { key, table } = auth.value;
  if (!mayCall(key, table, id)) {
    dialect.sendError(res, requestId, modelNotFound(id));
    return;
  }
  sendJson(res, requestId, dialect.model(id, table));
}

/** Whether `id` (a public model or alias) is routed and this key may call it. */
export function mayCall(key: ApiKeyRecord, table: RoutingTable, id: string): boolean {
  const route = table.route(id);
  return route !== undefined && (keyAllowsModel(key, route.route.publicModel) || keyAllowsModel(key, id));
}

/** The 404 for a model that is not routed or not allowed: one answer for both. */
export function modelNotFound(id: string): GatewayError {
  return gatewayError(
    'model_not_found',
    `The model '${id}' does not exist or you do not have access to it.`,
    'model',
  );
}
