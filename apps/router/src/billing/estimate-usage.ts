import type { ProviderAdapter, TokenUsage } from '@switchyard/core';
import type { StreamTextTally } from './stream-text-tally';
import { countTextTokens, estimatePromptTokens } from './token-estimator';

/** Usage as reported, or estimated with the tokenizer when the upstream reported none. */
export interface KnownUsage {
  usage: TokenUsage | null;
  /** True when the counts are the router's estimate. */
  estimated: boolean;
}

function estimated(body: Record<string, unknown>, completion: string): KnownUsage {
  return estimatedTokens(body, countTextTokens(completion));
}

function estimatedTokens(body: Record<string, unknown>, outputTokens: number): KnownUsage {
  return {
    usage: {
      inputTokens: estimatePromptTokens(body),
      outputTokens,
      cachedInputTokens: 0,
      reasoningTokens: 0,
      cacheWriteTokens: 0,
    },
    estimated: true,
  };
}

/** A non-streaming response: its usage, or an estimate over the request messages and the returned text. */
export function responseUsage(
  reported: TokenUsage | null,
  adapter: ProviderAdapter,
  body: Record<string, unknown>,
  parsed: unknown,
): KnownUsage {
  if (reported) return { usage: reported, estimated: false };
  return estimated(body, adapter.readResponseText(parsed));
}

/**
 * A relayed stream: its usage chunk, or (the upstream sent none) an estimate over the request messages
 * and the streamed text's tally. A stream of which nothing reached the client costs nothing.
 */
export function streamUsage(
  relayed: { usage: TokenUsage | null; text: StreamTextTally; firstByteAt: number | null },
  body: Record<string, unknown>,
): KnownUsage {
  if (relayed.usage) return { usage: relayed.usage, estimated: false };
  if (relayed.firstByteAt === null) return { usage: null, estimated: false };
  return estimatedTokens(body, relayed.text.tokens());
}
