import type { ChatUsage } from '../canonical-chat';
import type { ResponsesUsage } from './responses-wire';

/**
 * Canonical chat usage as a Responses `usage` object. Both count the cached part inside the input and the
 * reasoning part inside the output, so the numbers carry over; missing details are 0 (the SDK types them as
 * required); a count that is not one is 0. Cache writes have no Responses field and stay inside `input_tokens`.
 */
export function responsesUsageFromChat(usage: ChatUsage): ResponsesUsage {
  // Usage may be an upstream's JSON as it came: a count that is not one is shown as 0, never passed on.
  const count = (value: unknown): number =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
  const details = (value: unknown): Record<string, unknown> =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: count(details(usage.prompt_tokens_details).cached_tokens) },
    output_tokens: output,
    output_tokens_details: {
      reasoning_tokens: count(details(usage.completion_tokens_details).reasoning_tokens),
    },
    total_tokens: count(usage.total_tokens) || input + output,
  };
}
