import { emptyUsageReport, type UsageReport, usageCountReader } from '../../usage-report';
import { isRecord } from './is-record';

/**
 * Anthropic's `usage` object (`input_tokens`, `output_tokens`, `cache_read_input_tokens`,
 * `cache_creation_input_tokens`, `output_tokens_details.thinking_tokens`) as a {@link UsageReport}, read without
 * trusting a single type. Anthropic's `input_tokens` EXCLUDES cache reads and writes; the report's
 * `inputTokens` is the whole prompt, so it is the sum of the three, with the cached and cache-write parts also
 * reported on their own. Null when there is no usage; an unreadable count marks the report malformed. Anthropic
 * sends no total, so `totalTokens` is null.
 */
export function readAnthropicUsage(value: unknown): UsageReport | null {
  if (value === undefined || value === null) return null;
  const report = emptyUsageReport();
  if (!isRecord(value)) {
    report.malformed = true;
    return report;
  }
  const count = usageCountReader(report);
  const uncached = count(value.input_tokens);
  const cacheRead = count(value.cache_read_input_tokens);
  const cacheWrite = count(value.cache_creation_input_tokens);
  report.outputTokens = count(value.output_tokens);
  report.cachedInputTokens = cacheRead;
  report.cacheWriteTokens = cacheWrite;
  if (uncached !== null) report.inputTokens = uncached + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const details = value.output_tokens_details;
  if (isRecord(details)) report.reasoningTokens = count(details.thinking_tokens);
  else if (details !== undefined && details !== null) report.malformed = true;
  return report;
}
