import { fail, gatewayError, ok, type Result } from './gateway-error';
import type { UnaryRequest } from './protocols/unary-request';
import { readChoiceCount } from './read-choice-count';
import { describeStorableTextIssue, storableTextIssue } from './storable-text';
import { STORED_TEXT_LIMITS } from './stored-text-limits';

/** The parts of an OpenAI chat request the gateway itself needs; everything else passes through. */
export interface ChatRequest {
  model: string;
  stream: boolean;
  /** The caller asked for the final usage chunk in a stream. */
  includeUsage: boolean;
  /** `max_tokens` (or `max_completion_tokens`), or null when unset or too large to be an exact integer. */
  maxTokens: number | null;
  /**
   * Completions the upstream generates (`n`, or `best_of` when larger), 1 to MAX_CHOICES: each is billed its
   * own output, up to `maxTokens` each.
   */
  choices: number;
  /** The parsed body, forwarded (with the model replaced) to the upstream. */
  body: Record<string, unknown>;
  /**
   * Set for a request of a unary family (embeddings, images), whose body has no chat messages: its prompt and
   * images, for rate limits, budgets and estimates. Absent for chat.
   */
  unary?: UnaryRequest;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

const invalid = (message: string, param: string) => fail(gatewayError('invalid_request', message, param));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the fields the gateway relies on and names the first bad one. Never reaches an upstream when it fails. */
export function validateChatRequest(body: unknown): Result<ChatRequest> {
  if (!isObject(body)) return invalid('The request body must be a JSON object.', 'body');
  const { model, messages, stream, stream_options: streamOptions } = body;
  if (model === undefined) return invalid("Missing required parameter: 'model'.", 'model');
  if (typeof model !== 'string' || model.length === 0) {
    return invalid("Invalid value for 'model': expected a non-empty string.", 'model');
  }
  // The model is stored on the request's usage row (and keys the usage rollups): refuse what cannot be stored.
  const modelIssue = storableTextIssue(model, STORED_TEXT_LIMITS.model);
  if (modelIssue) {
    return invalid(
      describeStorableTextIssue('model', modelIssue, STORED_TEXT_LIMITS.model, model.length),
      'model',
    );
  }
  if (messages === undefined) return invalid("Missing required parameter: 'messages'.", 'messages');
  if (!Array.isArray(messages)) return invalid("Invalid type for 'messages': expected an array.", 'messages');
  if (messages.length === 0) return invalid("Invalid 'messages': expected at least one message.", 'messages');
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isObject(message))
      return invalid(`Invalid type for 'messages[${i}]': expected an object.`, `messages[${i}]`);
    if (typeof message.role !== 'string' || !ROLES.has(message.role)) {
      return invalid(
        `Invalid value for 'messages[${i}].role': expected one of ${[...ROLES].join(', ')}.`,
        `messages[${i}].role`,
      );
    }
  }
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    return invalid("Invalid type for 'stream': expected a boolean.", 'stream');
  }
  if (streamOptions !== undefined && streamOptions !== null && !isObject(streamOptions)) {
    return invalid("Invalid type for 'stream_options': expected an object.", 'stream_options');
  }
  const maxTokens = body.max_tokens ?? body.max_completion_tokens;
  if (
    maxTokens !== undefined &&
    maxTokens !== null &&
    (!Number.isInteger(maxTokens) || (maxTokens as number) < 1)
  ) {
    const param = body.max_tokens !== undefined ? 'max_tokens' : 'max_completion_tokens';
    return invalid(`Invalid value for '${param}': expected a positive integer.`, param);
  }
  const choices = readChoiceCount(body);
  if (!choices.ok) return choices;
  return ok({
    model,
    stream: stream === true,
    includeUsage: stream === true && isObject(streamOptions) && streamOptions.include_usage === true,
    maxTokens: Number.isSafeInteger(maxTokens) ? (maxTokens as number) : null,
    choices: choices.value,
    body,
  });
}
