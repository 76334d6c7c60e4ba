import {
  type ChatRequest,
  isUsageReportComplete,
  type ProviderAdapter,
  type SettledUsage,
  settleUsage,
  type TokenUsage,
  type UnaryFamilyAdapter,
  type UsageEstimate,
  type UsageReport,
} from '@switchyard/core';
import type { AnswerJson } from '../proxy/answer-json';
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
 * A complete report is settled synchronously.
 */
export function responseUsage(
  reported: UsageReport | null,
  adapter: ProviderAdapter,
  body: Record<string, unknown>,
  answer: AnswerJson,
): KnownUsage | Promise<KnownUsage> {
  // A complete report (nearly every answer) settles here and now: no estimate, no promise to wait for.
  if (reported !== null && isUsageReportComplete(reported)) return settleUsage(reported, NO_ESTIMATE);
  return settleUsageAsync(reported, () =>
    guess(body, countTokensOffThread([adapter.readResponseText(answer.text())])),
  );
}

/**
 * A unary family's answer (embeddings, images). Images are billed as the upstream's complete token report when
 * it sends one (gpt-image models are priced per token), else per image: as many as the answer holds, of the size
 * and quality it names, else as asked. Embeddings are billed their reported prompt tokens (0 output), else the
 * tokenizer's count of the inputs (token-id inputs counted as they are), flagged estimated. Never rejects.
 */
export async function unaryResponseUsage(
  family: UnaryFamilyAdapter,
  answer: AnswerJson,
  request: ChatRequest,
): Promise<KnownUsage> {
  const reported = answer.usage(family);
  const asked = request.unary?.images ?? null;
  if (asked !== null && (reported === null || !isUsageReportComplete(reported))) {
    const answered = family.readImages?.(answer.text());
    const images = [
      {
        size: answered?.size ?? asked.size,
        quality: answered?.quality ?? asked.quality,
        count: answered?.count ?? asked.count,
      },
    ];
    return { usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, images }, estimated: false };
  }
  const texts = request.unary?.texts ?? [];
  const tokenIds = request.unary?.tokenIds ?? 0;
  return settleUsageAsync(reported, async () => ({
    inputTokens: tokenIds + (await countTokensOffThread([...texts])),
    outputTokens: 0,
  }));
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
/** Never called: settleUsage asks for an estimate only when the report is incomplete. */
const NO_ESTIMATE = (): UsageEstimate => ({ inputTokens: 0, outputTokens: 0 });

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
