import { emptyUsageReport, readTokenCount, type UsageReport } from '../../usage-report';
import type { ChatUsage } from '../canonical-chat';
import { type GeminiUsageMetadata, geminiField, isGeminiObject } from './gemini-wire';

/**
 * Reads Gemini's `usageMetadata` (or a response or stream chunk holding one) into the gateway's convention.
 *
 * Normalisation, so billing matches what Google bills:
 * - `inputTokens` = `promptTokenCount` (which already INCLUDES `cachedContentTokenCount`) + `toolUsePromptTokenCount`
 *   (grounding/tool results fed back to the model, billed as input).
 * - `outputTokens` = `candidatesTokenCount` + `thoughtsTokenCount`: Gemini's candidates count EXCLUDES thoughts,
 *   but Google bills thinking tokens at the output rate, so they are added here and also reported as
 *   `reasoningTokens` (a part of the output, as in OpenAI's `completion_tokens_details.reasoning_tokens`).
 * - `totalTokens` = `totalTokenCount`, which is the sum of all four, so the parts check out.
 * - `cacheWriteTokens` is null: Gemini's implicit cache has no write charge, and explicit caches (storage per
 *   hour) are not per-request usage.
 *
 * The Gemini API writes proto3 JSON, which omits zero counts: once any count is present, a missing one is 0.
 * Never throws; a present but unreadable count sets `malformed`.
 */
export function readGeminiUsage(value: unknown): UsageReport | null {
  if (!isGeminiObject(value)) return null;
  const nested = geminiField(value, 'usageMetadata');
  const usage = nested === undefined ? value : nested;
  if (!isGeminiObject(usage)) return nested === undefined || nested === null ? null : emptyUsageReport(true);
  let malformed = false;
  let anyPresent = false;
  const read = (name: keyof GeminiUsageMetadata): number | null | undefined => {
    const count = readTokenCount(geminiField(usage, name));
    if (count === null) malformed = true;
    if (count !== undefined) anyPresent = true;
    return count;
  };
  const prompt = read('promptTokenCount');
  const candidates = read('candidatesTokenCount');
  const total = read('totalTokenCount');
  const cached = read('cachedContentTokenCount');
  const thoughts = read('thoughtsTokenCount');
  const toolUse = read('toolUsePromptTokenCount');
  if (!anyPresent && !malformed) return null;
  // Absent is zero (proto3), unreadable stays unknown.
  const zeroIfAbsent = (count: number | null | undefined) => (count === undefined ? 0 : count);
  const sum = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
  const p = zeroIfAbsent(prompt);
  const c = zeroIfAbsent(candidates);
  const t = zeroIfAbsent(thoughts);
  const u = zeroIfAbsent(toolUse);
  return {
    inputTokens: sum(p, u),
    outputTokens: sum(c, t),
    totalTokens: total === undefined ? null : total,
    cachedInputTokens: zeroIfAbsent(cached),
    reasoningTokens: t,
    cacheWriteTokens: null,
    malformed,
  };
}

/**
 * Gemini usage as canonical `ChatUsage` (OpenAI's convention: completion tokens INCLUDE reasoning tokens). Null
 * when the report is missing or cannot be trusted for the counts a client reads.
 */
export function geminiUsageToChat(value: unknown): ChatUsage | null {
  const report = readGeminiUsage(value);
  if (!report || report.malformed || report.inputTokens === null || report.outputTokens === null) return null;
  const usage: ChatUsage = {
    prompt_tokens: report.inputTokens,
    completion_tokens: report.outputTokens,
    total_tokens: report.inputTokens + report.outputTokens,
  };
  if (report.cachedInputTokens) usage.prompt_tokens_details = { cached_tokens: report.cachedInputTokens };
  if (report.reasoningTokens) usage.completion_tokens_details = { reasoning_tokens: report.reasoningTokens };
  return usage;
}

/**
 * Canonical usage as Gemini's `usageMetadata`: the reverse of {@link geminiUsageToChat}, so a Gemini client sees
 * `candidatesTokenCount` without thoughts and `thoughtsTokenCount` beside it, as Google reports them.
 */
export function chatUsageToGemini(usage: ChatUsage): GeminiUsageMetadata {
  const reasoning = Math.min(
    usage.completion_tokens_details?.reasoning_tokens ?? 0,
    Math.max(usage.completion_tokens, 0),
  );
  const metadata: GeminiUsageMetadata = {
    promptTokenCount: usage.prompt_tokens,
    candidatesTokenCount: usage.completion_tokens - reasoning,
    totalTokenCount: usage.prompt_tokens + usage.completion_tokens,
  };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number' && cached > 0) metadata.cachedContentTokenCount = cached;
  if (reasoning > 0) metadata.thoughtsTokenCount = reasoning;
  return metadata;
}
