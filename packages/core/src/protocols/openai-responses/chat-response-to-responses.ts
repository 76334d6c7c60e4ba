import type { ChatFinishReason, ChatResponseBody, ChatUsage } from '../canonical-chat';
import { responsesStatusFromFinishReason } from './map-responses-status';
import { responsesIds } from './responses-ids';
import { responsesRequestEcho } from './responses-request-echo';
import { responsesUsageFromChat } from './responses-usage-from-chat';
import type { ResponsesOutputItem, ResponsesOutputMessage, ResponsesResponse } from './responses-wire';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
  // The completion may be an upstream's JSON as it came: read only what has the right type.
  const body: Partial<ChatResponseBody> = isObject(resp) ? resp : {};
  const ids = responsesIds(options.idBase ?? (typeof body.id === 'string' ? body.id : ''));
  const choices: unknown[] = Array.isArray(body.choices) ? body.choices : [];
  const choice = isObject(choices[0]) ? choices[0] : {};
  const finish = typeof choice.finish_reason === 'string' ? (choice.finish_reason as ChatFinishReason) : null;
  const { status, incompleteReason } = responsesStatusFromFinishReason(finish);
  const output: ResponsesOutputItem[] = [];
  const created = typeof body.created === 'number' && Number.isFinite(body.created) ? body.created : 0;
  const reply = isObject(choice.message) ? choice.message : {};
  const content = typeof reply.content === 'string' ? reply.content : null;
  const refusal = typeof reply.refusal === 'string' ? reply.refusal : null;
  const toolCalls = (Array.isArray(reply.tool_calls) ? (reply.tool_calls as unknown[]) : []).flatMap(
    (call) =>
      isObject(call) && typeof call.id === 'string' && isObject(call.function)
        ? [{ id: call.id, fn: call.function }]
        : [],
  );
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
      name: typeof call.fn.name === 'string' ? call.fn.name : '',
      arguments: typeof call.fn.arguments === 'string' ? call.fn.arguments : '',
      status: 'completed',
    });
  });
  return {
    id: ids.response,
    object: 'response',
    created_at: created,
    status,
    completed_at: status === 'completed' ? (options.now?.() ?? created) : null,
    error: null,
    incomplete_details: incompleteReason ? { reason: incompleteReason } : null,
    model: options.model ?? (typeof body.model === 'string' ? body.model : ''),
    output,
    usage: isObject(body.usage) ? responsesUsageFromChat(body.usage as ChatUsage) : null,
    ...responsesRequestEcho(options.request),
  };
}
