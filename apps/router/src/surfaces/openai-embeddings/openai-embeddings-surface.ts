import { validateEmbeddingsRequest } from '@switchyard/core';
import { openAiUnarySurface } from '../openai-unary-surface';

/**
 * POST /v1/embeddings — OpenAI embeddings: `input` a string, strings, token ids or arrays of them;
 * `encoding_format` (`float`, or `base64`, the `openai` SDKs' default) and `dimensions` pass through to the
 * upstream, as does every field the gateway does not read.
 */
export const openAiEmbeddingsSurface = openAiUnarySurface({
  protocol: 'openai-embeddings',
  family: 'embeddings',
  path: '/v1/embeddings',
  validate: validateEmbeddingsRequest,
});
