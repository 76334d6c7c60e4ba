import { validateImagesRequest } from '@switchyard/core';
import { openAiUnarySurface } from '../openai-unary-surface';

/**
 * POST /v1/images/generations — OpenAI image generation: `prompt`, `n`, `size`, `quality`, `response_format`
 * (`url` or `b64_json`) and every other field pass through; priced per image, or per token when the upstream
 * reports tokens (gpt-image models). Streaming (partial images) is refused.
 */
export const openAiImagesSurface = openAiUnarySurface({
  protocol: 'openai-images',
  family: 'images',
  path: '/v1/images/generations',
  validate: validateImagesRequest,
});
