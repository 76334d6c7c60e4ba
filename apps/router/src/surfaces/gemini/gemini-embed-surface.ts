import {
  embeddingsResponseToGemini,
  type GeminiEmbedMethod,
  gatewayError,
  geminiEmbedToEmbeddingsRequest,
  parseGeminiModelPath,
  validateEmbeddingsRequest,
} from '@switchyard/core';
import type { InboundRequest, Surface } from '../surface';
import { geminiSse } from './gemini-stream-encoder';
import { readGeminiKey } from './read-gemini-key';
import { sendGeminiError, writeGeminiError } from './send-gemini-error';

function writeJson(
  res: Parameters<NonNullable<Surface['sendFamilyAnswer']>>[0],
  headers: Record<string, string>,
  answer: unknown,
) {
  const body = JSON.stringify(answer);
  headers['content-type'] = 'application/json; charset=UTF-8';
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(200, headers);
  res.end(body);
}

/**
 * Gemini embeddings (`POST /v1beta/models/{model}:embedContent`, and `:batchEmbedContents`, which
 * `@google/genai`'s `embedContent` calls): family `embeddings`, protocol `gemini-embed`. A Gemini upstream gets the
 * caller's body unchanged; any other the canonical (OpenAI) request core's `geminiEmbedToEmbeddingsRequest` makes,
 * its answer written back by `embeddingsResponseToGemini`. Key and errors as on `generateContent`.
 */
function geminiEmbedSurface(method: GeminiEmbedMethod): Surface {
  return {
    protocol: 'gemini-embed',
    family: 'embeddings',
    routes: [{ method: 'POST', path: `/v1beta/models/{model}:${method}` }],
    readKey: readGeminiKey,
    parse(json, params) {
      const path = parseGeminiModelPath(`/v1beta/models/${encodeURIComponent(params.model ?? '')}:${method}`);
      if (path === null)
        return {
          ok: false,
          error: gatewayError('invalid_request', 'The model name in the URL is not valid.', 'model'),
        };
      const canonical = geminiEmbedToEmbeddingsRequest(json, { model: path.model, method });
      if (!canonical.ok) return canonical;
      const validated = validateEmbeddingsRequest(canonical.value);
      if (!validated.ok) return validated;
      const inbound: InboundRequest = {
        ...validated.value,
        native: { protocol: 'gemini-embed', body: json as Record<string, unknown> },
      };
      return { ok: true, value: inbound };
    },
    requestedModel(_json, params) {
      return params.model ?? '';
    },
    sendError: sendGeminiError,
    sendUpstreamError(res, requestId, status, error, headers) {
      writeGeminiError(
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
    sendFamilyAnswer(res, headers, answer) {
      const gemini = embeddingsResponseToGemini(answer, method);
      if (gemini.ok) writeJson(res, headers, gemini.value);
      else sendGeminiError(res, headers['x-request-id'] ?? '', gemini.error, headers);
    },
    // Chat-only: never called for a unary family.
    sendAnswer: writeJson,
    createStreamEncoder() {
      throw new Error('gemini-embed is never streamed');
    },
    streamError(error) {
      return geminiSse([{ data: JSON.stringify({ error: { code: error.status, message: error.message } }) }]);
    },
  };
}

export const geminiEmbedContentSurface: Surface = geminiEmbedSurface('embedContent');
export const geminiBatchEmbedSurface: Surface = geminiEmbedSurface('batchEmbedContents');
