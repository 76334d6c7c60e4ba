import {
  type ChatRequestBody,
  fail,
  gatewayError,
  geminiCountTokensResponse,
  geminiCountTokensToChatRequest,
  ok,
  parseGeminiModelPath,
} from '@switchyard/core';
import { sumPromptTexts } from '../../billing/sum-prompt-texts';
import type { RouteDefinition } from '../../http/route-table';
import type { RouterContext } from '../../router-context';
import { tokenCountRoute } from '../token-count-route';
import { readGeminiKey } from './read-gemini-key';
import { sendGeminiError } from './send-gemini-error';
import { translatableRest } from './translatable-rest';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * POST /v1beta/models/{model}:countTokens — answered by the router itself (see {@link tokenCountRoute}), with the
 * tokenizer it estimates usage with plus the chat format's per-message overhead, so it costs the caller nothing
 * whichever provider the route would pick. The key and the model (the URL's) are checked as for generateContent;
 * errors are Google's error JSON.
 */
export function countTokensRoute(ctx: RouterContext): RouteDefinition {
  return tokenCountRoute(ctx, {
    path: '/v1beta/models/{model}:countTokens',
    readKey: readGeminiKey,
    sendError: sendGeminiError,
    requestedModel(_json, params) {
      const path = parseGeminiModelPath(
        `/v1beta/models/${encodeURIComponent(params.model ?? '')}:countTokens`,
      );
      return path === null
        ? fail(gatewayError('invalid_request', 'The model name in the URL is not valid.', 'model'))
        : ok(path.model);
    },
    promptTexts(json, model) {
      const canonical = geminiCountTokensToChatRequest(json, model);
      let body: ChatRequestBody;
      if (canonical.ok) body = canonical.value;
      else if (canonical.error.code === 'unsupported_feature' && isObject(json)) {
        // Gemini-only settings change no prompt token: count what the prompt holds.
        const inner = isObject(json.generateContentRequest) ? json.generateContentRequest : json;
        body = translatableRest(inner, { model, stream: false }, canonical.error);
      } else return canonical;
      const texts: string[] = [];
      const overhead = sumPromptTexts(body as unknown as Record<string, unknown>, (text) => {
        texts.push(text);
        return 0;
      });
      return ok({ texts, overhead });
    },
    answer: geminiCountTokensResponse,
    contentType: 'application/json; charset=UTF-8',
  });
}
