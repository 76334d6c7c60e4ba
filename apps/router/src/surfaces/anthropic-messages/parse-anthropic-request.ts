import {
  anthropicCountTokensText,
  anthropicToChatRequest,
  fail,
  gatewayError,
  ok,
  type Result,
} from '@switchyard/core';
import type { InboundRequest } from '../surface';

const invalid = (message: string, param: string) => fail(gatewayError('invalid_request', message, param));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a `POST /v1/messages` body into the pipeline's request. The fields routing and money need are checked
 * here (model, max_tokens, messages, stream); the canonical body is core `anthropicToChatRequest`'s translation.
 * When the body uses what only an Anthropic upstream can serve (`cache_control`, thinking, fields newer than the
 * router), the translation refuses it: the request still goes to Anthropic targets unchanged, and the canonical
 * body is then a stand-in for limits and token estimates only — one user message holding every text the prompt
 * carries (core `anthropicCountTokensText`) — while a target of another protocol answers the refusal, naming the
 * field (`canonicalRefusal`). Malformed bodies are 400 `invalid_request` naming the field.
 */
export function parseAnthropicRequest(json: unknown): Result<InboundRequest> {
  if (!isRecord(json)) return invalid('The request body must be a JSON object.', 'body');
  const { model, max_tokens: maxTokens, messages, stream } = json;
  if (typeof model !== 'string' || model.length === 0) {
    return invalid('model: Field required (a non-empty string).', 'model');
  }
  if (typeof maxTokens !== 'number' || !Number.isSafeInteger(maxTokens) || maxTokens < 0) {
    return invalid('max_tokens: Field required (a non-negative integer).', 'max_tokens');
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    return invalid('messages: Field required (a non-empty array).', 'messages');
  }
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    return invalid('stream: Input should be a valid boolean.', 'stream');
  }
  const request: InboundRequest = {
    model,
    stream: stream === true,
    // Anthropic streams always end with their usage.
    includeUsage: true,
    maxTokens,
    choices: 1,
    body: json,
    native: { protocol: 'anthropic-messages', body: json },
  };
  const translated = anthropicToChatRequest(json);
  if (translated.ok) {
    request.body = translated.value as unknown as Record<string, unknown>;
    return ok(request);
  }
  if (translated.error.code !== 'unsupported_feature') return translated;
  const text = anthropicCountTokensText(json);
  if (!text.ok) return text;
  const standIn: Record<string, unknown> = {
    model,
    messages: [{ role: 'user', content: text.value }],
    max_tokens: maxTokens,
  };
  if (request.stream) {
    standIn.stream = true;
    standIn.stream_options = { include_usage: true };
  }
  request.body = standIn;
  request.canonicalRefusal = translated.error;
  return ok(request);
}
