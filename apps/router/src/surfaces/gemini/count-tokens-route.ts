import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ChatRequestBody,
  gatewayError,
  geminiCountTokensResponse,
  geminiCountTokensToChatRequest,
  keyAllowsModel,
  parseGeminiModelPath,
} from '@switchyard/core';
import { sumPromptTexts } from '../../billing/sum-prompt-texts';
import { countTokensOffThread } from '../../billing/token-count-thread';
import { authenticate } from '../../http/authenticate';
import { readBody } from '../../http/read-body';
import type { RouteDefinition } from '../../http/route-table';
import type { RouterContext } from '../../router-context';
import type { PathParams } from '../surface';
import { readGeminiKey } from './read-gemini-key';
import { sendGeminiError } from './send-gemini-error';
import { translatableRest } from './translatable-rest';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * POST /v1beta/models/{model}:countTokens — answered by the router itself, with the tokenizer it estimates usage
 * with (o200k_base on its counting thread, plus the chat format's per-message overhead): no upstream is called
 * and nothing is billed, so it costs the caller nothing whichever provider the route would pick. The key and the
 * model are checked as for generateContent, and it takes one of the key's requests per minute like any request
 * (no token or budget share: it spends nothing); errors are Google's error JSON.
 */
export function countTokensRoute(ctx: RouterContext): RouteDefinition {
  return {
    method: 'POST',
    path: '/v1beta/models/{model}:countTokens',
    handler: (req, res, requestId, url, params) => {
      countTokens(ctx, req, res, requestId, url, params).catch((error: unknown) => {
        ctx.logger.error('unhandled error on POST /v1beta/models/{model}:countTokens', {
          requestId,
          error: error instanceof Error ? error.stack : String(error),
        });
        if (!res.headersSent)
          sendGeminiError(res, requestId, gatewayError('upstream_error', 'Internal gateway error.'));
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
  params: PathParams,
): Promise<void> {
  const auth = authenticate(ctx, readGeminiKey, req, url);
  if (!auth.ok) {
    req.resume();
    return sendGeminiError(res, requestId, auth.error);
  }
  const { key, table } = auth.value;
  // A count is a request like any other for the key's RPM (Google limits countTokens per minute too), taken before
  // the body is read, as the pipeline does: a key cannot flood the router through a route it answers itself.
  let slot = ctx.rateLimits.admitRequest(key, ctx.now());
  if (slot instanceof Promise) slot = await slot;
  if (!slot.ok) {
    req.resume();
    return sendGeminiError(res, requestId, slot.error, slot.headers);
  }
  const raw = await readBody(req, ctx.limits.maxBodyBytes, ctx.limits.bodyIdleTimeoutMs);
  if (!raw.ok) return sendGeminiError(res, requestId, raw.error);
  let json: unknown;
  try {
    json = JSON.parse(raw.value.toString('utf8'));
  } catch {
    return sendGeminiError(
      res,
      requestId,
      gatewayError('invalid_json', 'The request body is not valid JSON.', 'body'),
    );
  }
  const path = parseGeminiModelPath(`/v1beta/models/${encodeURIComponent(params.model ?? '')}:countTokens`);
  if (path === null)
    return sendGeminiError(
      res,
      requestId,
      gatewayError('invalid_request', 'The model name in the URL is not valid.', 'model'),
    );
  const route = table.route(path.model);
  if (!route)
    return sendGeminiError(
      res,
      requestId,
      gatewayError(
        'model_not_found',
        `The model '${path.model}' does not exist or you do not have access to it.`,
        'model',
      ),
    );
  if (!keyAllowsModel(key, route.route.publicModel) && !keyAllowsModel(key, path.model))
    return sendGeminiError(
      res,
      requestId,
      gatewayError(
        'model_not_allowed',
        `This API key is not allowed to use the model '${path.model}'.`,
        'model',
      ),
    );

  const canonical = geminiCountTokensToChatRequest(json, path.model);
  let body: ChatRequestBody;
  if (canonical.ok) body = canonical.value;
  else if (canonical.error.code === 'unsupported_feature' && isObject(json)) {
    // Gemini-only settings change no prompt token: count what the prompt holds.
    const inner = isObject(json.generateContentRequest) ? json.generateContentRequest : json;
    body = translatableRest(inner, { model: path.model, stream: false }, canonical.error);
  } else return sendGeminiError(res, requestId, canonical.error);

  const texts: string[] = [];
  const overhead = sumPromptTexts(body as unknown as Record<string, unknown>, (text) => {
    texts.push(text);
    return 0;
  });
  const answer = JSON.stringify(geminiCountTokensResponse(overhead + (await countTokensOffThread(texts))));
  res.writeHead(200, {
    ...slot.headers,
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(answer)),
    'x-request-id': requestId,
  });
  res.end(answer);
}
