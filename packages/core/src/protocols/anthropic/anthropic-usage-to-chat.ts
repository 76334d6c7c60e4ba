import type { ChatUsage } from '../canonical-chat';
import type { AnthropicUsage } from './anthropic-messages';
import { readAnthropicUsage } from './read-anthropic-usage';

/**
 * Anthropic usage as canonical usage: `prompt_tokens` is the whole prompt (uncached + cache reads + cache writes),
 * with `cached_tokens` and `cache_write_tokens` naming the parts; thinking tokens are reasoning tokens. Null when
 * the usage is missing, malformed, or lacks the input or output count: a translated response then carries no
 * usage rather than a wrong one (the router settles from `readAnthropicUsage` and estimates what is missing).
 */
export function anthropicUsageToChat(value: unknown): ChatUsage | null {
  const report = readAnthropicUsage(value);
  if (report === null || report.malformed || report.inputTokens === null || report.outputTokens === null) {
    return null;
  }
  const usage: ChatUsage = {
    prompt_tokens: report.inputTokens,
    completion_tokens: report.outputTokens,
    total_tokens: report.inputTokens + report.outputTokens,
  };
  if (report.cachedInputTokens !== null)
    usage.prompt_tokens_details = { cached_tokens: report.cachedInputTokens };
  if (report.reasoningTokens !== null) {
    usage.completion_tokens_details = { reasoning_tokens: report.reasoningTokens };
  }
  if (report.cacheWriteTokens !== null) usage.cache_write_tokens = report.cacheWriteTokens;
  return usage;
}

/**
 * Canonical usage in Anthropic's shape: `input_tokens` EXCLUDES the cached and cache-write parts (never below
 * zero, should an upstream report parts larger than the whole). No usage reads as zeros, which is what a client
 * of a stream that reported none would have summed anyway.
 */
export function chatUsageToAnthropic(usage: ChatUsage | null | undefined): AnthropicUsage {
  const cacheRead = whole(usage?.prompt_tokens_details?.cached_tokens);
  const cacheWrite = whole(usage?.cache_write_tokens);
  const result: AnthropicUsage = {
    input_tokens: Math.max(0, whole(usage?.prompt_tokens) - cacheRead - cacheWrite),
    output_tokens: whole(usage?.completion_tokens),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  if (reasoning !== undefined) result.output_tokens_details = { thinking_tokens: whole(reasoning) };
  return result;
}

function whole(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
