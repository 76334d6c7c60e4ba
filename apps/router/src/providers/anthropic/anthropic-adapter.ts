import {
  AnthropicToChatStream,
  anthropicResponseToChat,
  type ChatChunkBody,
  type ChatRequestBody,
  chatRequestToAnthropic,
  ok,
  type ProviderAdapter,
  readAnthropicError,
  readAnthropicUsage,
} from '@switchyard/core';
import { anthropicStreamEventReader } from './anthropic-stream-event-reader';
import { anthropicUrl } from './anthropic-url';
import { isRecordValue } from './is-record-value';
import { readAnthropicResponseText, readAnthropicStreamText } from './read-anthropic-text';

/**
 * The Messages API version this adapter speaks. Pinned, not the caller's: the router reads answers in this
 * version's shapes whichever version the caller's SDK sent.
 */
export const ANTHROPIC_VERSION = '2023-06-01';

const NO_CHUNKS: readonly ChatChunkBody[] = Object.freeze([]);

/** The gateway's clock in Unix seconds, for the `created` of translated answers. */
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Anthropic's Messages API (`POST {base}/v1/messages`, see {@link anthropicUrl}) with `x-api-key` and
 * `anthropic-version`. Same protocol in and out (an Anthropic-SDK caller): the body passes through with only the
 * model replaced, so `cache_control`, thinking and fields newer than the router survive, and the stream is
 * relayed as bytes while usage is read from `message_start` and `message_delta`. A canonical (OpenAI-shaped) body
 * is translated by core `chatRequestToAnthropic`, which refuses what Anthropic cannot honour (`n` > 1,
 * `logprobs`, …) by name; answers and streams come back through core's Anthropic → chat translators.
 */
export const anthropicAdapter: ProviderAdapter = {
  kinds: ['anthropic'],
  protocols: { chat: 'anthropic-messages' },

  buildChatCall({ baseUrl, credential, upstreamModel, body, form, stream, nativeHeaders }) {
    let upstreamBody: Record<string, unknown>;
    if (form === 'native') upstreamBody = { ...body, model: upstreamModel };
    else {
      const translated = chatRequestToAnthropic(body as unknown as ChatRequestBody, upstreamModel);
      if (!translated.ok) return translated;
      upstreamBody = translated.value.body as unknown as Record<string, unknown>;
    }
    const headers: Record<string, string> = {
      'x-api-key': credential,
      'anthropic-version': ANTHROPIC_VERSION,
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
    };
    // The caller's beta features go with its own body (only the native form carries them).
    const beta = nativeHeaders?.['anthropic-beta'];
    if (form === 'native' && beta !== undefined) headers['anthropic-beta'] = beta;
    return ok({ url: anthropicUrl(baseUrl, 'messages'), headers, body: JSON.stringify(upstreamBody) });
  },

  buildHealthCheck({ baseUrl, credential }) {
    return {
      url: anthropicUrl(baseUrl, 'models'),
      headers: { 'x-api-key': credential, 'anthropic-version': ANTHROPIC_VERSION },
    };
  },

  readUsage(body) {
    return isRecordValue(body) ? readAnthropicUsage(body.usage) : null;
  },

  readStreamEvent(data) {
    // One event alone: the router reads whole streams with createStreamEventReader, which merges usage.
    return anthropicStreamEventReader()(data);
  },

  createStreamEventReader: anthropicStreamEventReader,

  readResponseText: readAnthropicResponseText,
  readStreamText: readAnthropicStreamText,
  readError: readAnthropicError,

  toCanonicalResponse(body) {
    const model = typeof body.model === 'string' ? body.model : '';
    return anthropicResponseToChat(body, model, nowSeconds());
  },

  createStreamDecoder() {
    const decoder = new AnthropicToChatStream('', nowSeconds());
    let model = '';
    return {
      decode(data) {
        // The chunks carry the upstream's model, as a same-protocol answer does; message_start names it.
        if (model === '' && data.includes('"message_start"')) model = readStartModel(data);
        const chunks = decoder.push(data);
        // An `error` event or an unreadable one: nothing to show; the upstream ends the stream without
        // message_stop, and the router closes it with the caller's own error event.
        if (!chunks.ok) return NO_CHUNKS;
        if (model !== '') for (const chunk of chunks.value) chunk.model = model;
        return chunks.value;
      },
    };
  },
};

function readStartModel(data: string): string {
  try {
    const event: unknown = JSON.parse(data);
    const message = isRecordValue(event) ? event.message : null;
    return isRecordValue(message) && typeof message.model === 'string' ? message.model : '';
  } catch {
    return '';
  }
}
