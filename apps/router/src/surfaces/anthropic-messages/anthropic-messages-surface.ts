import { anthropicErrorBody, anthropicParamOfChatParam, chatResponseToAnthropic } from '@switchyard/core';
import { bodyModel } from '../body-model';
import type { Surface } from '../surface';
import { anthropicStreamEncoder } from './anthropic-stream-encoder';
import { countTokensRoute } from './count-tokens-route';
import { parseAnthropicRequest } from './parse-anthropic-request';
import { readAnthropicBeta } from './read-anthropic-beta';
import { readAnthropicKey } from './read-anthropic-key';
import { sendAnthropicError, writeAnthropicError } from './send-anthropic-error';

/**
 * POST /v1/messages — Anthropic's Messages API, streaming and not, for `@anthropic-ai/sdk` callers (and
 * POST /v1/messages/count_tokens, counted by the router). An Anthropic upstream gets the caller's body through
 * unchanged and its answer and stream back as bytes; any other upstream is reached through the canonical chat
 * shape, its answer and stream written back here in Anthropic's shapes. Every error is Anthropic's
 * `{"type":"error","error":{"type","message"},"request_id"}`, the gateway's code in `error.details.error_code`.
 */
export const anthropicMessagesSurface: Surface = {
  protocol: 'anthropic-messages',
  family: 'chat',
  routes: [{ method: 'POST', path: '/v1/messages' }],
  requestIdHeader: 'request-id',
  extraRoutes: (ctx) => [countTokensRoute(ctx)],

  readKey: readAnthropicKey,
  readNativeHeaders: readAnthropicBeta,

  parse: parseAnthropicRequest,

  requestedModel: bodyModel,

  callerParam: anthropicParamOfChatParam,

  sendError: sendAnthropicError,

  sendUpstreamError(res, requestId, status, error, headers) {
    writeAnthropicError(
      res,
      requestId,
      status,
      {
        message: error.message ?? `The upstream provider rejected the request (HTTP ${status}).`,
        type: error.type,
        code: error.code,
        param: error.param,
      },
      undefined,
      headers,
    );
  },

  sendAnswer(res, headers, answer, request) {
    const body = JSON.stringify(chatResponseToAnthropic(answer, request.model));
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(200, headers);
    res.end(body);
  },

  createStreamEncoder(request) {
    return anthropicStreamEncoder(request.model);
  },

  streamError(error, requestId) {
    // Anthropic's mid-stream error event carries the same object as its error bodies.
    const body = anthropicErrorBody(error.status, { message: error.message, code: error.code }, requestId);
    return `event: error\ndata: ${body}\n\n`;
  },
};
