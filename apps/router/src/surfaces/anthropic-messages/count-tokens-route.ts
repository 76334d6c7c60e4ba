import { anthropicCountTokensText, fail, gatewayError, ok } from '@switchyard/core';
import type { RouteDefinition } from '../../http/route-table';
import type { RouterContext } from '../../router-context';
import { tokenCountRoute } from '../token-count-route';
import { readAnthropicKey } from './read-anthropic-key';
import { sendAnthropicError } from './send-anthropic-error';

/**
 * POST /v1/messages/count_tokens — `{input_tokens}` of a Messages body, counted by the router's own tokenizer
 * (see {@link tokenCountRoute}) over the texts core `anthropicCountTokensText` collects: the system prompt, text
 * blocks, tool uses and results, and tool definitions. Authenticated like `/v1/messages` (`anthropic-version` and
 * key); the model is the body's.
 */
export function countTokensRoute(ctx: RouterContext): RouteDefinition {
  return tokenCountRoute(ctx, {
    path: '/v1/messages/count_tokens',
    readKey: readAnthropicKey,
    sendError: sendAnthropicError,
    requestedModel(json) {
      const model = (json as { model?: unknown } | null)?.model;
      return typeof model === 'string' && model.length > 0
        ? ok(model)
        : fail(gatewayError('invalid_request', 'model: Field required.', 'model'));
    },
    promptTexts(json) {
      const text = anthropicCountTokensText(json);
      return text.ok ? ok({ texts: [text.value], overhead: 0 }) : text;
    },
    answer: (tokens) => ({ input_tokens: tokens }),
    contentType: 'application/json',
    requestIdHeader: 'request-id',
  });
}
