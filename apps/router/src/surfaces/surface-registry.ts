import { anthropicMessagesSurface } from './anthropic-messages/anthropic-messages-surface';
import { geminiBatchEmbedSurface, geminiEmbedContentSurface } from './gemini/gemini-embed-surface';
import { geminiGenerateSurface, geminiStreamSurface } from './gemini/gemini-surface';
import { openAiChatSurface } from './openai-chat/openai-chat-surface';
import { openAiCompletionsSurface } from './openai-completions/openai-completions-surface';
import { openAiEmbeddingsSurface } from './openai-embeddings/openai-embeddings-surface';
import { openAiImagesSurface } from './openai-images/openai-images-surface';
import { openAiResponsesSurface } from './openai-responses/openai-responses-surface';
import type { Surface } from './surface';

/** Every inbound surface the router answers; each contributes its routes to the route table. */
export const SURFACES: readonly Surface[] = [
  openAiChatSurface,
  openAiResponsesSurface,
  openAiCompletionsSurface,
  openAiEmbeddingsSurface,
  openAiImagesSurface,
  geminiGenerateSurface,
  geminiStreamSurface,
  geminiEmbedContentSurface,
  geminiBatchEmbedSurface,
  anthropicMessagesSurface,
];
