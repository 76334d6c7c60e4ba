import type { UnaryRequest } from '@switchyard/core';
import { sumPromptTexts } from './sum-prompt-texts';

/**
 * The rate-limit estimate: one token per 4 characters (rounded up), as OpenAI's own rate limiter counts a
 * prompt before it is tokenized. TPM reservations use it and are corrected to the reported usage afterwards.
 * Its own file so the request thread never loads the tokenizer's ranks module (token-estimator.ts), which only
 * the token-count worker needs.
 */
export function promptTokenRateEstimate(body: Record<string, unknown>): number {
  return sumPromptTexts(body, (text) => Math.ceil(text.length / 4));
}

/** The same estimate for a unary family's prompt: its texts by 4 characters a token, token ids as they are. */
export function unaryPromptRateEstimate(unary: UnaryRequest): number {
  let tokens = unary.tokenIds;
  for (const text of unary.texts) tokens += Math.ceil(text.length / 4);
  return tokens;
}
