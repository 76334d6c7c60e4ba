import {
  type ChatChunkBody,
  type ChatResponseBody,
  type ChatStreamDecoder,
  ok,
  type ProviderAdapter,
  readOpenAiUsage,
  type StreamEventInfo,
} from '@switchyard/core';
import { openAiResponsesAdapter } from './openai-responses-adapter';
import { openAiEmbeddingsFamily, openAiImagesFamily } from './openai-unary-families';
import { readOpenAiError } from './read-openai-error';

interface OpenAiToolCall {
  function?: { name?: unknown; arguments?: unknown };
}

/**
 * Whether a chunk's JSON holds `"usage":{` or `"usage": {` (the only usage worth parsing for): one scan of the
 * chunk for `"usage":`, where looking for each spelling would scan it twice. Every streamed chunk passes here.
 */
export function mayReportUsage(data: string): boolean {
  for (let at = data.indexOf('"usage":'); at !== -1; at = data.indexOf('"usage":', at + 8)) {
    const next = data.charCodeAt(at + 8) === 32 ? at + 9 : at + 8;
    if (data.charCodeAt(next) === 123) return true;
  }
  return false;
}

/** Text of a message or delta: its content, refusal, and tool-call names and arguments. */
function messageText(message: unknown): string {
  if (typeof message !== 'object' || message === null) return '';
  const m = message as { content?: unknown; refusal?: unknown; tool_calls?: unknown };
  let text = typeof m.content === 'string' ? m.content : '';
  if (typeof m.refusal === 'string') text += m.refusal;
  if (Array.isArray(m.tool_calls)) {
    for (const call of m.tool_calls as OpenAiToolCall[]) {
      if (typeof call?.function?.name === 'string') text += call.function.name;
      if (typeof call?.function?.arguments === 'string') text += call.function.arguments;
    }
  }
  return text;
}

function choicesText(choices: unknown, field: 'message' | 'delta'): string {
  if (!Array.isArray(choices)) return '';
  let text = '';
  for (const choice of choices) text += messageText((choice as Record<string, unknown> | null)?.[field]);
  return text;
}

const NOTHING: StreamEventInfo = { usage: null, usageOnly: false, done: false };
const DONE: StreamEventInfo = { usage: null, usageOnly: false, done: true };

const NO_CHUNKS: readonly ChatChunkBody[] = Object.freeze([]);

/** OpenAI chat chunks are canonical chunks: decoding is parsing (only ever used behind another surface). */
const IDENTITY_DECODER: ChatStreamDecoder = {
  decode(data) {
    if (data === '[DONE]') return NO_CHUNKS;
    try {
      const chunk: unknown = JSON.parse(data);
      return typeof chunk === 'object' && chunk !== null ? [chunk as ChatChunkBody] : NO_CHUNKS;
    } catch {
      return NO_CHUNKS;
    }
  },
};

/**
 * Every OpenAI-compatible base URL (and OpenAI's own chat): the request passes through with the model replaced.
 * OpenAI chat is the canonical chat shape, so a canonical body is a native one and translation is the identity;
 * likewise for embeddings (`{base}/embeddings`) and images (`{base}/images/generations`).
 */
export const openAiCompatibleAdapter: ProviderAdapter = {
  kinds: ['openai_compatible'],
  protocols: { chat: 'openai-chat', embeddings: 'openai-embeddings', images: 'openai-images' },
  unary: { embeddings: openAiEmbeddingsFamily, images: openAiImagesFamily },

  buildChatCall({ baseUrl, credential, upstreamModel, body, stream }) {
    const upstreamBody: Record<string, unknown> = { ...body, model: upstreamModel };
    // Always ask for usage so every streamed request is billed; the router drops the extra chunk
    // when the caller did not ask for it.
    if (stream)
      upstreamBody.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
    return ok({
      url: `${baseUrl}/chat/completions`,
      headers: {
        authorization: `Bearer ${credential}`,
        'content-type': 'application/json',
        accept: stream ? 'text/event-stream' : 'application/json',
      },
      body: JSON.stringify(upstreamBody),
    });
  },

  buildHealthCheck({ baseUrl, credential }) {
    return { url: `${baseUrl}/models`, headers: { authorization: `Bearer ${credential}` } };
  },

  readUsage(body) {
    return readOpenAiUsage((body as { usage?: unknown } | null)?.usage, 'chat');
  },

  readResponseText(body) {
    return choicesText((body as { choices?: unknown } | null)?.choices, 'message');
  },

  readStreamText(data) {
    if (data === '[DONE]') return '';
    try {
      return choicesText((JSON.parse(data) as { choices?: unknown }).choices, 'delta');
    } catch {
      return '';
    }
  },

  readError: readOpenAiError,

  toCanonicalResponse(body) {
    return ok(body as ChatResponseBody);
  },

  createStreamDecoder() {
    return IDENTITY_DECODER;
  },

  readStreamEvent(data) {
    if (data === '[DONE]') return DONE;
    // Most chunks carry `"usage":null` or no usage at all; skip parsing those.
    if (!mayReportUsage(data)) return NOTHING;
    try {
      const chunk = JSON.parse(data) as { usage?: unknown; choices?: unknown } | null;
      const usage = readOpenAiUsage(chunk?.usage, 'chat');
      return {
        usage,
        usageOnly: usage !== null && Array.isArray(chunk?.choices) && chunk.choices.length === 0,
        done: false,
      };
    } catch {
      return NOTHING;
    }
  },
};

/**
 * OpenAI itself: chat as for any compatible server, and also `/v1/responses` natively, so a Responses caller is
 * served on the fast path (compatible servers mostly lack it: their Responses callers are translated to chat).
 */
export const openAiAdapter: ProviderAdapter = {
  ...openAiCompatibleAdapter,
  kinds: ['openai'],
  alsoSpeaks: { 'openai-responses': openAiResponsesAdapter },
};
