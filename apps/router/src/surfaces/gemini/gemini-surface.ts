import {
  chatResponseToGemini,
  type GatewayError,
  type GeminiMethod,
  gatewayError,
  geminiErrorBody,
  geminiParamOfChatParam,
  geminiStatusName,
  geminiToChatRequest,
  parseGeminiModelPath,
  validateChatRequest,
} from '@switchyard/core';
import type { RouterContext } from '../../router-context';
import type { InboundRequest, Surface } from '../surface';
import { countTokensRoute } from './count-tokens-route';
import { geminiSse, geminiStreamEncoder } from './gemini-stream-encoder';
import { readGeminiKey } from './read-gemini-key';
import { sendGeminiError, writeGeminiError } from './send-gemini-error';
import { translatableRest } from './translatable-rest';

/**
 * Gemini's `generateContent` (`POST /v1beta/models/{model}:generateContent`) or `streamGenerateContent` (answered
 * as SSE, as `@google/genai` asks with `?alt=sse`). The model is the URL's; the key is `x-goog-api-key` or
 * `?key=`. A Gemini upstream gets the caller's body unchanged; any other is sent core's canonical translation
 * (`geminiToChatRequest`), and a body holding what only Gemini can carry (`safetySettings`, …) is refused by
 * such a target with 400 `unsupported_feature` naming the field. Errors are Google's error JSON.
 */
function geminiSurface(method: Extract<GeminiMethod, 'generateContent' | 'streamGenerateContent'>): Surface {
  const stream = method === 'streamGenerateContent';
  return {
    protocol: 'gemini-generate',
    family: 'chat',
    routes: [{ method: 'POST', path: `/v1beta/models/{model}:${method}` }],
    // `:countTokens` is answered by the router itself; one of the two surface objects contributes it.
    ...(stream ? {} : { extraRoutes: (ctx: RouterContext) => [countTokensRoute(ctx)] }),
    readKey: readGeminiKey,
    parse(json, params) {
      const path = parseGeminiModelPath(`/v1beta/models/${encodeURIComponent(params.model ?? '')}:${method}`);
      if (path === null)
        return {
          ok: false,
          error: gatewayError('invalid_request', 'The model name in the URL is not valid.', 'model'),
        };
      if (typeof json !== 'object' || json === null || Array.isArray(json))
        return {
          ok: false,
          error: gatewayError('invalid_request', 'The request body must be a JSON object.', 'body'),
        };
      const native = json as Record<string, unknown>;
      const target = { model: path.model, stream };
      const translated = geminiToChatRequest(native, target);
      let untranslatable: GatewayError | undefined;
      let body: Record<string, unknown>;
      if (translated.ok) body = translated.value as unknown as Record<string, unknown>;
      else if (translated.error.code === 'unsupported_feature') {
        untranslatable = translated.error;
        body = translatableRest(native, target, translated.error) as unknown as Record<string, unknown>;
      } else return translated;
      const chat = validateChatRequest(body);
      if (!chat.ok) return chat;
      const inbound: InboundRequest = {
        model: path.model,
        stream,
        // Gemini reports usage on every stream event: a Gemini caller always gets it.
        includeUsage: stream,
        maxTokens: chat.value.maxTokens,
        choices: chat.value.choices,
        body: chat.value.body,
        native: { protocol: 'gemini-generate', body: native },
      };
      // Only a Gemini target can carry it: others are not tried, and a route with none answers the refusal.
      if (untranslatable !== undefined) inbound.nativeOnly = { targetId: null, refusal: untranslatable };
      return { ok: true, value: inbound };
    },
    requestedModel(_json, params) {
      return params.model ?? '';
    },
    sendError: sendGeminiError,
    callerParam: geminiParamOfChatParam,
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
    sendAnswer(res, headers, answer) {
      const body = JSON.stringify(chatResponseToGemini(answer));
      headers['content-type'] = 'application/json; charset=UTF-8';
      headers['content-length'] = String(Buffer.byteLength(body));
      res.writeHead(200, headers);
      res.end(body);
    },
    createStreamEncoder() {
      return geminiStreamEncoder();
    },
    streamError(error, requestId) {
      return geminiSse([
        {
          data: geminiErrorBody(
            error.status,
            {
              message: error.message,
              type: geminiStatusName(error.status).toLowerCase(),
              code: error.code,
              param: error.param,
            },
            requestId,
          ),
        },
      ]);
    },
  };
}

export const geminiGenerateSurface: Surface = geminiSurface('generateContent');
export const geminiStreamSurface: Surface = geminiSurface('streamGenerateContent');
