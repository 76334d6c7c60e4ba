import { validateChatRequest } from '@switchyard/core';
import { openAiErrorType, sendOpenAiError, sendOpenAiUpstreamError } from '../../http/send-openai-error';
import { bodyModel } from '../body-model';
import type { InboundRequest, Surface } from '../surface';
import { openAiChatStreamEncoder } from './openai-chat-stream-encoder';
import { readBearerKey } from './read-bearer-key';

/**
 * POST /v1/chat/completions — OpenAI chat completions, streaming and not. Its wire format is the canonical chat
 * shape, so its native body is the canonical body and an OpenAI-chat upstream gets it through unchanged.
 */
export const openAiChatSurface: Surface = {
  protocol: 'openai-chat',
  family: 'chat',
  routes: [{ method: 'POST', path: '/v1/chat/completions' }],

  readKey: readBearerKey,

  parse(json) {
    const validated = validateChatRequest(json);
    if (!validated.ok) return validated;
    const chat = validated.value;
    const inbound: InboundRequest = {
      model: chat.model,
      stream: chat.stream,
      includeUsage: chat.includeUsage,
      maxTokens: chat.maxTokens,
      choices: chat.choices,
      body: chat.body,
      native: { protocol: 'openai-chat', body: chat.body },
    };
    return { ok: true, value: inbound };
  },

  requestedModel: bodyModel,

  sendError: sendOpenAiError,

  sendUpstreamError: sendOpenAiUpstreamError,

  sendAnswer(res, headers, answer) {
    const body = JSON.stringify(answer);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(200, headers);
    res.end(body);
  },

  createStreamEncoder(request) {
    return openAiChatStreamEncoder(request.includeUsage);
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
