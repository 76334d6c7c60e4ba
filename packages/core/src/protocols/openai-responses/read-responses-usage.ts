import { readTokenCount, type UsageReport } from '../../usage-report';

/**
 * A Responses `usage` object as reported (`input_tokens` including `input_tokens_details.cached_tokens`,
 * `output_tokens` including `output_tokens_details.reasoning_tokens`, `total_tokens`), read without trusting a
 * single type: null when there is no usage; a count that is not a non-negative integer in bounds (core
 * `readTokenCount`), or a usage or details value that is not an object, marks the report malformed. The
 * counts already follow the UsageReport convention (parts inside their totals). `cache_write_tokens` in the
 * input details, which the Vercel AI SDK reads, is taken as the cache-write part when present. Never throws.
 */
export function readResponsesUsage(usage: unknown): UsageReport | null {
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
  const input = details(usage.input_tokens_details);
  report.inputTokens = count(usage.input_tokens);
  report.outputTokens = count(usage.output_tokens);
  report.totalTokens = count(usage.total_tokens);
  report.cachedInputTokens = count(input?.cached_tokens);
  report.cacheWriteTokens = count(input?.cache_write_tokens);
  report.reasoningTokens = count(details(usage.output_tokens_details)?.reasoning_tokens);
  return report;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
