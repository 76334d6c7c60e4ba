import { readTokenCount, type UsageReport } from '@switchyard/core';

/**
 * OpenAI's `usage` object as reported (`prompt_tokens`, `completion_tokens`, `total_tokens`,
 * `prompt_tokens_details.cached_tokens`, `completion_tokens_details.reasoning_tokens`), read without trusting
 * a single type: null when there is no usage; a count that is not a non-negative integer in bounds (core
 * `readTokenCount`), or a usage or details value that is not an object, marks the report malformed.
 */
export function readOpenAiUsage(usage: unknown): UsageReport | null {
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
  if (!isRecord(usage)) {
    report.malformed = true;
    return report;
  }
  const count = (value: unknown): number | null => {
    const read = readTokenCount(value);
    if (read === null) report.malformed = true;
    return read ?? null;
  };
  const details = (value: unknown): Record<string, unknown> | null => {
    if (value === undefined || value === null) return null;
    if (isRecord(value)) return value;
    report.malformed = true;
    return null;
  };
  report.inputTokens = count(usage.prompt_tokens);
  report.outputTokens = count(usage.completion_tokens);
  report.totalTokens = count(usage.total_tokens);
  report.cachedInputTokens = count(details(usage.prompt_tokens_details)?.cached_tokens);
  report.reasoningTokens = count(details(usage.completion_tokens_details)?.reasoning_tokens);
  return report;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
