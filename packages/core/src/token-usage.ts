import type { ImageUsage } from './compute-cost';

/**
 * Token counts of one request as an adapter reads them from the upstream (or the router estimates them),
 * in OpenAI's convention: the parts are subsets of their totals. `cachedInputTokens` and `cacheWriteTokens`
 * are part of `inputTokens`; `reasoningTokens` is part of `outputTokens`.
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Part of `outputTokens` spent reasoning (`completion_tokens_details.reasoning_tokens`); 0 when unreported. */
  reasoningTokens?: number;
  /** Part of `inputTokens` written to the prompt cache (Anthropic's cache_creation); 0 when unreported. */
  cacheWriteTokens?: number;
  /**
   * Images generated (images family), priced per image; absent when the upstream reported tokens for them
   * (gpt-image models are priced per token) and for every other family.
   */
  images?: readonly ImageUsage[];
}
