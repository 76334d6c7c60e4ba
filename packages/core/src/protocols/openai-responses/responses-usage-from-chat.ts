import type { ChatUsage } from '../canonical-chat';
import type { ResponsesUsage } from './responses-wire';

/**
 * Canonical chat usage as a Responses `usage` object. Both count the cached part inside the input and the
 * reasoning part inside the output, so the numbers carry over; missing details are 0 (the SDK types them as
 * required). Cache writes have no Responses field and stay inside `input_tokens`.
 */
export function responsesUsageFromChat(usage: ChatUsage): ResponsesUsage {
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens,
  };
}
