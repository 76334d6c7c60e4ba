import { countWords } from './count-tokens';
import { invalidRequest, type OpenAiErrorBody } from './openai-error';
import { describeType, MISSING_MODEL } from './parse-chat-request';
import { hashString } from './seeded-random';

/** The parts of an image generation request the answer depends on. */
export interface MockImagesRequest {
  model: string;
  prompt: string;
  n: number;
  width: number;
  height: number;
  /** The size as requested (`auto` answers 1024x1024). */
  size: string;
  responseFormat: 'url' | 'b64_json';
  quality: 'low' | 'medium' | 'high' | 'standard' | 'hd' | 'auto';
  /** gpt-image models answer base64 only and report token usage. */
  tokenPriced: boolean;
}

export type ImagesRequestResult =
  | { ok: true; value: MockImagesRequest }
  | { ok: false; error: OpenAiErrorBody };

const MAX_IMAGES = 10;
/** Largest side the mock draws (real models stop at 1792 or 1536). */
export const MAX_IMAGE_SIDE = 2048;
const SIZE = /^(\d{2,4})x(\d{2,4})$/;
const QUALITIES = ['low', 'medium', 'high', 'standard', 'hd', 'auto'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a model is priced by tokens like `gpt-image-1` (any model name containing `gpt-image`). */
export function isTokenPricedImageModel(model: string): boolean {
  return model.includes('gpt-image');
}

/** Validates an `images/generations` body the way OpenAI does and names the first bad field. */
export function parseImagesRequest(body: unknown): ImagesRequestResult {
  const fail = (
    message: string,
    param: string | null,
    code: string | null = 'invalid_value',
  ): ImagesRequestResult => ({
    ok: false,
    error: invalidRequest(message, param, code),
  });
  if (!isObject(body))
    return fail(`Invalid type for 'body': expected an object, but got ${describeType(body)} instead.`, null);
  const { prompt, n, size, response_format: format, quality } = body;
  const model = body.model ?? 'dall-e-2';
  if (typeof model !== 'string') return { ok: false, error: MISSING_MODEL };
  if (prompt === undefined)
    return fail("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
  if (typeof prompt !== 'string' || prompt.trim() === '')
    return fail("Invalid 'prompt': expected a non-empty string.", 'prompt');
  if (n != null && !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_IMAGES)) {
    return fail(`Invalid 'n': expected an integer between 1 and ${MAX_IMAGES}.`, 'n');
  }
  let width = 1024;
  let height = 1024;
  const sizeText = size ?? 'auto';
  if (sizeText !== 'auto') {
    const match = typeof sizeText === 'string' ? SIZE.exec(sizeText) : null;
    const w = Number(match?.[1]);
    const h = Number(match?.[2]);
    if (match === null || w < 16 || h < 16 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE) {
      return fail(
        `Invalid value: '${String(sizeText)}'. Expected 'auto' or '<width>x<height>' (16 to ${MAX_IMAGE_SIDE}).`,
        'size',
      );
    }
    width = w;
    height = h;
  }
  if (format != null && format !== 'url' && format !== 'b64_json') {
    return fail(
      `Invalid value: '${String(format)}'. Supported values are: 'url' and 'b64_json'.`,
      'response_format',
    );
  }
  if (quality != null && !(QUALITIES as readonly unknown[]).includes(quality)) {
    return fail(
      `Invalid value: '${String(quality)}'. Supported values are: ${QUALITIES.map((q) => `'${q}'`).join(', ')}.`,
      'quality',
    );
  }
  const tokenPriced = isTokenPricedImageModel(model);
  return {
    ok: true,
    value: {
      model,
      prompt,
      n: (n as number | null | undefined) ?? 1,
      width,
      height,
      size: `${width}x${height}`,
      responseFormat: tokenPriced || format === 'b64_json' ? 'b64_json' : 'url',
      quality: (quality as MockImagesRequest['quality'] | null | undefined) ?? 'auto',
      tokenPriced,
    },
  };
}

/** Output tokens per image of a token-priced model at 1024x1024, by quality (`auto` = medium), as OpenAI lists. */
export const IMAGE_OUTPUT_TOKENS = { low: 272, medium: 1056, high: 4160 } as const;

/** Output tokens of one image: the 1024x1024 figure scaled by area, rounded. */
export function imageOutputTokens(request: Pick<MockImagesRequest, 'quality' | 'width' | 'height'>): number {
  const tier =
    request.quality === 'low'
      ? 'low'
      : request.quality === 'high' || request.quality === 'hd'
        ? 'high'
        : 'medium';
  return Math.round((IMAGE_OUTPUT_TOKENS[tier] * request.width * request.height) / (1024 * 1024));
}

/** The colour of image `index` of a prompt: from the FNV-1a hash of both, so answers are reproducible. */
export function imageColor(prompt: string, index: number): number {
  return hashString(`${index}\n${prompt}`) & 0xffffff;
}

/** The path the mock serves a `url` image from. */
export function imagePath(width: number, height: number, rgb: number): string {
  return `/__mock/images/${width}x${height}/${rgb.toString(16).padStart(6, '0')}.png`;
}

/**
 * The `images/generations` answer: `n` images of one solid colour each (see `imageColor`), as base64 PNG or
 * as URLs served by this mock; gpt-image models add `usage` (input: prompt words; output:
 * `imageOutputTokens` per image) and their output fields.
 */
export function buildImagesResponse(
  request: MockImagesRequest,
  created: number,
  origin: string,
  png: (width: number, height: number, rgb: number) => Buffer,
) {
  const data = Array.from({ length: request.n }, (_, index) => {
    const rgb = imageColor(request.prompt, index);
    if (request.responseFormat === 'url') {
      return {
        url: `${origin}${imagePath(request.width, request.height, rgb)}`,
        revised_prompt: request.prompt,
      };
    }
    return { b64_json: png(request.width, request.height, rgb).toString('base64') };
  });
  if (!request.tokenPriced) return { created, data };
  const inputTokens = countWords(request.prompt);
  const outputTokens = imageOutputTokens(request) * request.n;
  return {
    created,
    data,
    background: 'opaque',
    output_format: 'png',
    quality: request.quality === 'auto' ? 'medium' : request.quality,
    size: request.size,
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { text_tokens: inputTokens, image_tokens: 0 },
      output_tokens: outputTokens,
      total_tokens: inputTokens + outputTokens,
    },
  };
}
