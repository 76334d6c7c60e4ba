import {
  type ProviderAdapter,
  settleUsage,
  type TokenUsage,
  type UsageEstimate,
  type UsageReport,
} from '@switchyard/core';
import type { StreamTextTally } from './stream-text-tally';
import { countTextTokens, estimatePromptTokens } from './token-estimator';

/** Usage as reported, or (partly) estimated with the tokenizer where the upstream's report falls short. */
export interface KnownUsage {
  usage: TokenUsage | null;
  /** True when any count is the router's estimate. */
  estimated: boolean;
}

/**
 * A non-streaming response: its usage when the report is complete and valid, else (core `settleUsage`) an
 * estimate built from what it does say plus the tokenizer's count of the request messages and the returned text.
 */
export function responseUsage(
  reported: UsageReport | null,
  adapter: ProviderAdapter,
  body: Record<string, unknown>,
  parsed: unknown,
): KnownUsage {
  return settleUsage(reported, () => guess(body, countTextTokens(adapter.readResponseText(parsed))));
}

/**
 * A relayed stream: its usage chunk when complete and valid, else an estimate built from what it says and the
 * streamed text's tally. A stream of which nothing reached the client costs nothing.
 */
export function streamUsage(
  relayed: { usage: UsageReport | null; text: StreamTextTally; firstByteAt: number | null },
  body: Record<string, unknown>,
): KnownUsage {
  if (relayed.firstByteAt === null) return { usage: null, estimated: false };
  return settleUsage(relayed.usage, () => guess(body, relayed.text.tokens()));
}

function guess(body: Record<string, unknown>, outputTokens: number): UsageEstimate {
  return { inputTokens: estimatePromptTokens(body), outputTokens };
}
