import {
  type ChatChunkBody,
  type ChatRequestBody,
  type ChatStreamDecoder,
  chatRequestToGemini,
  GeminiToChatStream,
  geminiResponseToChat,
  ok,
  type ProviderAdapter,
  readGeminiError,
  readGeminiUsage,
  type StreamEventInfo,
} from '@switchyard/core';
import { geminiEmbeddingsFamily } from './gemini-embeddings-family';
import { geminiApiRoot, geminiModelResource } from './gemini-urls';
import { geminiText, readGeminiChunk } from './read-gemini-chunk';

const NOTHING: StreamEventInfo = { usage: null, usageOnly: false, done: false };
const NO_CHUNKS: readonly ChatChunkBody[] = Object.freeze([]);

/**
 * Gemini on Google AI Studio (`generativelanguage.googleapis.com`), kind `gemini`: chat is `generateContent`
 * (`:streamGenerateContent?alt=sse` when streaming), embeddings `:embedContent` / `:batchEmbedContents`
 * (`gemini-embeddings-family.ts`), keyed by `x-goog-api-key`. The model lives in the URL, so a
 * Gemini caller's body passes through unchanged (safety settings, thinking config and unknown fields included);
 * a canonical body is translated by core's `chatRequestToGemini`, and answers and streams back by
 * `geminiResponseToChat` / `GeminiToChatStream`. Usage is `usageMetadata`, repeated and growing on every stream
 * event: the last one read is the bill. Google's stream has no end sentinel: the event naming a `finishReason`
 * (or a blocked prompt) ends it.
 */
export const geminiAdapter: ProviderAdapter = {
  kinds: ['gemini'],
  protocols: { chat: 'gemini-generate', embeddings: 'gemini-embed' },
  unary: { embeddings: geminiEmbeddingsFamily },
  buildChatCall({ baseUrl, credential, upstreamModel, body, form, stream }) {
    const model = geminiModelResource(upstreamModel);
    let upstreamBody: unknown = body;
    if (form === 'canonical') {
      const translated = chatRequestToGemini(body as unknown as ChatRequestBody, upstreamModel);
      if (!translated.ok) return translated;
      upstreamBody = translated.value.body;
    } else if (body.model !== undefined) {
      // The REST body may name its model too; it must be the one the URL names.
      upstreamBody = { ...body, model };
    }
    return ok({
      url: `${geminiApiRoot(baseUrl)}/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      headers: {
        'x-goog-api-key': credential,
        'content-type': 'application/json',
        accept: stream ? 'text/event-stream' : 'application/json',
      },
      body: JSON.stringify(upstreamBody),
    });
  },
  buildHealthCheck({ baseUrl, credential }) {
    return { url: `${geminiApiRoot(baseUrl)}/models`, headers: { 'x-goog-api-key': credential } };
  },
  readUsage(body) {
    const chunk = readGeminiChunk(body);
    return chunk === null ? null : readGeminiUsage(chunk.body);
  },
  readStreamEvent(data) {
    const chunk = readGeminiChunk(data);
    if (chunk === null) return NOTHING;
    return { usage: readGeminiUsage(chunk.body), usageOnly: false, done: chunk.final };
  },
  readResponseText(body) {
    return geminiText(body);
  },
  readStreamText(data) {
    return geminiText(readGeminiChunk(data)?.body ?? null);
  },
  readError: readGeminiError,
  toCanonicalResponse(body, context) {
    return geminiResponseToChat(body, context);
  },
  createStreamDecoder(context): ChatStreamDecoder {
    const stream = new GeminiToChatStream(context);
    return {
      decode(data) {
        const chunks = stream.push(data);
        // An error event or garbage: nothing to show; the stream then ends without its final event, and the
        // router ends the caller's stream with an error in the caller's shape.
        return chunks.ok ? chunks.value : NO_CHUNKS;
      },
      end() {
        return stream.end();
      },
    };
  },
};
