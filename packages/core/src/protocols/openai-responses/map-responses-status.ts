import type { ChatFinishReason } from '../canonical-chat';
import type { ResponsesIncompleteReason, ResponsesStatus } from './responses-wire';

/** How a chat finish reason ends a Response: `length` and `content_filter` make it `incomplete`, naming why. */
export function responsesStatusFromFinishReason(reason: ChatFinishReason | null | undefined): {
  status: 'completed' | 'incomplete';
  incompleteReason: ResponsesIncompleteReason | null;
} {
  if (reason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (reason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed', incompleteReason: null };
}

/**
 * The chat finish reason of a Response: `incomplete` for the token cap is `length`, for the filter
 * `content_filter`; a completed response that calls functions is `tool_calls`, else `stop`.
 */
export function finishReasonFromResponsesStatus(
  status: ResponsesStatus | string | null | undefined,
  incompleteReason: string | null | undefined,
  calledFunctions: boolean,
): ChatFinishReason {
  if (status === 'incomplete') return incompleteReason === 'content_filter' ? 'content_filter' : 'length';
  return calledFunctions ? 'tool_calls' : 'stop';
}
