import { readTokenCount, type UsageReport } from '@switchyard/core';
import { readOpenAiUsage } from './read-openai-usage';

/**
 * An embeddings answer's `usage` (`prompt_tokens`, `total_tokens`): embeddings generate no tokens, so a report
 * with its prompt count is complete with 0 output. Null when there is no usage; malformed as for chat.
 */
export function readOpenAiEmbeddingsUsage(usage: unknown): UsageReport | null {
  const report = readOpenAiUsage(usage);
  if (report !== null && report.outputTokens === null && report.inputTokens !== null) report.outputTokens = 0;
  return report;
}

/**
 * A gpt-image answer's `usage` (`input_tokens`, `output_tokens`, `total_tokens`, `input_tokens_details`):
 * image models priced per token report it; dall-e models send none (null: they are priced per image).
 */
export function readOpenAiImagesUsage(usage: unknown): UsageReport | null {
  if (usage === undefined || usage === null) return null;
  const report: UsageReport = {
    inputTokens: null,
    outputTokens: null,
    totalTokens: null,
    cachedInputTokens: null,
    reasoningTokens: null,
    cacheWriteTokens: null,
    malformed: false,
  };
  if (typeof usage !== 'object' || Array.isArray(usage)) {
    report.malformed = true;
    return report;
  }
  const u = usage as Record<string, unknown>;
  const count = (value: unknown): number | null => {
    const read = readTokenCount(value);
    if (read === null) report.malformed = true;
    return read ?? null;
  };
  report.inputTokens = count(u.input_tokens);
  report.outputTokens = count(u.output_tokens);
  report.totalTokens = count(u.total_tokens);
  return report;
}
