import type { ImageUsage } from '../compute-cost';
import type { EndpointFamily } from './wire-protocol';

/**
 * The endpoint families served as one JSON request and one JSON answer, never streamed. Each has a canonical
 * shape, which is OpenAI's wire format for it (`/v1/embeddings`, `/v1/images/generations`), as canonical chat is
 * OpenAI chat.
 */
export type UnaryFamily = Exclude<EndpointFamily, 'chat'>;

/**
 * What rate limits, budgets and usage estimates need of a request in a unary family, whose body has no chat
 * messages to count: read from the body by the surface when it parses it.
 */
export interface UnaryRequest {
  family: UnaryFamily;
  /** The prompt's texts: each embedding input, the image prompt. */
  texts: readonly string[];
  /** Prompt tokens sent as token ids (embedding inputs given as token arrays): counted as they are. */
  tokenIds: number;
  /** The images asked for (images family): how many, of what size and quality (`auto` when unset); else null. */
  images: ImageUsage | null;
}
