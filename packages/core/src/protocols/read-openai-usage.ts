import { emptyUsageReport, type UsageReport, usageCountReader } from '../usage-report';

/**
 * Which OpenAI API's `usage` object: Chat Completions' (also legacy Completions' and Embeddings'), the Responses
 * API's, or the Images API's (gpt-image models: counts without the cached or reasoning parts).
 */
export type OpenAiUsageShape = 'chat' | 'responses' | 'images';

interface UsageFields {
  input: string;
  output: string;
  /** The object holding the cached part of the input (and, for Responses, the cache-write part). */
  inputDetails: string | null;
  /** The object holding the reasoning part of the output. */
  outputDetails: string | null;
  /** Whether `cache_write_tokens` in the input details is read (the Vercel AI SDK reads it on Responses). */
  cacheWrite: boolean;
}

const FIELDS: Record<OpenAiUsageShape, UsageFields> = {
  chat: {
    input: 'prompt_tokens',
    output: 'completion_tokens',
    inputDetails: 'prompt_tokens_details',
    outputDetails: 'completion_tokens_details',
    cacheWrite: false,
  },
  responses: {
    input: 'input_tokens',
    output: 'output_tokens',
    inputDetails: 'input_tokens_details',
    outputDetails: 'output_tokens_details',
    cacheWrite: true,
  },
  images: {
    input: 'input_tokens',
    output: 'output_tokens',
    inputDetails: null,
    outputDetails: null,
    cacheWrite: false,
  },
};

/**
 * An OpenAI `usage` object as reported, in the `shape` of the API that sent it (Chat: `prompt_tokens`,
 * `completion_tokens`, `prompt_tokens_details.cached_tokens`, `completion_tokens_details.reasoning_tokens`;
 * Responses: `input_tokens`, `output_tokens`, `input_tokens_details.{cached_tokens,cache_write_tokens}`,
 * `output_tokens_details.reasoning_tokens`; both `total_tokens`), read without trusting a single type: null when
 * there is no usage; a count that is not a non-negative integer in bounds (`readTokenCount`), or a usage or details
 * value that is not an object, marks the report malformed. OpenAI's counts already follow the UsageReport
 * convention (parts inside their totals). Never throws.
 */
export function readOpenAiUsage(usage: unknown, shape: OpenAiUsageShape): UsageReport | null {
  if (usage === undefined || usage === null) return null;
  const report = emptyUsageReport();
  if (!isRecord(usage)) {
    report.malformed = true;
    return report;
  }
  const count = usageCountReader(report);
  const details = (value: unknown): Record<string, unknown> | null => {
    if (value === undefined || value === null) return null;
    if (isRecord(value)) return value;
    report.malformed = true;
    return null;
  };
  const fields = FIELDS[shape];
  report.inputTokens = count(usage[fields.input]);
  report.outputTokens = count(usage[fields.output]);
  report.totalTokens = count(usage.total_tokens);
  if (fields.inputDetails !== null) {
    const input = details(usage[fields.inputDetails]);
    report.cachedInputTokens = count(input?.cached_tokens);
    if (fields.cacheWrite) report.cacheWriteTokens = count(input?.cache_write_tokens);
  }
  if (fields.outputDetails !== null)
    report.reasoningTokens = count(details(usage[fields.outputDetails])?.reasoning_tokens);
  return report;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
