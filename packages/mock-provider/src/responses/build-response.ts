import type { ChatReply } from '../plan-reply';
import type { MockResponsesRequest } from './parse-responses-request';

/** Identity of one Response, shared by its body and its events. */
export interface ResponseMeta {
  /** `resp_…` */
  id: string;
  /** `msg_…`, the id of the output message; function calls get `fc_…` ids derived from the same suffix. */
  messageId: string;
  /** `fc_…` of the first function call item (others get `_1`, `_2`, …). */
  functionCallId: string;
  /** `call_…` of the first function call. */
  callId: string;
  /** Unix seconds. */
  createdAt: number;
}

const suffixed = (id: string, index: number) => (index === 0 ? id : `${id}_${index}`);

/** The output items of a reply, completed: one `message` with an `output_text`, or one `function_call` per call. */
export function responseOutput(reply: ChatReply, meta: ResponseMeta) {
  if (reply.kind === 'text') {
    return [
      {
        id: meta.messageId,
        type: 'message',
        status: reply.finishReason === 'length' ? 'incomplete' : 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: reply.content, annotations: [], logprobs: [] }],
      },
    ];
  }
  return reply.calls.map((call, index) => ({
    id: suffixed(meta.functionCallId, index),
    type: 'function_call',
    status: 'completed',
    call_id: suffixed(meta.callId, index),
    name: call.name,
    arguments: call.arguments,
  }));
}

/** The Responses `usage` object. */
export function responseUsage(reply: ChatReply) {
  const { promptTokens, completionTokens } = reply.usage;
  return {
    input_tokens: promptTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: completionTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: promptTokens + completionTokens,
  };
}

/**
 * The `response` object: `completed`, or `incomplete` (`max_output_tokens`) when the text was cut. With
 * `inProgress` (the `response.created` / `in_progress` events), no output and no usage yet.
 */
export function buildResponse(
  reply: ChatReply,
  meta: ResponseMeta,
  request: MockResponsesRequest,
  inProgress = false,
) {
  const cut = reply.kind === 'text' && reply.finishReason === 'length';
  const status = inProgress ? 'in_progress' : cut ? 'incomplete' : 'completed';
  return {
    id: meta.id,
    object: 'response',
    created_at: meta.createdAt,
    status,
    background: false,
    completed_at: status === 'completed' ? meta.createdAt : null,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: request.instructions,
    max_output_tokens: request.maxOutputTokens,
    metadata: {},
    model: request.model,
    output: inProgress ? [] : responseOutput(reply, meta),
    parallel_tool_calls: request.reply.parallelToolCalls,
    previous_response_id: request.previousResponseId,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: true,
    temperature: 1,
    text: request.textEcho,
    tool_choice: request.toolChoiceEcho,
    tools: request.toolsEcho,
    top_p: 1,
    truncation: 'disabled',
    usage: inProgress ? null : responseUsage(reply),
    user: null,
  };
}
