import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import { describeStorableTextIssue, storableTextIssue } from '../../storable-text';
import { STORED_TEXT_LIMITS } from '../../stored-text-limits';
import type { ChatRequest } from '../../validate-chat-request';

/** OpenAI's cap on `n` for image generation. */
export const MAX_IMAGES_PER_REQUEST = 10;

/** The qualities OpenAI's image models take (dall-e-3: standard/hd; gpt-image: low/medium/high; all: auto). */
export const IMAGE_QUALITIES: readonly string[] = ['standard', 'hd', 'low', 'medium', 'high', 'auto'];

const SIZE = /^[1-9]\d{0,4}x[1-9]\d{0,4}$/;

const invalid = (message: string, param: string) => fail(gatewayError('invalid_request', message, param));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * Checks an OpenAI image generation request (`POST /v1/images/generations`, the images family's canonical shape)
 * and reads what the gateway needs: the model, the prompt (rate limits, budgets), and how many images of which
 * size and quality (per-image pricing; `auto` when unset). `model` is required here (OpenAI defaults to
 * dall-e-2; a gateway routes by it). `n` is 1 to {@link MAX_IMAGES_PER_REQUEST}, `size` `auto` or `WxH`,
 * `quality` one of {@link IMAGE_QUALITIES}, `response_format` `url` or `b64_json`. Streaming (gpt-image partial
 * images) is refused as `unsupported_feature`. The first bad field is named; everything else passes through.
 */
export function validateImagesRequest(body: unknown): Result<ChatRequest> {
  if (!isObject(body)) return invalid('The request body must be a JSON object.', 'body');
  const { model, prompt, n, size, quality, response_format: format, stream } = body;
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
  if (prompt === undefined || prompt === null) {
    return invalid("Missing required parameter: 'prompt'.", 'prompt');
  }
  if (typeof prompt !== 'string' || prompt.trim().length === 0) {
    return invalid("Invalid value for 'prompt': expected a non-empty string.", 'prompt');
  }
  if (
    isSet(n) &&
    !(typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 && n <= MAX_IMAGES_PER_REQUEST)
  ) {
    return invalid(`Invalid value for 'n': expected an integer from 1 to ${MAX_IMAGES_PER_REQUEST}.`, 'n');
  }
  if (isSet(size) && !(size === 'auto' || (typeof size === 'string' && SIZE.test(size)))) {
    return invalid(
      "Invalid value for 'size': expected 'auto' or '<width>x<height>' such as '1024x1024'.",
      'size',
    );
  }
  if (isSet(quality) && !(typeof quality === 'string' && IMAGE_QUALITIES.includes(quality))) {
    return invalid(`Invalid value for 'quality': expected one of ${IMAGE_QUALITIES.join(', ')}.`, 'quality');
  }
  if (isSet(format) && format !== 'url' && format !== 'b64_json') {
    return invalid("Invalid value for 'response_format': expected 'url' or 'b64_json'.", 'response_format');
  }
  if (isSet(stream) && typeof stream !== 'boolean') {
    return invalid("Invalid type for 'stream': expected a boolean.", 'stream');
  }
  if (stream === true) {
    return fail(
      gatewayError(
        'unsupported_feature',
        'Streaming image generation (partial images) is not supported by this gateway; send the request without stream.',
        'stream',
      ),
    );
  }
  const count = typeof n === 'number' ? n : 1;
  return ok({
    model,
    stream: false,
    includeUsage: false,
    // Token-priced image models (gpt-image) bound their output by the price sheet's cap, per image.
    maxTokens: null,
    choices: count,
    body,
    unary: {
      family: 'images',
      texts: [prompt],
      tokenIds: 0,
      images: {
        count,
        size: typeof size === 'string' ? size : 'auto',
        quality: typeof quality === 'string' ? quality : 'auto',
      },
    },
  });
}
