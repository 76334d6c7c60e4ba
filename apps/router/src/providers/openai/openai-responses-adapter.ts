import {
  type ChatChunkBody,
  chatRequestToResponses,
  isTypeErrorEvent,
  ok,
  type ProviderAdapter,
  ResponsesToChatStream,
  readOpenAiUsage,
  readResponsesError,
  readResponsesStreamText,
  readResponsesStreamUsage,
  readResponsesText,
  responsesResponseToChat,
  type StreamEventInfo,
} from '@switchyard/core';

const NOTHING: StreamEventInfo = { usage: null, usageOnly: false, done: false };
const DONE: StreamEventInfo = { usage: null, usageOnly: false, done: true };
const ERROR: StreamEventInfo = { usage: null, usageOnly: false, done: false, error: true };

/** The events that end a Responses stream (it has no `[DONE]`); each carries the whole response and its usage. */
const TERMINAL = /"type"\s*:\s*"response\.(?:completed|incomplete|failed)"/;

/**
 * OpenAI's own `/v1/responses`, for Responses callers of an `openai` provider: reached through the OpenAI
 * adapter's `alsoSpeaks`, so a Responses request goes up as the caller sent it (model replaced, every field kept:
 * hosted tools, reasoning items, `previous_response_id`, `store`) and the answer or stream comes back as bytes
 * while usage is read from the native `usage` / terminal event. The canonical direction (a chat caller served
 * by Responses) uses core's translators, for completeness; the router picks this adapter only for Responses
 * callers.
 */
export const openAiResponsesAdapter: ProviderAdapter = {
  kinds: ['openai'],
  protocols: { chat: 'openai-responses' },

  buildChatCall({ baseUrl, credential, upstreamModel, body, form, stream }) {
    let upstreamBody: Record<string, unknown>;
    if (form === 'native') upstreamBody = { ...body, model: upstreamModel };
    else {
      const translated = chatRequestToResponses(body as never, upstreamModel);
      if (!translated.ok) return translated;
      upstreamBody = translated.value.body;
    }
    return ok({
      url: `${baseUrl}/responses`,
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
    return readOpenAiUsage((body as { usage?: unknown } | null)?.usage, 'responses');
  },

  readStreamEvent(data) {
    if (data === '[DONE]') return DONE;
    // Responses' own `error` event ends a stream that failed after its 200; relayed, it tells the caller.
    if (!TERMINAL.test(data)) return isTypeErrorEvent(data) ? ERROR : NOTHING;
    return { usage: readResponsesStreamUsage(data), usageOnly: false, done: true };
  },

  readResponseText: readResponsesText,
  readStreamText: readResponsesStreamText,
  readError: readResponsesError,

  toCanonicalResponse(body) {
    const model = typeof body.model === 'string' ? body.model : '';
    // A body that is no Response fails: the attempt is an invalid_response and the ladder goes on.
    return responsesResponseToChat(body, model);
  },

  createStreamDecoder() {
    const stream = new ResponsesToChatStream('');
    return {
      decode: (data): readonly ChatChunkBody[] => (data === '[DONE]' ? [] : stream.push(data)),
    };
  },
};
