import {
  ChatToCompletionsStream,
  chatResponseToCompletions,
  completionsToChatRequest,
  formatSseFrames,
  ok,
} from '@switchyard/core';
import { openAiErrorType, sendOpenAiError, sendOpenAiUpstreamError } from '../../http/send-openai-error';
import { bodyModel } from '../body-model';
import { readBearerKey } from '../openai-chat/read-bearer-key';
import type { InboundRequest, Surface } from '../surface';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * POST /v1/completions — OpenAI's legacy text completions, streaming and not, served by any chat upstream
 * through the canonical chat shape (core `completionsToChatRequest`, `chatResponseToCompletions`,
 * `ChatToCompletionsStream`): the prompt is one user turn, the answer's text the completion. No adapter speaks
 * it natively (OpenAI serves it only for its instruct models), so it is always translated.
 */
export const openAiCompletionsSurface: Surface = {
  protocol: 'openai-completions',
  family: 'chat',
  routes: [{ method: 'POST', path: '/v1/completions' }],

  readKey: readBearerKey,

  parse(json) {
    const translated = completionsToChatRequest(json);
    if (!translated.ok) return translated;
    const chat = translated.value;
    const native = json as Record<string, unknown>;
    const includeUsage =
      isObject(native.stream_options) && native.stream_options.include_usage === true && chat.stream === true;
    // The translated stream must carry usage for billing: asked upstream whatever the caller said.
    if (chat.stream === true) chat.stream_options = { ...chat.stream_options, include_usage: true };
    const inbound: InboundRequest = {
      model: chat.model,
      stream: chat.stream === true,
      includeUsage,
      maxTokens: chat.max_tokens ?? null,
      choices: typeof chat.n === 'number' && Number.isSafeInteger(chat.n) && chat.n > 1 ? chat.n : 1,
      body: chat as unknown as Record<string, unknown>,
      native: { protocol: 'openai-completions', body: native },
    };
    return ok(inbound);
  },

  requestedModel: bodyModel,

  sendError: sendOpenAiError,

  sendUpstreamError: sendOpenAiUpstreamError,

  sendAnswer(res, headers, answer, request) {
    const body = JSON.stringify(chatResponseToCompletions(answer, { model: request.model }));
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(200, headers);
    res.end(body);
  },

  createStreamEncoder(request) {
    const stream = new ChatToCompletionsStream({ model: request.model, includeUsage: request.includeUsage });
    return {
      encode: (chunk) => formatSseFrames(stream.push(chunk)),
      end: () => formatSseFrames(stream.end()),
    };
  },

  streamError(error, requestId) {
    const frame = {
      error: {
        message: error.message,
        type: openAiErrorType(error.status),
        code: error.code,
        request_id: requestId,
      },
    };
    return `data: ${JSON.stringify(frame)}\n\n`;
  },
};
