// What the router's Gemini surface and Gemini adapter use; helpers stay inside the folder.
export { chatRequestToGemini, type GeminiUpstreamRequest } from './chat-request-to-gemini';
export { chatResponseToGemini } from './chat-response-to-gemini';
export { ChatToGeminiStream } from './chat-to-gemini-stream';
export {
  type GeminiCountTokensResponse,
  geminiCountTokensResponse,
  geminiCountTokensToChatRequest,
} from './gemini-count-tokens';
export {
  embeddingsRequestToGemini,
  embeddingsResponseToGemini,
  type GeminiEmbedMethod,
  type GeminiEmbedResponse,
  type GeminiSideEmbeddingsRequest,
  type GeminiSideEmbeddingsResponse,
  geminiEmbedResponseToEmbeddings,
  geminiEmbedToEmbeddingsRequest,
} from './gemini-embeddings';
export {
  type GeminiErrorFields,
  geminiErrorBody,
  geminiStatusName,
  readGeminiError,
} from './gemini-error-body';
export { type GeminiAnswerContext, geminiResponseToChat } from './gemini-response-to-chat';
export { type GeminiRequestTarget, geminiToChatRequest } from './gemini-to-chat-request';
export { GeminiToChatStream } from './gemini-to-chat-stream';
export type {
  GeminiContent,
  GeminiErrorBody,
  GeminiFinishReason,
  GeminiGenerateRequest,
  GeminiGenerateResponse,
  GeminiPart,
  GeminiUsageMetadata,
} from './gemini-wire';
export { chatFinishReasonToGemini, mapGeminiFinishReason } from './map-gemini-finish-reason';
export { type GeminiMethod, type GeminiModelPath, parseGeminiModelPath } from './parse-gemini-model-path';
export { chatUsageToGemini, geminiUsageToChat, readGeminiUsage } from './read-gemini-usage';
