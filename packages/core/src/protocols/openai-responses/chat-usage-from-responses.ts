import type { ChatUsage } from '../canonical-chat';
import { readOpenAiUsage } from '../read-openai-usage';

/**
 * A Responses `usage` object as canonical chat usage, or undefined when it is absent or unreadable (the router
 * reads usage for billing with `readOpenAiUsage` and settles what is missing; this is only what the caller
 * is shown).
 */
export function chatUsageFromResponses(usage: unknown): ChatUsage | undefined {
  const report = readOpenAiUsage(usage, 'responses');
  if (!report || report.malformed || report.inputTokens === null || report.outputTokens === null)
    return undefined;
  const chat: ChatUsage = {
    prompt_tokens: report.inputTokens,
    completion_tokens: report.outputTokens,
    total_tokens: report.totalTokens ?? report.inputTokens + report.outputTokens,
  };
  if (report.cachedInputTokens !== null)
    chat.prompt_tokens_details = { cached_tokens: report.cachedInputTokens };
  if (report.reasoningTokens !== null) {
    chat.completion_tokens_details = { reasoning_tokens: report.reasoningTokens };
  }
  if (report.cacheWriteTokens !== null && report.cacheWriteTokens > 0) {
    chat.cache_write_tokens = report.cacheWriteTokens;
  }
  return chat;
}
