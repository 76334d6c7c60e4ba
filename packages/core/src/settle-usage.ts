import type { TokenUsage } from './token-usage';
import { isUsageReportComplete, type UsageReport } from './usage-report';

/** The router's own count of a request, from its tokenizer: what an upstream did not (correctly) report. */
export interface UsageEstimate {
  inputTokens: number;
  outputTokens: number;
}

/** Billable usage, and whether any of it is the router's estimate rather than the upstream's report. */
export interface SettledUsage {
  usage: TokenUsage;
  estimated: boolean;
}

/**
 * Turns what an upstream reported into billable usage. A complete, valid report (core
 * `isUsageReportComplete`) is billed as reported. Anything else is an estimate, flagged, built from what is
 * known: both sides reported but inconsistent → as reported, parts clamped into their totals; one side and the
 * total → the other is their difference; only the total → split with the estimated prompt; nothing → the
 * estimate. Unreadable fields count as unreported. `estimate` runs only when needed (it may run a tokenizer)
 * and must return non-negative integers; every count returned is one.
 */
export function settleUsage(report: UsageReport | null, estimate: () => UsageEstimate): SettledUsage {
  if (report !== null && isUsageReportComplete(report)) {
    return {
      usage: {
        inputTokens: report.inputTokens as number,
        outputTokens: report.outputTokens as number,
        cachedInputTokens: report.cachedInputTokens ?? 0,
        reasoningTokens: report.reasoningTokens ?? 0,
        cacheWriteTokens: report.cacheWriteTokens ?? 0,
      },
      estimated: false,
    };
  }
  const input = report?.inputTokens ?? null;
  const output = report?.outputTokens ?? null;
  const total = report?.totalTokens ?? null;
  let inputTokens: number;
  let outputTokens: number;
  if (input !== null && output !== null) {
    inputTokens = input;
    outputTokens = output;
  } else if (input !== null) {
    inputTokens = input;
    outputTokens = total !== null && total >= input ? total - input : estimate().outputTokens;
  } else if (output !== null) {
    outputTokens = output;
    inputTokens = total !== null && total >= output ? total - output : estimate().inputTokens;
  } else if (total !== null) {
    inputTokens = Math.min(estimate().inputTokens, total);
    outputTokens = total - inputTokens;
  } else {
    const guess = estimate();
    inputTokens = guess.inputTokens;
    outputTokens = guess.outputTokens;
  }
  const cachedInputTokens = Math.min(report?.cachedInputTokens ?? 0, inputTokens);
  const cacheWriteTokens = Math.min(report?.cacheWriteTokens ?? 0, inputTokens - cachedInputTokens);
  const reasoningTokens = Math.min(report?.reasoningTokens ?? 0, outputTokens);
  return {
    usage: { inputTokens, outputTokens, cachedInputTokens, reasoningTokens, cacheWriteTokens },
    estimated: true,
  };
}
