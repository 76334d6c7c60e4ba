import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import { describeStorableTextIssue, storableTextIssue } from '../../storable-text';
import { STORED_TEXT_LIMITS } from '../../stored-text-limits';
import type { ChatRequest } from '../../validate-chat-request';

/** OpenAI's cap on inputs in one embeddings request. */
export const MAX_EMBEDDING_INPUTS = 2048;

const invalid = (message: string, param: string) => fail(gatewayError('invalid_request', message, param));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTokenId(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A non-empty array of token ids. */
function isTokenArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every(isTokenId);
}

/**
 * Checks an OpenAI embeddings request (`POST /v1/embeddings`, the embeddings family's canonical shape) and reads
 * what the gateway needs: the model, and the inputs' texts and token ids for rate limits, budgets and estimates.
 * `input` is a string, an array of strings, an array of token ids, or an array of token-id arrays (at most
 * {@link MAX_EMBEDDING_INPUTS}, none empty); `encoding_format` is `float` or `base64`; `dimensions` a positive
 * integer. The first bad field is named. Everything else passes through to the upstream untouched.
 */
export function validateEmbeddingsRequest(body: unknown): Result<ChatRequest> {
  if (!isObject(body)) return invalid('The request body must be a JSON object.', 'body');
  const { model, input, encoding_format: format, dimensions } = body;
  if (model === undefined) return invalid("Missing required parameter: 'model'.", 'model');
  if (typeof model !== 'string' || model.length === 0) {
    return invalid("Invalid value for 'model': expected a non-empty string.", 'model');
  }
  const modelIssue = storableTextIssue(model, STORED_TEXT_LIMITS.model);
  if (modelIssue) {
    return invalid(
      describeStorableTextIssue('model', modelIssue, STORED_TEXT_LIMITS.model, model.length),
      'model',
    );
  }
  if (input === undefined || input === null) return invalid("Missing required parameter: 'input'.", 'input');
  const texts: string[] = [];
  let tokenIds = 0;
  if (typeof input === 'string') {
    if (input.length === 0) return invalid("Invalid 'input': expected a non-empty string.", 'input');
    texts.push(input);
  } else if (isTokenArray(input)) {
    tokenIds = input.length;
  } else if (Array.isArray(input) && input.length > 0) {
    if (input.length > MAX_EMBEDDING_INPUTS) {
      return invalid(`Invalid 'input': expected at most ${MAX_EMBEDDING_INPUTS} inputs.`, 'input');
    }
    for (let i = 0; i < input.length; i++) {
      const item: unknown = input[i];
      if (typeof item === 'string' && item.length > 0) texts.push(item);
      else if (isTokenArray(item)) tokenIds += item.length;
      else {
        return invalid(
          `Invalid 'input[${i}]': expected a non-empty string or a non-empty array of token ids.`,
          `input[${i}]`,
        );
      }
    }
  } else {
    return invalid(
      "Invalid 'input': expected a string, an array of strings, or an array of token ids (or of arrays of them), not empty.",
      'input',
    );
  }
  if (format !== undefined && format !== null && format !== 'float' && format !== 'base64') {
    return invalid("Invalid value for 'encoding_format': expected 'float' or 'base64'.", 'encoding_format');
  }
  if (
    dimensions !== undefined &&
    dimensions !== null &&
    !(typeof dimensions === 'number' && Number.isSafeInteger(dimensions) && dimensions >= 1)
  ) {
    return invalid("Invalid value for 'dimensions': expected a positive integer.", 'dimensions');
  }
  return ok({
    model,
    stream: false,
    includeUsage: false,
    // Embeddings generate no tokens: nothing to reserve or bound for output.
    maxTokens: 0,
    choices: 1,
    body,
    unary: { family: 'embeddings', texts, tokenIds, images: null },
  });
}
