import type { ChatResponseBody } from '../canonical-chat';
import { responsesStatusFromFinishReason } from './map-responses-status';
import { responsesIds } from './responses-ids';
import { responsesRequestEcho } from './responses-request-echo';
import { responsesUsageFromChat } from './responses-usage-from-chat';
import type { ResponsesOutputItem, ResponsesOutputMessage, ResponsesResponse } from './responses-wire';

/** What a translated Response needs besides the chat completion. */
export interface ChatToResponsesOptions {
  /** Base of the `resp_`/`msg_`/`fc_` ids (e.g. the request id); default the completion's id. */
  idBase?: string;
  /** The model the caller is shown (its public model); default the completion's. */
  model?: string;
  /** The caller's Responses body, whose parameters the Response repeats (see `responsesRequestEcho`). */
  request?: unknown;
  /** The clock, in Unix seconds, for `completed_at`; without one it is the completion's `created`. */
  now?: () => number;
}

/**
 * A chat completion as a Responses `Response`: the first choice's text (and refusal) as one assistant message,
 * each tool call as a `function_call` item after it, usage in Responses' names. A `length` finish is
 * `status: 'incomplete'` with `incomplete_details.reason: 'max_output_tokens'` (`content_filter` likewise).
 * Responses has no `n`: the translated request never asks for more than one choice, and only the first is read.
 * `output_text` is not written: OpenAI does not send it either, the SDKs compute it from `output`.
 */
export function chatResponseToResponses(
  resp: ChatResponseBody,
  options: ChatToResponsesOptions = {},
): ResponsesResponse {
  const ids = responsesIds(options.idBase ?? resp.id);
  const choice = resp.choices[0];
  const { status, incompleteReason } = responsesStatusFromFinishReason(choice?.finish_reason);
  const output: ResponsesOutputItem[] = [];
  const content = choice?.message.content ?? null;
  const refusal = choice?.message.refusal ?? null;
  const toolCalls = choice?.message.tool_calls ?? [];
  if ((content !== null && content !== '') || refusal || toolCalls.length === 0) {
    const message: ResponsesOutputMessage = {
      type: 'message',
      id: ids.message(0),
      role: 'assistant',
      status: status === 'completed' ? 'completed' : 'incomplete',
      content: [],
    };
    if (content !== null && (content !== '' || !refusal)) {
      message.content.push({ type: 'output_text', text: content, annotations: [] });
    }
    if (refusal) message.content.push({ type: 'refusal', refusal });
    if (message.content.length === 0)
      message.content.push({ type: 'output_text', text: '', annotations: [] });
    output.push(message);
  }
  toolCalls.forEach((call, index) => {
    output.push({
      type: 'function_call',
      id: ids.functionCall(index),
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      status: 'completed',
    });
  });
  return {
    id: ids.response,
    object: 'response',
    created_at: resp.created,
    status,
    completed_at: status === 'completed' ? (options.now?.() ?? resp.created) : null,
    error: null,
    incomplete_details: incompleteReason ? { reason: incompleteReason } : null,
    model: options.model ?? resp.model,
    output,
    usage: resp.usage ? responsesUsageFromChat(resp.usage) : null,
    ...responsesRequestEcho(options.request),
  };
}
