import {
  type ProviderAdapter,
  type SettledUsage,
  settleUsage,
  type TokenUsage,
  type UsageEstimate,
  type UsageReport,
} from '@switchyard/core';
import type { StreamTextTally } from './stream-text-tally';
import { sumPromptTexts } from './sum-prompt-texts';
import { countTokensOffThread } from './token-count-thread';

/** Usage as reported, or (partly) estimated with the tokenizer where the upstream's report falls short. */
export interface KnownUsage {
  usage: TokenUsage | null;
  /** True when any count is the router's estimate. */
  estimated: boolean;
}

/**
 * A non-streaming response: its usage when the report is complete and valid, else (core `settleUsage`) an
 * estimate built from what it does say plus the tokenizer's count of the request messages and the returned text.
 * Called once the answer is sent; the tokenizer runs on its own thread, so awaiting it stalls no one. Never rejects.
 */
export function responseUsage(
  reported: UsageReport | null,
  adapter: ProviderAdapter,
  body: Record<string, unknown>,
  parsed: unknown,
): Promise<KnownUsage> {
  return settleUsageAsync(reported, () =>
    guess(body, countTokensOffThread([adapter.readResponseText(parsed)])),
  );
}

/**
 * A relayed stream: its usage chunk when complete and valid, else an estimate built from what it says and the
 * streamed text's tally. A stream of which nothing reached the client costs nothing. Never rejects.
 */
export async function streamUsage(
  relayed: { usage: UsageReport | null; text: StreamTextTally; firstByteAt: number | null },
  body: Record<string, unknown>,
): Promise<KnownUsage> {
  if (relayed.firstByteAt === null) return { usage: null, estimated: false };
  return settleUsageAsync(relayed.usage, () => guess(body, relayed.text.tokens()));
}

/** Core `settleUsage` with an estimate that is awaited, and only asked for when the report falls short. */
async function settleUsageAsync(
  reported: UsageReport | null,
  estimate: () => Promise<UsageEstimate>,
): Promise<SettledUsage> {
  let wanted = false;
  const settled = settleUsage(reported, () => {
    wanted = true;
    return { inputTokens: 0, outputTokens: 0 };
  });
  if (!wanted) return settled;
  const counted = await estimate();
  return settleUsage(reported, () => counted);
}

async function guess(body: Record<string, unknown>, outputTokens: Promise<number>): Promise<UsageEstimate> {
  // The chat format's overhead here; the texts' tokens on the counting thread.
  const texts: string[] = [];
  const overhead = sumPromptTexts(body, (text) => {
    texts.push(text);
    return 0;
  });
  const [prompt, output] = await Promise.all([countTokensOffThread(texts), outputTokens]);
  return { inputTokens: overhead + prompt, outputTokens: output };
}
