/**
 * Token counts as an upstream reported them, read by its adapter before anything is trusted. Each count is
 * null when the upstream left it out; `malformed` says some field was there but could not be read (a
 * fraction, a string, a negative or absurd number, an object where a count belongs). Settlement (core
 * `settleUsage`) turns a report into billable usage, estimating what is missing or unreadable.
 */
export interface UsageReport {
  inputTokens: number | null;
  outputTokens: number | null;
  /** The upstream's own sum, when it sends one: a check on the parts, or what an incomplete report still tells. */
  totalTokens: number | null;
  /** Part of `inputTokens` read from the prompt cache. */
  cachedInputTokens: number | null;
  /** Part of `outputTokens` spent reasoning. */
  reasoningTokens: number | null;
  /** Part of `inputTokens` written to the prompt cache. */
  cacheWriteTokens: number | null;
  malformed: boolean;
}

/**
 * More tokens than any request can use (context windows are a few million; a thousand of them is still under
 * this). A larger count is a broken report, not a bill.
 */
export const MAX_REPORTED_TOKENS = 1_000_000_000;

/**
 * One reported count: the number when it is a non-negative integer no larger than {@link MAX_REPORTED_TOKENS},
 * `undefined` when absent (`undefined` or `null`), `null` when present but unreadable. Numeric strings are
 * unreadable too: a report that cannot keep its own types is not trusted for money.
 */
export function readTokenCount(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= 0 &&
    value <= MAX_REPORTED_TOKENS
    ? value
    : null;
}

/** A report with no count read yet (an unreadable usage value is one that is `malformed` from the start). */
export function emptyUsageReport(malformed = false): UsageReport {
  return {
    inputTokens: null,
    outputTokens: null,
    totalTokens: null,
    cachedInputTokens: null,
    reasoningTokens: null,
    cacheWriteTokens: null,
    malformed,
  };
}

/**
 * A reader of one upstream's counts into `report`: each call gives the count ({@link readTokenCount}), null when it
 * is absent or unreadable, and marks the report malformed when it is present but unreadable.
 */
export function usageCountReader(report: UsageReport): (value: unknown) => number | null {
  return (value) => {
    const read = readTokenCount(value);
    if (read === null) report.malformed = true;
    return read ?? null;
  };
}

/**
 * Whether a report can be billed as it is: nothing malformed, input and output both reported, the total (when
 * sent) their sum, and every part within its total (cache reads plus writes ≤ input, reasoning ≤ output).
 */
export function isUsageReportComplete(report: UsageReport): boolean {
  const { inputTokens: input, outputTokens: output, totalTokens: total } = report;
  if (report.malformed || input === null || output === null) return false;
  if (total !== null && total !== input + output) return false;
  if ((report.cachedInputTokens ?? 0) + (report.cacheWriteTokens ?? 0) > input) return false;
  return (report.reasoningTokens ?? 0) <= output;
}
